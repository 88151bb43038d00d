//! Access control of the assembled app, on both databases: the access matrix (every server
//! function × every demo role and anonymous), sign-in and sessions, throttling, cross-origin
//! refusal, page guards, company isolation and the append-only audit log.

mod common;

use app::access::roles::{DEFAULT_ROLES, default_role};
use app::access::server::demo::{DEMO_ACCOUNTS, DEMO_OPERATOR, DEMO_PASSWORD, DEMO_RESIDENTS};
use app::access::{Access, POLICY, Permission};
use std::collections::BTreeSet;

/// Permissions a default role grants, with those of its ancestors.
fn role_permissions(code: &str) -> BTreeSet<Permission> {
    let mut out = BTreeSet::new();
    let mut at = default_role(code);
    while let Some(r) = at {
        out.extend(r.permissions.iter().copied());
        at = r.parent.and_then(default_role);
    }
    out
}

/// Ids the sample requests refer to (all in the first demo УК).
struct Ids {
    role: String,
    user: String,
    /// The technician's role (its user keeps it when the matrix saves their access).
    tech_role: String,
    /// A building of the first УК that every building-scoped demo grant reaches, and a unit in it.
    building: String,
    unit: String,
    entrance: String,
    /// Ольга Семёнова, co-owner of that unit.
    person: String,
}

async fn ids(app: &common::TestApp) -> Ids {
    let db = app.db();
    let role: i64 = app::on_db!(db, pool => sqlx::query_scalar("SELECT id FROM roles WHERE code = 'staff' ORDER BY id LIMIT 1")
        .fetch_one(pool).await).expect("role");
    let user: i64 = app::on_db!(db, pool => sqlx::query_scalar("SELECT id FROM users WHERE login = 'technician'")
        .fetch_one(pool).await).expect("user");
    let tech_role: i64 = app::on_db!(db, pool => sqlx::query_scalar("SELECT role_id FROM role_grants WHERE user_id = $1")
        .bind(user).fetch_one(pool).await).expect("technician role");
    let (building, unit, entrance): (i64, i64, i64) = app::on_db!(db, pool => sqlx::query_as(
        "SELECT b.id, u.id, u.entrance_id FROM buildings b JOIN units u ON u.building_id = b.id WHERE b.name = 'Лесная, 12' AND u.number = '7'")
        .fetch_one(pool).await).expect("building");
    let person: i64 = app::on_db!(db, pool => sqlx::query_scalar("SELECT id FROM people WHERE last_name = 'Семёнова'")
        .fetch_one(pool).await).expect("person");
    Ids {
        person: person.to_string(),
        role: role.to_string(),
        user: user.to_string(),
        tech_role: tech_role.to_string(),
        building: building.to_string(),
        unit: unit.to_string(),
        entrance: entrance.to_string(),
    }
}

