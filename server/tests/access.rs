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

/// A request to a server function and what an allowed caller must get for it.
struct Sample {
    form: Vec<(&'static str, String)>,
    /// The statuses the sample input is documented to get from a caller who may call the
    /// function: 200 for a good input, 422 for the bad inputs chosen to change nothing, 404 for
    /// an id that does not exist, 409 for a state that refuses the change.
    ok: &'static [u16],
    /// The input names objects of the first demo УК (a building, unit, person or user). Its
    /// administrator and the operator get `ok`; other allowed callers may also get these statuses
    /// when their company or scope does not reach those objects: 404 (out of reach answers like
    /// missing), or 422 where the object is a reference in a new record (a role for a new user).
    out_of_reach: &'static [u16],
    /// The function works in the caller's own company: the platform operator, who has none, gets
    /// 422 (`company/required`) and nothing changes.
    own_company: bool,
}

const OK: &[u16] = &[200];
const BAD: &[u16] = &[422];
const MISSING: &[u16] = &[404];

/// A request body for each server function; the matrix fails on a function without one.
fn sample(endpoint: &str, login: &str, ids: &Ids) -> Option<Sample> {
    let s = |v: &str| v.to_owned();
    let plain = |form: Vec<(&'static str, String)>, ok: &'static [u16]| Sample {
        form,
        ok,
        out_of_reach: &[],
        own_company: false,
    };
    let scoped = |form: Vec<(&'static str, String)>, ok: &'static [u16]| Sample {
        form,
        ok,
        out_of_reach: MISSING,
        own_company: false,
    };
    let own = |form: Vec<(&'static str, String)>, ok: &'static [u16]| Sample {
        form,
        ok,
        out_of_reach: &[],
        own_company: true,
    };
    Some(match endpoint {
        "/api/auth/sign-in" => plain(
            vec![
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
            OK,
        ),
        "/api/auth/sign-out"
        | "/api/auth/sign-out-everywhere"
        | "/api/auth/my-sessions"
        | "/api/auth/me"
        | "/api/system/overview"
        | "/api/home/today"
        | "/api/companies/public-contacts"
        | "/api/admin/roles"
        | "/api/admin/users"
        | "/api/admin/groups"
        | "/api/admin/positions"
        | "/api/buildings/list"
        | "/api/buildings/work-areas"
        | "/api/residents/claims"
        | "/api/people/duplicates"
        | "/api/residents/my-units"
        | "/api/residents/claim-buildings"
        | "/api/residents/my-invitations"
        | "/api/residents/invitations-accept"
        | "/api/companies/types" => plain(vec![], OK),
        "/api/imports/sources" | "/api/imports/list" | "/api/buildings/scope-targets" => {
            own(vec![], OK)
        }
        "/api/buildings/grid" => scoped(vec![("id", ids.building.clone())], OK),
        "/api/buildings/unit" => scoped(vec![("id", ids.unit.clone())], OK),
        "/api/history/unit" => scoped(vec![("unit", ids.unit.clone())], OK),
        // A new building of the caller's own company.
        "/api/buildings/create" => own(
            vec![
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
            OK,
        ),
        "/api/buildings/unit-save" => scoped(
            vec![
                ("update[id]", ids.unit.clone()),
                ("update[number]", s("7")),
                ("update[kind]", s("Apartment")),
                ("update[area]", s("44,5")),
                ("update[account]", String::new()),
            ],
            OK,
        ),
        "/api/buildings/work-area-save" => own(vec![("update[name]", format!("Зона {login}"))], OK),
        // Out-of-range and malformed values: reach the function (422) and change nothing.
        "/api/buildings/floor-add" => scoped(
            vec![
                ("add[entrance_id]", ids.entrance.clone()),
                ("add[units]", s("0")),
            ],
            BAD,
        ),
        "/api/buildings/unit-split" => scoped(
            vec![
                ("split[id]", ids.unit.clone()),
                ("split[new_number]", s("7 7")),
            ],
            BAD,
        ),
        "/api/buildings/unit-merge" => scoped(
            vec![
                ("merge[id]", ids.unit.clone()),
                ("merge[with]", ids.unit.clone()),
            ],
            BAD,
        ),
        "/api/residents/unit" | "/api/people/of-unit" => {
            scoped(vec![("unit", ids.unit.clone())], OK)
        }
        "/api/people/list" | "/api/phonebook/list" => plain(vec![("filter[q]", String::new())], OK),
        "/api/people/card" => scoped(vec![("id", ids.person.clone())], OK),
        "/api/people/by-phone" => scoped(vec![("phone", s("8 916 555-12-34"))], OK),
        "/api/people/search" => plain(vec![("q", s("Семёнова"))], OK),
        // No phone: reaches the function (422) and changes nothing.
        "/api/phonebook/save" => plain(
            vec![
                ("entry[category]", s("Contractor")),
                ("entry[name]", format!("Контакт {login}")),
            ],
            BAD,
        ),
        // Bad input: reaches the function (422 / 404) and changes nothing.
        "/api/people/create" => plain(
            vec![
                ("new[person][kind]", s("Person")),
                ("new[person][last_name]", String::new()),
            ],
            BAD,
        ),
        "/api/people/update" => scoped(
            vec![
                ("id", ids.person.clone()),
                ("person[kind]", s("Person")),
                ("person[last_name]", String::new()),
            ],
            BAD,
        ),
        "/api/people/unit-link" => scoped(
            vec![
                ("id", ids.person.clone()),
                ("link[unit_id]", ids.unit.clone()),
                ("link[relation]", s("Tenant")),
                ("link[share]", s("1/2")),
            ],
            BAD,
        ),
        "/api/people/unit-unlink" => plain(vec![("link", s("0"))], MISSING),
        "/api/people/vehicle-add" => scoped(
            vec![("id", ids.person.clone()), ("vehicle[plate]", s("!"))],
            BAD,
        ),
        "/api/people/vehicle-remove" => plain(vec![("vehicle", s("0"))], MISSING),
        "/api/people/consent-set" => scoped(
            vec![
                ("id", ids.person.clone()),
                ("consent[kind]", s("Mailings")),
                ("consent[given_on]", String::new()),
            ],
            BAD,
        ),
        "/api/people/consent-withdraw" => {
            plain(vec![("id", s("0")), ("kind", s("Mailings"))], MISSING)
        }
        "/api/people/note-add" => scoped(vec![("id", ids.person.clone()), ("body", s(" "))], BAD),
        "/api/people/merge" => scoped(
            vec![("keep", ids.person.clone()), ("other", ids.person.clone())],
            BAD,
        ),
        "/api/residents/invite" => scoped(
            vec![
                ("invitation[unit_id]", ids.unit.clone()),
                ("invitation[phone]", s("+79005550000")),
                ("invitation[name]", s("Приглашённый Житель")),
                ("invitation[relation]", s("Owner")),
            ],
            OK,
        ),
        "/api/residents/claim-decide" => {
            plain(vec![("id", s("0")), ("accept", s("true"))], MISSING)
        }
        // An empty file: reaches the function (422) and stores nothing.
        "/api/imports/upload" => scoped(
            vec![
                ("building", ids.building.clone()),
                ("source", String::new()),
                ("file_name", s("empty.csv")),
                ("content", String::new()),
            ],
            BAD,
        ),
        // Ids that do not exist: reach the function (404) and change nothing.
        "/api/residents/invitation-revoke"
        | "/api/residents/link-end"
        | "/api/phonebook/delete"
        | "/api/imports/preview"
        | "/api/imports/status" => plain(vec![("id", s("0"))], MISSING),
        "/api/imports/start" => plain(vec![("id", s("0")), ("valid_only", s("true"))], MISSING),
        "/api/imports/report" => plain(vec![("id", s("0")), ("page", s("1"))], MISSING),
        // A resident claims flat 7 of a building of the first УК: the first demo resident lives
        // with that company (200); the second does not, and the building answers like a missing one.
        "/api/residents/claim" => plain(
            vec![
                ("claim[building_id]", ids.building.clone()),
                ("claim[number]", s("7")),
                ("claim[relation]", s("Owner")),
                ("claim[note]", String::new()),
            ],
            if login == "+79000000001" { OK } else { MISSING },
        ),
        // A bad INN: reaches the function (422) and changes nothing.
        "/api/companies/save" => plain(
            vec![
                ("update[kind]", s("Contractor")),
                ("update[name]", s("ООО «Проверка»")),
                ("update[short_name]", s("Проверка")),
                ("update[inn]", s("1")),
            ],
            BAD,
        ),
        "/api/companies/type-save" => plain(
            vec![
                ("update[kind]", s("Contractor")),
                ("update[name]", format!("Вид {login}")),
            ],
            OK,
        ),
        "/api/companies/list" => plain(vec![("q", String::new())], OK),
        "/api/auth/code-request" => plain(vec![("phone", s("+79000000001"))], OK),
        // A malformed code: reaches the function (422) without guessing anything.
        "/api/auth/code-sign-in" => {
            plain(vec![("phone", s("+79000000001")), ("code", s("12"))], BAD)
        }
        // A too-short new password: reaches the function (422) and changes nothing.
        "/api/auth/password-change" => plain(
            vec![("current", s(DEMO_PASSWORD)), ("password", s("short"))],
            BAD,
        ),
        "/api/admin/role" => scoped(vec![("id", ids.role.clone())], OK),
        "/api/admin/role-save" => scoped(
            vec![
                ("update[id]", ids.role.clone()),
                ("update[name]", s("Сотрудник")),
                ("update[description]", String::new()),
                ("update[permissions][0]", s("CompaniesView")),
            ],
            OK,
        ),
        // The role is the first УК's: another company's administrator gets 422 on `role_id`.
        "/api/admin/user-create" => Sample {
            out_of_reach: BAD,
            ..scoped(
                vec![
                    ("user[login]", format!("matrix.{login}")),
                    ("user[name]", s("Проверка Матрицы")),
                    ("user[role_id]", ids.role.clone()),
                    ("user[scope]", s("Company")),
                ],
                OK,
            )
        },
        "/api/admin/user-active" => {
            scoped(vec![("id", ids.user.clone()), ("active", s("true"))], OK)
        }
        "/api/admin/user-reset-password" | "/api/admin/user-sessions" => {
            scoped(vec![("id", ids.user.clone())], OK)
        }
        "/api/admin/session-revoke" => scoped(
            vec![
                ("user_id", ids.user.clone()),
                ("session", s("0000000000000000")),
            ],
            MISSING,
        ),
        "/api/admin/group-save" => own(vec![("update[name]", format!("Отдел {login}"))], OK),
        "/api/admin/position-save" => own(vec![("update[name]", format!("Должность {login}"))], OK),
        "/api/admin/user-access" => scoped(vec![("id", ids.user.clone())], OK),
        "/api/admin/user-access-save" => scoped(
            vec![
                ("access[user_id]", ids.user.clone()),
                ("access[grants][0][role_id]", ids.tech_role.clone()),
                ("access[grants][0][scope]", s("Own")),
            ],
            OK,
        ),
        "/api/admin/audit" => plain(
            vec![
                ("filter[actor]", String::new()),
                ("filter[action]", String::new()),
                ("filter[entity]", String::new()),
            ],
            OK,
        ),
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
        // Every wrong answer, reported together.
        let mut wrong: Vec<String> = Vec::new();
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
                            // Residents act through their units, not through role permissions.
                            Access::Permission(_) if *role == "resident" => false,
                            Access::Permission(p) => perms.contains(p),
                            Access::Resident => *role == "resident",
                            Access::Operator => *role == "operator",
                            Access::Monitoring => false,
                        };
                        (Some(app.session_for(login).await), *login, ok)
                    }
                };
                let sample = sample(endpoint, login, &ids)
                    .unwrap_or_else(|| panic!("no sample request for {endpoint}: add one"));
                let form: Vec<(&str, &str)> =
                    sample.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let before = app.fingerprint().await;
                let r = app.call_as(token.as_deref(), endpoint, &form).await;
                let status = r.status().as_u16();
                let who = caller.map_or("anonymous", |c| c.0);
                if expected {
                    let reaches_all = matches!(who, "admin" | "operator");
                    let documented: &[u16] = if sample.own_company && who == "operator" {
                        BAD
                    } else {
                        sample.ok
                    };
                    let fine = documented.contains(&status)
                        || (!reaches_all && sample.out_of_reach.contains(&status));
                    if !fine {
                        let body = r.text().await.unwrap_or_default();
                        wrong.push(format!(
                            "{who} → {endpoint}: {status} (documented: {documented:?}, out of reach: {:?}) {body}",
                            sample.out_of_reach
                        ));
                    }
                } else {
                    let want = if token.is_some() { 403 } else { 401 };
                    if status != want {
                        wrong.push(format!(
                            "{who} → {endpoint}: {status}, must be refused with {want}"
                        ));
                    } else if before != app.fingerprint().await {
                        wrong.push(format!(
                            "a refused call to {endpoint} by {who} changed the database"
                        ));
                    }
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong answers in the access matrix:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
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

on_both!(
    a_guard_post_reaches_only_its_endpoints_and_gets_only_allowlisted_fields,
    |app| async {
        use app::access::GUARD_ENDPOINTS;
        use app::access::server::guard_view::forbidden_field;
        let ids = ids(&app).await;
        for (endpoint, _) in POLICY.iter().filter(|(p, _)| p.starts_with("/api/")) {
            // A fresh post per call: sign-out ends the session it is called with.
            let post = app
                .session_of_kind("guard", app::access::server::session::SessionKind::Guard)
                .await;
            let sample = sample(endpoint, "guard", &ids).expect("sample");
            let form: Vec<(&str, &str)> =
                sample.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let before = app.fingerprint().await;
            let r = app.call_as(Some(&post), endpoint, &form).await;
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            if GUARD_ENDPOINTS.contains(endpoint) {
                assert_eq!(status, 200, "a guard post must reach {endpoint}: {body}");
                let value: serde_json::Value = serde_json::from_str(&body).expect("a JSON answer");
                assert_eq!(
                    forbidden_field(&value),
                    None,
                    "{endpoint} answered a guard post with data outside the allowlist: {body}"
                );
            } else {
                assert_eq!(status, 403, "a guard post is refused {endpoint}: {body}");
                assert_eq!(
                    before,
                    app.fingerprint().await,
                    "a refused call to {endpoint} from a guard post changed the database"
                );
            }
        }
    }
);
