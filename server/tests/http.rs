//! The assembled application over HTTP, on both databases: operational endpoints, security
//! headers, server-rendered pages in both languages, server functions and their errors.

mod common;

on_both!(health_ready_and_metrics, |app| async {
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("body"), "ok");
    let r = app.get("/readyz").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("body"), "ready");
    app.get("/").await;
    app.get("/staff").await;
    app.get("/no-such-page").await;
    let r = app.get("/metrics").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/plain; version=0.0.4")
    );
    let text = r.text().await.expect("body");
    let has = |needle: &str| text.contains(needle);
    assert!(
        has(r#"platforma_http_requests_total{method="GET",route="/",status="200"} 1"#),
        "{text}"
    );
    assert!(
        has(r#"platforma_http_requests_total{method="GET",route="/staff",status="303"} 1"#),
        "sign-in redirects: {text}"
    );
    assert!(has(r#"status="404""#), "404s are counted: {text}");
    assert!(
        has(r#"platforma_http_request_duration_seconds_count{route="/readyz"} 1"#),
        "{text}"
    );
    assert!(has("platforma_db_pool_connections "), "{text}");
});

on_both!(every_response_carries_security_headers, |app| async {
    for path in [
        "/",
        "/staff",
        "/login",
        "/healthz",
        "/metrics",
        "/no-such-page",
    ] {
        let r = app.get(path).await;
        let h = r.headers();
        let csp = h
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
});

on_both!(pages_render_in_russian_and_use_the_csp_nonce, |app| async {
    let token = app.session_for("admin").await;
    let r = app.get_as(&token, "/staff").await;
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP")
        .to_owned();
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"<html lang="ru""#), "{html}");
    assert!(html.contains("Сегодня"), "{html}");
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "the hydration script carries the nonce"
    );
    // Each response gets its own nonce.
    let again = app.get_as(&token, "/staff").await;
    assert_ne!(
        csp,
        again.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
    );
});

on_both!(
    the_lang_cookie_switches_server_rendering_to_english,
    |app| async {
        let token = app.session_for("admin").await;
        let r = app
            .client
            .get(app.url("/staff/companies"))
            .header("cookie", format!("lang=en; platforma_session={token}"))
            .send()
            .await
            .expect("GET");
        let html = r.text().await.expect("body");
        assert!(html.contains(r#"<html lang="en""#), "{html}");
        assert!(html.contains("Companies"), "{html}");
        assert!(!html.contains("Компании</h1>"), "{html}");
    }
);

on_both!(companies_page_is_rendered_with_data, |app| async {
    let token = app.session_for("operator").await;
    let r = app
        .get_as(&token, "/staff/companies?q=%D0%BB%D0%B8%D1%84%D1%82")
        .await;
    let html = r.text().await.expect("body");
    assert!(html.contains("ЛифтТехСервис"), "{html}");
    assert!(
        !html.contains("Речной берег"),
        "filtered by ?q=лифт: {html}"
    );
});

on_both!(unknown_pages_answer_404, |app| async {
    let token = app.session_for("admin").await;
    for path in ["/no-such-page", "/staff/does-not-exist"] {
        let r = app.get_as(&token, path).await;
        assert_eq!(r.status(), 404, "{path}");
        assert!(
            r.text()
                .await
                .expect("body")
                .contains("Страница не найдена"),
            "{path}"
        );
    }
});

on_both!(server_functions_answer_json, |app| async {
    let operator = app.session_for("operator").await;
    let r = app
        .call_as(Some(&operator), "/api/companies/list", &[("q", "")])
        .await;
    assert_eq!(r.status(), 200);
    let list: serde_json::Value = r.json().await.expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(5));
    let r = app
        .call_as(Some(&operator), "/api/system/overview", &[])
        .await;
    assert_eq!(r.status(), 200);
    let o: serde_json::Value = r.json().await.expect("json");
    assert_eq!(o["companies"], 5);
    assert_eq!(o["pending_migrations"], 0);
    assert_eq!(o["database_ok"], true);
    // A company's administrator: the overview counts the companies the registry shows them.
    let admin = app.session_for("admin").await;
    let r = app
        .call_as(Some(&admin), "/api/companies/list", &[("q", "")])
        .await;
    let list: serde_json::Value = r.json().await.expect("json");
    let seen = list.as_array().map_or(0, Vec::len);
    assert!(
        seen < 5,
        "the administrator sees their own registry: {seen}"
    );
    let r = app.call_as(Some(&admin), "/api/system/overview", &[]).await;
    assert_eq!(r.status(), 200);
    let o: serde_json::Value = r.json().await.expect("json");
    assert_eq!(o["companies"], seen);
});

on_both!(
    the_home_counts_what_the_registers_show_per_role,
    |app| async {
        // The administrator's counts are the registers' (their company's buildings, clients).
        let admin = app.session_for("admin").await;
        let today: serde_json::Value = app
            .call_as(Some(&admin), "/api/home/today", &[])
            .await
            .json()
            .await
            .expect("json");
        let buildings: serde_json::Value = app
            .call_as(Some(&admin), "/api/buildings/list", &[])
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(
            today["scope"]["buildings"].as_u64(),
            buildings.as_array().map(|b| b.len() as u64),
            "{today}"
        );
        assert!(today["people"].as_i64().unwrap_or(0) > 0, "{today}");
        assert!(
            today["expiring"].is_array() && today["imports"].is_array(),
            "{today}"
        );
        // Another company's administrator counts their own company only.
        let other = app.session_for("admin2").await;
        let theirs: serde_json::Value = app
            .call_as(Some(&other), "/api/home/today", &[])
            .await
            .json()
            .await
            .expect("json");
        let their_buildings: serde_json::Value = app
            .call_as(Some(&other), "/api/buildings/list", &[])
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(
            theirs["scope"]["buildings"].as_u64(),
            their_buildings.as_array().map(|b| b.len() as u64)
        );
        assert_ne!(theirs["people"], today["people"], "{theirs}");
        // A role without people.manage or people.import sees neither list.
        let technician = app.session_for("technician").await;
        let r = app.call_as(Some(&technician), "/api/home/today", &[]).await;
        assert_eq!(r.status(), 200);
        let t: serde_json::Value = r.json().await.expect("json");
        assert!(t["expiring"].is_null() && t["imports"].is_null(), "{t}");
        // A guard post has no staff home.
        let guard = app
            .session_of_kind("guard", app::access::server::session::SessionKind::Guard)
            .await;
        let r = app.call_as(Some(&guard), "/api/home/today", &[]).await;
        assert_eq!(r.status(), 403);
    }
);

on_both!(bad_input_gets_a_4xx_with_a_reason_not_a_500, |app| async {
    let token = app.session_for("admin").await;
    let long = "я".repeat(101);
    let r = app
        .call_as(Some(&token), "/api/companies/list", &[("q", &long)])
        .await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.expect("json error");
    assert_eq!(body["Validation"]["field"], "q");
    assert_eq!(body["Validation"]["code"], "too_long");

    // A missing argument is the caller's mistake too.
    let r = app.call_as(Some(&token), "/api/companies/list", &[]).await;
    assert!(
        r.status().is_client_error(),
        "missing argument: {}",
        r.status()
    );

    // Server functions never answer GET.
    let r = app.get_as(&token, "/api/companies/list?q=x").await;
    assert!(
        r.status().is_client_error(),
        "GET on a POST server function: {}",
        r.status()
    );
});

on_both!(
    json_is_compressed_and_html_streams_uncompressed,
    |app| async {
        let token = app.session_for("operator").await;
        let cookie = format!("platforma_session={token}");
        let r = app
            .client
            .post(app.url("/api/companies/list"))
            .header("origin", &app.base)
            .header("cookie", &cookie)
            .header("accept-encoding", "gzip")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("q=")
            .send()
            .await
            .expect("POST");
        assert_eq!(
            r.headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap_or("")),
            Some("gzip")
        );
        let r = app
            .client
            .get(app.url("/staff"))
            .header("cookie", &cookie)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("GET");
        assert!(
            r.headers().get("content-encoding").is_none(),
            "HTML is streamed as rendered"
        );
    }
);

#[test]
fn every_server_function_is_in_the_policy_table() {
    let registered: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    assert!(!registered.is_empty(), "server functions are registered");
    let missing: Vec<&&str> = registered
        .iter()
        .filter(|p| app::access::access_for(p).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "server functions missing from app::access::POLICY: {missing:?}"
    );
    // And the table names nothing that does not exist (stale entries hide mistakes).
    let operational = [
        "/healthz",
        "/readyz",
        "/metrics",
        "/people/by-phone/{number}",
    ];
    for (path, _) in app::access::POLICY {
        assert!(
            registered.contains(path) || operational.contains(path),
            "POLICY lists unknown endpoint {path}"
        );
    }
}

on_both!(
    error_statuses_survive_compression_for_browsers,
    |app| async {
        // Browsers accept compressed answers; the status must still say what went wrong.
        let token = app.session_for("admin").await;
        let r = app
            .client
            .post(app.url("/api/auth/password-change"))
            .header("origin", &app.base)
            .header("cookie", format!("platforma_session={token}"))
            .header("accept-encoding", "gzip, br")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("current=wrong-password-0&password=new-secret-password-1")
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 422);
    }
);