/// A request body for each server function; the matrix fails on a function without one.
fn sample(endpoint: &str, login: &str, ids: &Ids) -> Option<Vec<(&'static str, String)>> {
    let s = |v: &str| v.to_owned();
    Some(match endpoint {
        "/api/auth/sign-in" => vec![
            ("login", s(login)),
            ("password", s(DEMO_PASSWORD)),
            (
                "mode",
                s(if login.starts_with('+') {
                    "Resident"
                } else {
                    "Staff"
                }),
            ),
        ],
        "/api/auth/sign-out"
        | "/api/people/import-sources"
        | "/api/people/import-list"
        | "/api/auth/sign-out-everywhere"
        | "/api/auth/my-sessions"
        | "/api/auth/me"
        | "/api/system/overview"
        | "/api/companies/public-contacts"
        | "/api/admin/roles"
        | "/api/admin/users"
        | "/api/admin/groups"
        | "/api/admin/positions"
        | "/api/admin/scope-targets"
        | "/api/buildings/list"
        | "/api/buildings/work-areas"
        | "/api/people/claims"
        | "/api/people/duplicates"
        | "/api/cabinet/my-units"
        | "/api/cabinet/claim-buildings"
        | "/api/companies/types" => vec![],
        "/api/buildings/grid" => vec![("id", ids.building.clone())],
        "/api/buildings/unit" => vec![("id", ids.unit.clone())],
        "/api/buildings/create" => vec![
            ("plan[name]", String::new()),
            ("plan[address][region]", String::new()),
            ("plan[address][city]", s("Москва")),
            ("plan[address][street]", format!("Матричная {login}")),
            ("plan[address][house]", s("1")),
            ("plan[address][block]", String::new()),
            ("plan[entrances]", s("1")),
            ("plan[floors]", s("2")),
            ("plan[units_per_floor]", s("2")),
            ("plan[commercial_per_entrance]", s("0")),
            ("plan[parking_spaces]", s("0")),
            ("plan[first_number]", s("1")),
            ("plan[numbering]", s("Continuous")),
        ],
        "/api/buildings/unit-save" => vec![
            ("update[id]", ids.unit.clone()),
            ("update[number]", s("7")),
            ("update[kind]", s("Apartment")),
            ("update[area]", s("44,5")),
            ("update[account]", String::new()),
        ],
        "/api/buildings/work-area-save" => vec![("update[name]", format!("Зона {login}"))],
        // Out-of-range and malformed values: reach the function (422) and change nothing.
        "/api/buildings/floor-add" => vec![
            ("add[entrance_id]", ids.entrance.clone()),
            ("add[units]", s("0")),
        ],
        "/api/buildings/unit-split" => vec![
            ("split[id]", ids.unit.clone()),
            ("split[new_number]", s("7 7")),
        ],
        "/api/buildings/unit-merge" => vec![
            ("merge[id]", ids.unit.clone()),
            ("merge[with]", ids.unit.clone()),
        ],
        "/api/people/unit-residents" | "/api/people/of-unit" => vec![("unit", ids.unit.clone())],
        "/api/people/list" | "/api/phonebook/list" => vec![("filter[q]", String::new())],
        "/api/people/card" => vec![("id", ids.person.clone())],
        "/api/people/by-phone" => vec![("phone", s("8 916 555-12-34"))],
        "/api/search" => vec![("q", s("Семёнова"))],
        // No phone: reaches the function (422) and changes nothing.
        "/api/phonebook/save" => vec![
            ("entry[category]", s("Contractor")),
            ("entry[name]", format!("Контакт {login}")),
        ],
        // Bad input: reaches the function (422 / 404) and changes nothing.
        "/api/people/create" => vec![
            ("new[person][kind]", s("Person")),
            ("new[person][last_name]", String::new()),
        ],
        "/api/people/update" => vec![
            ("id", ids.person.clone()),
            ("person[kind]", s("Person")),
            ("person[last_name]", String::new()),
        ],
        "/api/people/unit-link" => vec![
            ("id", ids.person.clone()),
            ("link[unit_id]", ids.unit.clone()),
            ("link[relation]", s("Tenant")),
            ("link[share]", s("1/2")),
        ],
        "/api/people/unit-unlink" => vec![("link", s("0"))],
        "/api/people/vehicle-add" => vec![("id", ids.person.clone()), ("vehicle[plate]", s("!"))],
        "/api/people/vehicle-remove" => vec![("vehicle", s("0"))],
        "/api/people/consent-set" => vec![
            ("id", ids.person.clone()),
            ("consent[kind]", s("Mailings")),
            ("consent[given_on]", String::new()),
        ],
        "/api/people/consent-withdraw" => vec![("id", s("0")), ("kind", s("Mailings"))],
        "/api/people/note-add" => vec![("id", ids.person.clone()), ("body", s(" "))],
        "/api/people/merge" => vec![("keep", ids.person.clone()), ("other", ids.person.clone())],
        "/api/people/invite" => vec![
            ("invitation[unit_id]", ids.unit.clone()),
            ("invitation[phone]", s("+79005550000")),
            ("invitation[name]", s("Приглашённый Житель")),
            ("invitation[relation]", s("Owner")),
        ],
        "/api/people/invitation-revoke" | "/api/people/link-end" | "/api/phonebook/delete" => {
            vec![("id", s("0"))]
        }
        "/api/people/claim-decide" => vec![("id", s("0")), ("accept", s("true"))],
        // An empty file: reaches the function (422) and stores nothing.
        "/api/people/import-upload" => vec![
            ("building", ids.building.clone()),
            ("source", String::new()),
            ("file_name", s("empty.csv")),
            ("content", String::new()),
        ],
        "/api/people/import-preview" | "/api/people/import-status" => vec![("id", s("0"))],
        "/api/people/import-start" => vec![("id", s("0")), ("valid_only", s("true"))],
        "/api/people/import-report" => vec![("id", s("0")), ("page", s("1"))],
        "/api/cabinet/claim" => vec![
            ("claim[building_id]", ids.building.clone()),
            ("claim[number]", s("7")),
            ("claim[relation]", s("Owner")),
            ("claim[note]", String::new()),
        ],
        // A bad INN: reaches the function (422) and changes nothing.
        "/api/companies/save" => vec![
            ("update[kind]", s("Contractor")),
            ("update[name]", s("ООО «Проверка»")),
            ("update[short_name]", s("Проверка")),
            ("update[inn]", s("1")),
        ],
        "/api/companies/type-save" => vec![
            ("update[kind]", s("Contractor")),
            ("update[name]", format!("Вид {login}")),
        ],
        "/api/companies/list" => vec![("q", String::new())],
        "/api/auth/code-request" => vec![("phone", s("+79000000001"))],
        // A malformed code: reaches the function (422) without guessing anything.
        "/api/auth/code-sign-in" => vec![("phone", s("+79000000001")), ("code", s("12"))],
        // A too-short new password: reaches the function (422) and changes nothing.
        "/api/auth/password-change" => {
            vec![("current", s(DEMO_PASSWORD)), ("password", s("short"))]
        }
        "/api/admin/role" => vec![("id", ids.role.clone())],
        "/api/admin/role-save" => vec![
            ("update[id]", ids.role.clone()),
            ("update[name]", s("Сотрудник")),
            ("update[description]", String::new()),
            ("update[permissions][0]", s("CompaniesView")),
        ],
        "/api/admin/user-create" => vec![
            ("user[login]", format!("matrix.{login}")),
            ("user[name]", s("Проверка Матрицы")),
            ("user[role_id]", ids.role.clone()),
            ("user[scope]", s("Company")),
        ],
        "/api/admin/user-active" => vec![("id", ids.user.clone()), ("active", s("true"))],
        "/api/admin/user-reset-password" | "/api/admin/user-sessions" => {
            vec![("id", ids.user.clone())]
        }
        "/api/admin/session-revoke" => vec![
            ("user_id", ids.user.clone()),
            ("session", s("0000000000000000")),
        ],
        "/api/admin/group-save" => vec![("update[name]", format!("Отдел {login}"))],
        "/api/admin/position-save" => vec![("update[name]", format!("Должность {login}"))],
        "/api/admin/user-access" => vec![("id", ids.user.clone())],
        "/api/admin/user-access-save" => vec![
            ("access[user_id]", ids.user.clone()),
            ("access[grants][0][role_id]", ids.tech_role.clone()),
            ("access[grants][0][scope]", s("Own")),
        ],
        "/api/admin/audit" => vec![
            ("filter[actor]", String::new()),
            ("filter[action]", String::new()),
            ("filter[entity]", String::new()),
        ],
        _ => return None,
    })
}

