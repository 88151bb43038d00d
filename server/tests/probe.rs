//! The outside security probe's findings and hostile inputs, kept as tests on both databases:
//! what may be cached (nothing personal), signing out clears the browser, the same-origin rule
//! by scheme, host and port, `/metrics` only for this machine, an allowlist or a token, sign-in
//! throttling that cannot be used to lock a named person out, and the inputs that held (stored
//! XSS, SQL injection through search, session fixation, path traversal) so they keep holding.

mod common;

use app::access::server::demo::DEMO_PASSWORD;
use common::{ok, scalar};

fn cache_control(r: &reqwest::Response) -> String {
    r.headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

on_both!(
    nothing_personal_is_cached_and_sign_out_clears_the_browser,
    |app| async {
        let admin = app.session_for("admin").await;
        let person = scalar(&app, "SELECT id FROM people WHERE last_name = 'Семёнова'").await;
        // A client card, the unit page, the audit log, the cabinet, the sign-in page, a redirect and
        // a server function: all depend on who asks, none may be kept.
        for path in [
            format!("/staff/people/{person}"),
            "/staff/admin/audit".to_owned(),
            "/staff".to_owned(),
            "/login".to_owned(),
            "/".to_owned(),
        ] {
            let r = app.get_as(&admin, &path).await;
            assert_eq!(cache_control(&r), "no-store", "{path} ({})", r.status());
        }
        let r = app.get("/cabinet").await;
        assert_eq!(r.status(), 303);
        assert_eq!(cache_control(&r), "no-store", "a redirect");
        let r = app
            .call_as(
                Some(&admin),
                "/api/people/card",
                &[("id", &person.to_string())],
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(cache_control(&r), "no-store", "a server function");
        // A static file may be kept (the same for everyone); a missing one is not a file.
        let dir = std::env::temp_dir().join("fonts");
        std::fs::create_dir_all(&dir).expect("dir");
        let name = format!("probe-{:016x}.woff2", rand::random::<u64>());
        std::fs::write(dir.join(&name), b"font").expect("font");
        let r = app.get(&format!("/fonts/{name}")).await;
        assert_eq!(r.status(), 200);
        assert_eq!(cache_control(&r), "public, max-age=86400");
        let _ = std::fs::remove_file(dir.join(&name));
        let r = app.get("/fonts/none.woff2").await;
        assert_eq!(cache_control(&r), "no-store");

        let r = app.call_as(Some(&admin), "/api/auth/sign-out", &[]).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()
                .get("clear-site-data")
                .and_then(|v| v.to_str().ok()),
            Some("\"cache\", \"storage\""),
            "signing out clears the browser's copies"
        );
    }
);

on_both!(state_changes_come_only_from_this_origin, |app| async {
    let token = app.session_for("admin").await;
    let port = app.base.rsplit(':').next().expect("port").to_owned();
    let other_port = if port == "1" { "2" } else { "1" };
    let status_of = |origin: Option<String>, referer: Option<String>| {
        let (app, token) = (&app, token.clone());
        async move {
            let mut req = app
                .client
                .post(app.url("/api/auth/me"))
                .header("cookie", format!("platforma_session={token}"));
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            if let Some(r) = referer {
                req = req.header("referer", r);
            }
            req.send().await.expect("POST").status().as_u16()
        }
    };
    // The probe's variants: any scheme passed, and only the host was compared.
    for origin in [
        format!("foo://127.0.0.1:{port}"),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{other_port}"),
        format!("http://user@127.0.0.1:{port}"),
        "null".to_owned(),
        "http://evil.example".to_owned(),
    ] {
        assert_eq!(
            status_of(Some(origin.clone()), None).await,
            403,
            "Origin {origin}"
        );
    }
    assert_eq!(
        status_of(None, Some("http://evil.example/x".into())).await,
        403
    );
    assert_eq!(status_of(None, None).await, 403, "neither header");
    assert_eq!(status_of(Some(app.base.clone()), None).await, 200);
    assert_eq!(status_of(None, Some(app.url("/staff"))).await, 200);
});

on_both!(
    with_a_public_url_only_that_origin_may_change_state,
    |s| {
        s.security.public_url = "https://crm.example.ru".into();
    },
    |app| async {
        let token = app.session_for("admin").await;
        let status = |origin: &str| {
            let (app, token, origin) = (&app, token.clone(), origin.to_owned());
            async move {
                app.client
                    .post(app.url("/api/auth/me"))
                    .header("cookie", format!("platforma_session={token}"))
                    .header("origin", origin)
                    .send()
                    .await
                    .expect("POST")
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(status("https://crm.example.ru").await, 200);
        assert_eq!(status("https://crm.example.ru:443").await, 200);
        assert_eq!(status("http://crm.example.ru").await, 403, "the scheme");
        assert_eq!(status("https://crm.example.ru:8443").await, 403, "the port");
        assert_eq!(status(&app.base).await, 403, "the Host is not trusted then");
    }
);

on_both!(
    metrics_are_for_this_machine_an_allowlist_or_a_token,
    |s| {
        s.security.metrics_token = "metrics-token-for-tests".into();
    },
    |app| async {
        // A method no one uses becomes one series, not one per spelling.
        let odd = reqwest::Method::from_bytes("X".repeat(4000).as_bytes()).expect("method");
        let _ = app.client.request(odd, app.url("/healthz")).send().await;
        let r = app.get("/metrics").await;
        assert_eq!(r.status(), 200, "this machine");
        let text = r.text().await.expect("body");
        assert!(text.contains("method=\"other\""), "{text}");
        assert!(!text.contains("XXXXXXXX"), "the odd method is not a label");
        let r = app
            .client
            .get(app.url("/metrics"))
            .header("x-forwarded-for", "203.0.113.9")
            .send()
            .await
            .expect("GET");
        assert_eq!(
            r.status(),
            403,
            "through a proxy on this machine: not this machine"
        );
        let r = app
            .client
            .get(app.url("/metrics"))
            .header("x-forwarded-for", "203.0.113.9")
            .header("authorization", "Bearer metrics-token-for-tests")
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 200, "with the token");
        let r = app
            .client
            .get(app.url("/metrics"))
            .header("x-forwarded-for", "203.0.113.9")
            .header("authorization", "Bearer wrong")
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 403);
    }
);

/// Signs in as `login` with `password` from `ip` (through the trusted proxy on loopback),
/// optionally with a device cookie; returns the status and the device cookie set, if any.
async fn sign_in_from(
    app: &common::TestApp,
    ip: &str,
    login: &str,
    password: &str,
    device: Option<&str>,
) -> (u16, Option<String>) {
    let mut req = app
        .client
        .post(app.url("/api/auth/sign-in"))
        .header("origin", app.origin())
        .header("x-forwarded-for", ip)
        .form(&[("login", login), ("password", password), ("mode", "Staff")]);
    if let Some(d) = device {
        req = req.header("cookie", format!("platforma_device={d}"));
    }
    let r = req.send().await.expect("POST");
    (
        r.status().as_u16(),
        common::set_cookie(&r, "platforma_device"),
    )
}

on_both!(
    nobody_can_lock_a_named_dispatcher_out,
    |s| {
        s.security.trusted_proxies = vec!["127.0.0.1".into()];
    },
    |app| async {
        // The dispatcher signed in at the office before: the browser is a known device.
        let (status, office_device) =
            sign_in_from(&app, "198.51.100.7", "dispatcher", DEMO_PASSWORD, None).await;
        assert_eq!(status, 200);
        let office_device = office_device.expect("a device cookie on the first sign-in");
        // The probe's attack: five wrong passwords for the dispatcher from one address.
        for _ in 0..5 {
            let (s, _) = sign_in_from(&app, "203.0.113.5", "dispatcher", "wrong-guess", None).await;
            assert_eq!(s, 401);
        }
        let (s, _) = sign_in_from(&app, "203.0.113.5", "dispatcher", DEMO_PASSWORD, None).await;
        assert_eq!(
            s, 429,
            "the guessing address waits, even with the right password"
        );
        let (s, _) = sign_in_from(&app, "198.51.100.8", "dispatcher", DEMO_PASSWORD, None).await;
        assert_eq!(s, 200, "the dispatcher signs in from another address");
        // Guessing from many addresses (20 failures for the account in all): the account is
        // under attack; only its known devices go on.
        for i in 0..15 {
            let ip = format!("203.0.113.{}", 10 + i);
            let (s, _) = sign_in_from(&app, &ip, "dispatcher", "wrong-guess", None).await;
            assert_eq!(s, 401, "from {ip}");
        }
        let (s, _) = sign_in_from(&app, "198.51.100.9", "dispatcher", DEMO_PASSWORD, None).await;
        assert_eq!(
            s, 429,
            "an unknown device waits while the account is attacked"
        );
        let (s, _) = sign_in_from(
            &app,
            "198.51.100.9",
            "dispatcher",
            DEMO_PASSWORD,
            Some(&office_device),
        )
        .await;
        assert_eq!(s, 200, "the office browser still signs in");
        // A device cookie is worth nothing for another account, and guessing with it still
        // counts against the address.
        let (s, _) =
            sign_in_from(&app, "198.51.100.9", "admin", "wrong", Some(&office_device)).await;
        assert_eq!(s, 401);
    }
);

on_both!(the_inputs_that_held_keep_holding, |app| async {
    let admin = app.session_for("admin").await;
    // Stored XSS: a name with markup is text on the server-rendered card.
    let created = ok(app
        .call_as(
            Some(&admin),
            "/api/people/create",
            &[
                ("new[person][kind]", "Person"),
                ("new[person][last_name]", "<script>alert(1)</script>"),
                ("new[person][first_name]", "\"><img src=x onerror=alert(2)>"),
            ],
        )
        .await)
    .await;
    let id = created["Created"].as_i64().expect("created");
    let page = app
        .get_as(&admin, &format!("/staff/people/{id}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(!page.contains("<script>alert(1)"), "markup is escaped");
    assert!(!page.contains("<img src=x"), "markup is escaped");
    assert!(
        page.contains("&lt;script&gt;alert(1)"),
        "the name is shown as text"
    );

    // SQL injection through search: the quotes are data.
    for q in [
        "' OR 1=1 --",
        "%' UNION SELECT login FROM users --",
        "\\'; DROP TABLE people; --",
    ] {
        let r = app
            .call_as(Some(&admin), "/api/people/search", &[("q", q)])
            .await;
        assert_eq!(r.status(), 200, "{q}");
        let body = r.text().await.expect("body");
        assert!(
            !body.contains("demo-platforma") && !body.contains("\"admin\""),
            "{q}: {body}"
        );
    }
    assert!(
        scalar(&app, "SELECT COUNT(*) FROM people").await > 300,
        "nothing dropped"
    );

    // Session fixation: a token planted before sign-in is never the one issued.
    let planted = "ab".repeat(32);
    let r = app
        .client
        .post(app.url("/api/auth/sign-in"))
        .header("origin", app.origin())
        .header("cookie", format!("platforma_session={planted}"))
        .form(&[
            ("login", "admin"),
            ("password", DEMO_PASSWORD),
            ("mode", "Staff"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 200);
    let issued = common::set_cookie(&r, "platforma_session").expect("a session");
    assert_ne!(issued, planted);
    assert_eq!(
        app.call_as(Some(&planted), "/api/auth/me", &[])
            .await
            .status(),
        401,
        "the planted token is nobody"
    );

    // Path traversal: nothing outside the site root is served.
    for path in [
        "/pkg/../../Cargo.toml",
        "/pkg/%2e%2e/%2e%2e/Cargo.toml",
        "/icons/..%2f..%2fCargo.toml",
        "/fonts/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..%5c..%5cCargo.toml",
    ] {
        let r = app.get(path).await;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        assert!(
            !body.contains("[workspace]") && !body.contains("root:x:0:0"),
            "{path}: {status}"
        );
        assert!(
            status != 200 || body.contains("<!DOCTYPE html>"),
            "{path}: {status}"
        );
    }
});