on_both!(
    access_matrix_every_server_function_every_role,
    |app| async {
        let endpoints: Vec<(&str, Access)> = POLICY
            .iter()
            .copied()
            .filter(|(p, _)| p.starts_with("/api/"))
            .collect();
        let ids = ids(&app).await;
        let mut callers: Vec<Option<(&str, &str)>> = vec![None];
        callers.extend(
            DEMO_ACCOUNTS
                .iter()
                .map(|(login, role, _)| Some((*login, *role))),
        );
        callers.extend(
            DEMO_RESIDENTS
                .iter()
                .map(|(phone, _)| Some((*phone, "resident"))),
        );
        callers.push(Some((DEMO_OPERATOR, "operator")));
        for (endpoint, access) in &endpoints {
            for caller in &callers {
                let (token, login, expected) = match caller {
                    None => (None, "admin", matches!(access, Access::Public)),
                    Some((login, role)) => {
                        let perms = role_permissions(role);
                        let ok = match access {
                            Access::Public | Access::Authenticated => true,
                            // The operator holds every permission (no company of its own).
                            Access::Permission(_) if *role == "operator" => true,
                            Access::Permission(p) => perms.contains(p),
                            Access::Resident => *role == "resident",
                            Access::Operator => *role == "operator",
                        };
                        (Some(app.session_for(login).await), *login, ok)
                    }
                };
                let form = sample(endpoint, login, &ids)
                    .unwrap_or_else(|| panic!("no sample request for {endpoint}: add one"));
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let before = app.fingerprint().await;
                let r = app.call_as(token.as_deref(), endpoint, &form).await;
                let status = r.status().as_u16();
                let who = caller.map_or("anonymous", |c| c.0);
                if expected {
                    assert!(
                        ![401, 403].contains(&status),
                        "{who} must reach {endpoint}, got {status}"
                    );
                } else {
                    let want = if token.is_some() { 403 } else { 401 };
                    assert_eq!(status, want, "{who} must be refused {endpoint}");
                    assert_eq!(
                        before,
                        app.fingerprint().await,
                        "a refused call to {endpoint} by {who} changed the database"
                    );
                }
            }
        }
    }
);

on_both!(
    sign_in_sets_a_strict_cookie_and_sign_out_revokes_it,
    |app| async {
        let r = app
            .call(
                "/api/auth/sign-in",
                &[
                    ("login", "Dispatcher"),
                    ("password", DEMO_PASSWORD),
                    ("mode", "Staff"),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict")
                && cookie.contains("Path=/"),
            "{cookie}"
        );
        let token = cookie
            .split(';')
            .next()
            .and_then(|kv| kv.split_once('='))
            .map(|(_, v)| v.to_owned())
            .expect("token");
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(body["home"], "/staff");

        let me: serde_json::Value = app
            .call_as(Some(&token), "/api/auth/me", &[])
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(me["home"], "/staff");
        // The dispatcher's role comes through the "Диспетчерская служба" group.
        assert!(
            me["permissions"]
                .as_array()
                .is_some_and(|p| p.iter().any(|x| x == "CallsTake")),
            "{me}"
        );

        let r = app.call_as(Some(&token), "/api/auth/sign-out", &[]).await;
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["set-cookie"]
                .to_str()
                .expect("ascii")
                .contains("Max-Age=0")
        );
        assert_eq!(
            app.call_as(Some(&token), "/api/auth/me", &[])
                .await
                .status(),
            401,
            "revoked session"
        );

        let actions: Vec<String> = app::on_db!(app.db(), pool => sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(pool).await).expect("audit");
        assert_eq!(actions, vec!["auth.sign_in", "auth.sign_out"]);
    }
);

on_both!(wrong_login_and_wrong_password_look_the_same, |app| async {
    let a = app
        .call(
            "/api/auth/sign-in",
            &[
                ("login", "admin"),
                ("password", "wrong-password"),
                ("mode", "Staff"),
            ],
        )
        .await;
    let b = app
        .call(
            "/api/auth/sign-in",
            &[
                ("login", "no-such-user"),
                ("password", "wrong-password"),
                ("mode", "Staff"),
            ],
        )
        .await;
    assert_eq!(a.status(), 401);
    assert_eq!(b.status(), 401);
    assert_eq!(a.text().await.expect("body"), b.text().await.expect("body"));
});

on_both!(
    the_eleventh_wrong_password_from_one_ip_gets_429,
    |app| async {
        for i in 0..10 {
            let login = format!("nobody{i}");
            let r = app
                .call(
                    "/api/auth/sign-in",
                    &[
                        ("login", &login),
                        ("password", "wrong-password"),
                        ("mode", "Staff"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 401, "attempt {}", i + 1);
        }
        let r = app
            .call(
                "/api/auth/sign-in",
                &[
                    ("login", "admin"),
                    ("password", DEMO_PASSWORD),
                    ("mode", "Staff"),
                ],
            )
            .await;
        assert_eq!(r.status(), 429, "11th attempt from one IP");
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=900).contains(&retry), "{retry}");
    }
);

on_both!(cross_origin_posts_are_refused, |app| async {
    let url = app.url("/api/auth/me");
    let token = app.session_for("admin").await;
    let cookie = format!("platforma_session={token}");
    for origin in [None, Some("https://evil.example")] {
        let mut req = app.client.post(&url).header("cookie", &cookie);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.expect("POST");
        assert_eq!(r.status(), 403, "origin {origin:?}");
    }
    let r = app
        .client
        .post(&url)
        .header("cookie", &cookie)
        .header("referer", app.url("/staff"))
        .send()
        .await
        .expect("POST");
    assert_eq!(
        r.status(),
        200,
        "same-origin Referer is accepted when Origin is absent"
    );
});

on_both!(pages_send_people_where_they_belong, |app| async {
    let r = app.get("/staff/companies?q=1").await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/login?next=/staff/companies%3Fq%3D1"
    );

    let dispatcher = app.session_for("dispatcher").await;
    assert_eq!(app.get_as(&dispatcher, "/staff").await.status(), 200);
    let r = app.get_as(&dispatcher, "/guard").await;
    assert_eq!(
        (r.status().as_u16(), r.headers()["location"].to_str().ok()),
        (303, Some("/staff")),
        "dispatchers have no passes.check"
    );
    let r = app.get_as(&dispatcher, "/login").await;
    assert_eq!(
        r.headers()["location"],
        "/staff",
        "signed-in users skip the sign-in page"
    );

    let concierge = app.session_for("concierge").await;
    assert_eq!(app.get_as(&concierge, "/guard").await.status(), 200);

    let post = app
        .session_of_kind("guard", app::access::server::session::SessionKind::Guard)
        .await;
    assert_eq!(app.get_as(&post, "/guard").await.status(), 200);
    let r = app.get_as(&post, "/staff").await;
    assert_eq!(
        r.headers()["location"],
        "/guard",
        "a guard tablet never opens the staff workspace"
    );
});

on_both!(a_guard_tablet_keeps_only_guard_permissions, |app| async {
    let post = app
        .session_of_kind("admin", app::access::server::session::SessionKind::Guard)
        .await;
    let me: serde_json::Value = app
        .call_as(Some(&post), "/api/auth/me", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        me["permissions"],
        serde_json::json!(["PassesCheck"]),
        "{me}"
    );
    assert_eq!(
        app.call_as(Some(&post), "/api/companies/list", &[("q", "")])
            .await
            .status(),
        403
    );
});

on_both!(guard_post_sign_in_needs_passes_check, |app| async {
    let r = app
        .call(
            "/api/auth/sign-in",
            &[
                ("login", "guard"),
                ("password", DEMO_PASSWORD),
                ("mode", "GuardPost"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<serde_json::Value>().await.expect("json")["home"],
        "/guard"
    );
    let r = app
        .call(
            "/api/auth/sign-in",
            &[
                ("login", "marketer"),
                ("password", DEMO_PASSWORD),
                ("mode", "GuardPost"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
});

on_both!(companies_never_see_each_other, |app| async {
    for (login, own, other) in [
        ("admin", "Северный квартал", "Речной берег"),
        ("admin2", "Речной берег", "Северный квартал"),
    ] {
        let token = app.session_for(login).await;
        let body = app
            .call_as(Some(&token), "/api/companies/list", &[("q", "")])
            .await
            .text()
            .await
            .expect("body");
        assert!(body.contains(own), "{login}: {body}");
        assert!(
            !body.contains(other),
            "{login} must not see {other}: {body}"
        );
    }
    let operator = app.session_for("operator").await;
    let all: serde_json::Value = app
        .call_as(Some(&operator), "/api/companies/list", &[("q", "")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(5),
        "the platform operator sees the whole registry"
    );
});

on_both!(
    a_role_change_takes_effect_on_the_next_request,
    |app| async {
        let token = app.session_for("dispatcher").await;
        assert_eq!(
            app.call_as(Some(&token), "/api/companies/list", &[("q", "")])
                .await
                .status(),
            200
        );
        // Take `companies.view` away from the base role the dispatcher inherits it from.
        app::on_db!(app.db(), pool => sqlx::query(
        "DELETE FROM role_permissions WHERE permission = 'companies.view' AND role_id IN (SELECT id FROM roles WHERE code = 'staff')")
        .execute(pool).await.map(|_| ())).expect("revoke");
        assert_eq!(
            app.call_as(Some(&token), "/api/companies/list", &[("q", "")])
                .await
                .status(),
            403
        );
    }
);

on_both!(idle_and_expired_sessions_end, |app| async {
    let token = app.session_for("admin").await;
    let id = app::access::server::session::token_id(&token);
    let long_ago = chrono::Utc::now() - chrono::Duration::hours(9);
    app::on_db!(app.db(), pool => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(long_ago).bind(&id).execute(pool).await.map(|_| ())).expect("age the session");
    assert_eq!(
        app.call_as(Some(&token), "/api/auth/me", &[])
            .await
            .status(),
        401,
        "idle longer than 8 h"
    );
});

on_both!(the_audit_log_refuses_updates_and_deletes, |app| async {
    let r = app
        .call(
            "/api/auth/sign-in",
            &[
                ("login", "admin"),
                ("password", DEMO_PASSWORD),
                ("mode", "Staff"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let db = app.db();
    let update = app::on_db!(db, pool => sqlx::query("UPDATE audit_log SET actor_name = 'someone else'").execute(pool).await.map(|_| ()));
    assert!(update.is_err(), "UPDATE must be refused");
    let delete = app::on_db!(db, pool => sqlx::query("DELETE FROM audit_log").execute(pool).await.map(|_| ()));
    assert!(delete.is_err(), "DELETE must be refused");
    let rows: i64 = app::on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(pool).await).expect("count");
    assert_eq!(rows, 1);
    // The log does not depend on the user row: deactivating the actor keeps it readable.
    let name: String = app::on_db!(db, pool => sqlx::query_scalar("SELECT actor_name FROM audit_log").fetch_one(pool).await).expect("name");
    assert!(!name.is_empty());
});

#[test]
fn default_roles_match_the_demo_accounts() {
    for (login, role, _) in DEMO_ACCOUNTS {
        assert!(
            DEFAULT_ROLES.iter().any(|r| r.code == *role),
            "{login}: unknown role {role}"
        );
    }
}

on_both!(a_guard_post_gets_only_allowlisted_fields, |app| async {
    use app::access::server::guard_view::forbidden_field;
    let ids = ids(&app).await;
    let mut answered = 0;
    for (endpoint, _) in POLICY.iter().filter(|(p, _)| p.starts_with("/api/")) {
        // A fresh post per call: sign-out ends the session it is called with.
        let post = app
            .session_of_kind("guard", app::access::server::session::SessionKind::Guard)
            .await;
        let form = sample(endpoint, "guard", &ids).expect("sample");
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.call_as(Some(&post), endpoint, &form).await;
        if r.status() == 200 {
            answered += 1;
            let body: serde_json::Value = r.json().await.unwrap_or(serde_json::Value::Null);
            assert_eq!(
                forbidden_field(&body),
                None,
                "{endpoint} answered a guard post with a field outside the allowlist"
            );
        }
    }
    assert!(
        answered >= 2,
        "the post's own endpoints answer ({answered})"
    );
    let post = app
        .session_of_kind("guard", app::access::server::session::SessionKind::Guard)
        .await;
    // Public contacts carry phones and e-mails: a guard post is refused them outright.
    let r = app
        .call_as(Some(&post), "/api/companies/public-contacts", &[])
        .await;
    assert_eq!(r.status(), 403);
});
