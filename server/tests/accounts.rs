//! Accounts of the assembled app, on both databases: resident sign-in by one-time SMS code
//! (single use, expiry, attempt limit, no account enumeration), resident password sign-in,
//! password change, "sign out everywhere", and where residents may and may not go.

mod common;

use app::access::server::demo::DEMO_PASSWORD;
use app::access::server::session::SessionKind;
use std::path::PathBuf;

const RESIDENT: &str = "+79000000001";

/// A fresh SMS spool file for one test run.
fn spool() -> PathBuf {
    let dir = std::env::temp_dir().join("platforma-test-sms");
    std::fs::create_dir_all(&dir).expect("spool dir");
    dir.join(format!(
        "{}-{}.jsonl",
        std::process::id(),
        rand::random::<u64>()
    ))
}

/// The SMS written to the spool so far: (to, text).
fn sent(path: &PathBuf) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            (
                v["to"].as_str().expect("to").to_owned(),
                v["text"].as_str().expect("text").to_owned(),
            )
        })
        .collect()
}

/// The six digits in an SMS text.
fn code_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        .to_owned()
}

fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("platforma_session="))
        .and_then(|c| c.split(';').next())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

macro_rules! with_spool {
    ($name:ident, |$app:ident, $spool:ident| $body:expr) => {
        mod $name {
            use super::*;

            async fn run(kind: common::Kind) {
                let $spool = spool();
                let path = $spool.to_string_lossy().into_owned();
                let $app = common::TestApp::spawn_with(kind, move |s| {
                    s.sms.gateway = "file".into();
                    s.sms.file = path;
                    // The code's own limits are under test here, not the sign-in throttle
                    // (which `access.rs` covers).
                    s.security.sign_in_failures_per_account = 50;
                    s.security.sign_in_failures_per_ip = 50;
                })
                .await;
                let $app = {
                    $body.await;
                    $app
                };
                $app.finish().await;
                let _ = std::fs::remove_file(&$spool);
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(common::Kind::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if app::db::testing::pg_skipped() {
                    eprintln!("PostgreSQL skipped (PLATFORMA_SKIP_PG)");
                    return;
                }
                run(common::Kind::Postgres).await;
            }
        }
    };
}

with_spool!(
    a_resident_signs_in_with_a_one_time_code,
    |app, spool| async {
        let r = app
            .call("/api/auth/code-request", &[("phone", "8 (900) 000-00-01")])
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
        let sms = sent(&spool);
        assert_eq!(sms.len(), 1, "one SMS sent");
        assert_eq!(sms[0].0, RESIDENT, "sent to the number in E.164");
        let code = code_in(&sms[0].1);
        let wrong = if code == "000000" { "111111" } else { "000000" };

        let r = app
            .call(
                "/api/auth/code-sign-in",
                &[("phone", RESIDENT), ("code", wrong)],
            )
            .await;
        assert_eq!(r.status(), 401, "a wrong code is refused");
        assert!(session_cookie(&r).is_none());

        let r = app
            .call(
                "/api/auth/code-sign-in",
                &[("phone", "+7 900 000 00 01"), ("code", &code)],
            )
            .await;
        assert_eq!(r.status(), 200, "the right code signs in");
        let token = session_cookie(&r).expect("session cookie");
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(body["home"], "/cabinet");
        assert_eq!(app.get_as(&token, "/cabinet").await.status(), 200);

        let r = app
            .call(
                "/api/auth/code-sign-in",
                &[("phone", RESIDENT), ("code", &code)],
            )
            .await;
        assert_eq!(r.status(), 401, "a code works once");
    }
);

with_spool!(asking_for_a_code_reveals_nothing, |app, spool| async {
    let known = app
        .call("/api/auth/code-request", &[("phone", RESIDENT)])
        .await;
    let unknown = app
        .call("/api/auth/code-request", &[("phone", "+79005550000")])
        .await;
    assert_eq!(known.status(), 200);
    assert_eq!(unknown.status(), 200);
    let (k, u): (serde_json::Value, serde_json::Value) = (
        known.json().await.expect("json"),
        unknown.json().await.expect("json"),
    );
    assert_eq!(k["resend_after_secs"], u["resend_after_secs"]);
    assert_eq!(k["valid_minutes"], u["valid_minutes"]);
    assert_eq!(
        sent(&spool).len(),
        1,
        "no SMS to a phone without an account"
    );

    let again = app
        .call("/api/auth/code-request", &[("phone", RESIDENT)])
        .await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        sent(&spool).len(),
        1,
        "a second code within a minute is not sent"
    );

    let r = app
        .call("/api/auth/code-request", &[("phone", "12-34")])
        .await;
    assert_eq!(r.status(), 422, "a malformed phone gets a reason");
});

with_spool!(
    codes_expire_and_die_after_five_wrong_guesses,
    |app, spool| async {
        app.call("/api/auth/code-request", &[("phone", RESIDENT)])
            .await;
        let code = code_in(&sent(&spool)[0].1);
        let db = app.db();
        let past = chrono::Utc::now() - chrono::Duration::minutes(11);
        app::on_db!(db, pool => sqlx::query("UPDATE sign_in_codes SET expires_at = $1, created_at = $1")
        .bind(past).execute(pool).await.map(|_| ()))
    .expect("age the code");
        let r = app
            .call(
                "/api/auth/code-sign-in",
                &[("phone", RESIDENT), ("code", &code)],
            )
            .await;
        assert_eq!(r.status(), 401, "an expired code is refused");

        app.call("/api/auth/code-request", &[("phone", RESIDENT)])
            .await;
        let code = code_in(&sent(&spool)[1].1);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for i in 0..5 {
            let r = app
                .call(
                    "/api/auth/code-sign-in",
                    &[("phone", RESIDENT), ("code", wrong)],
                )
                .await;
            assert_eq!(r.status(), 401, "wrong guess {}", i + 1);
        }
        let r = app
            .call(
                "/api/auth/code-sign-in",
                &[("phone", RESIDENT), ("code", &code)],
            )
            .await;
        assert!(
            [401, 429].contains(&r.status().as_u16()),
            "after five wrong guesses the code is dead, got {}",
            r.status()
        );
        assert!(session_cookie(&r).is_none());
    }
);

on_both!(
    residents_sign_in_with_a_password_and_stay_in_the_cabinet,
    |app| async {
        let r = app
            .call(
                "/api/auth/sign-in",
                &[
                    ("login", "8 900 000-00-01"),
                    ("password", DEMO_PASSWORD),
                    ("mode", "Resident"),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        let token = session_cookie(&r).expect("cookie");
        let r = app.get_as(&token, "/staff/admin/users").await;
        assert_eq!(
            (r.status().as_u16(), r.headers()["location"].to_str().ok()),
            (303, Some("/cabinet")),
            "a resident never opens a staff page"
        );
        let r = app.get_as(&token, "/guard").await;
        assert_eq!(r.headers()["location"], "/cabinet");
        let r = app.call_as(Some(&token), "/api/admin/users", &[]).await;
        assert_eq!(r.status(), 403, "nor calls a staff function");

        let r = app
            .call(
                "/api/auth/sign-in",
                &[
                    ("login", "+79000000001"),
                    ("password", DEMO_PASSWORD),
                    ("mode", "Staff"),
                ],
            )
            .await;
        assert_eq!(r.status(), 401, "a resident is not a staff login");

        let r = app.get("/cabinet").await;
        assert_eq!(r.headers()["location"], "/cabinet/login?next=/cabinet");
        let staff = app.session_for("admin").await;
        let r = app.get_as(&staff, "/cabinet").await;
        assert_eq!(r.headers()["location"], "/staff", "staff have no cabinet");
    }
);

on_both!(
    a_password_change_keeps_this_session_and_ends_the_others,
    |app| async {
        let here = app.session_for("manager").await;
        let elsewhere = app.session_for("manager").await;
        let r = app
            .call_as(
                Some(&here),
                "/api/auth/password-change",
                &[
                    ("current", "not-my-password"),
                    ("password", "a-new-password-42"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.expect("body").contains("current"));
        let r = app
            .call_as(
                Some(&here),
                "/api/auth/password-change",
                &[
                    ("current", DEMO_PASSWORD),
                    ("password", "a-new-password-42"),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            app.call_as(Some(&here), "/api/auth/me", &[]).await.status(),
            200,
            "this session stays"
        );
        assert_eq!(
            app.call_as(Some(&elsewhere), "/api/auth/me", &[])
                .await
                .status(),
            401,
            "other sessions end"
        );
        let r = app
            .call(
                "/api/auth/sign-in",
                &[
                    ("login", "manager"),
                    ("password", "a-new-password-42"),
                    ("mode", "Staff"),
                ],
            )
            .await;
        assert_eq!(r.status(), 200, "the new password works");

        let post = app.session_of_kind("guard", SessionKind::Guard).await;
        let r = app
            .call_as(
                Some(&post),
                "/api/auth/password-change",
                &[
                    ("current", DEMO_PASSWORD),
                    ("password", "a-new-password-42"),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            403,
            "a guard tablet cannot change the person's password"
        );
    }
);

on_both!(signing_out_everywhere_ends_every_session, |app| async {
    let a = app.session_for(RESIDENT).await;
    let b = app.session_for(RESIDENT).await;
    let r = app.call_as(Some(&a), "/api/auth/my-sessions", &[]).await;
    let list: Vec<serde_json::Value> = r.json().await.expect("json");
    assert_eq!(list.len(), 2);
    assert_eq!(
        list.iter().filter(|s| s["current"] == true).count(),
        1,
        "exactly one is this device"
    );
    let r = app
        .call_as(Some(&a), "/api/auth/sign-out-everywhere", &[])
        .await;
    assert_eq!(r.status(), 200);
    for t in [&a, &b] {
        assert_eq!(
            app.call_as(Some(t), "/api/auth/me", &[]).await.status(),
            401
        );
    }
});

/// The id of a row found by a query with one text parameter.
async fn id_of(app: &common::TestApp, sql: &str, arg: &str) -> String {
    let db = app.db();
    let id: i64 = app::on_db!(db, pool => sqlx::query_scalar(sql).bind(arg).fetch_one(pool).await)
        .unwrap_or_else(|e| panic!("{sql} with {arg}: {e}"));
    id.to_string()
}

on_both!(positions_form_a_hierarchy_without_cycles, |app| async {
    let admin = app.session_for("admin").await;
    let pos = "SELECT p.id FROM positions p JOIN users u ON u.company_id = p.company_id \
               WHERE u.login = 'admin' AND p.name = $1";
    let chief = id_of(&app, pos, "Главный инженер").await;
    let tech = id_of(&app, pos, "Техник").await;
    let r = app
        .call_as(
            Some(&admin),
            "/api/admin/position-save",
            &[
                ("update[name]", "Старший техник"),
                ("update[parent_id]", &chief),
            ],
        )
        .await;
    assert_eq!(r.status(), 200, "a new position under the chief engineer");
    let r = app
        .call_as(
            Some(&admin),
            "/api/admin/position-save",
            &[
                ("update[id]", &chief),
                ("update[name]", "Главный инженер"),
                ("update[parent_id]", &tech),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        422,
        "a position cannot move under its own subordinate"
    );
    assert!(r.text().await.expect("body").contains("cycle"));
    let r = app
        .call_as(
            Some(&admin),
            "/api/admin/position-save",
            &[("update[name]", "  Техник ")],
        )
        .await;
    assert_eq!(r.status(), 422, "names are unique in a company");
    assert!(r.text().await.expect("body").contains("taken"));
});

on_both!(
    access_changes_take_effect_on_the_next_request,
    |app| async {
        let admin = app.session_for("admin").await;
        let marketer = app.session_for("marketer").await;
        assert_eq!(
            app.call_as(Some(&marketer), "/api/admin/users", &[])
                .await
                .status(),
            403
        );
        let user = id_of(&app, "SELECT id FROM users WHERE login = $1", "marketer").await;
        let admin_role = id_of(
            &app,
            "SELECT r.id FROM roles r JOIN users u ON u.company_id = r.company_id \
         WHERE u.login = 'admin' AND r.code = $1",
            "administrator",
        )
        .await;
        let group = id_of(
            &app,
            "SELECT id FROM user_groups WHERE name = $1",
            "Диспетчерская служба",
        )
        .await;
        let r = app
            .call_as(
                Some(&admin),
                "/api/admin/user-access-save",
                &[
                    ("access[user_id]", &user),
                    ("access[grants][0][role_id]", &admin_role),
                    ("access[grants][0][scope]", "Company"),
                    ("access[groups][0]", &group),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            app.call_as(Some(&marketer), "/api/admin/users", &[])
                .await
                .status(),
            200,
            "the same session gains the right at once"
        );
        let r = app
            .call_as(Some(&admin), "/api/admin/user-access", &[("id", &user)])
            .await;
        let (access, _choices): (serde_json::Value, serde_json::Value) =
            r.json().await.expect("json");
        assert_eq!(access["groups"].as_array().map(Vec::len), Some(1));

        let me = id_of(&app, "SELECT id FROM users WHERE login = $1", "admin").await;
        let r = app
            .call_as(
                Some(&admin),
                "/api/admin/user-access-save",
                &[("access[user_id]", &me)],
            )
            .await;
        assert_eq!(r.status(), 422, "nobody removes their own administration");
        assert_eq!(
            app.call_as(Some(&admin), "/api/admin/users", &[])
                .await
                .status(),
            200,
            "and nothing was half-applied"
        );
    }
);

with_spool!(
    an_invited_phone_signs_in_and_finds_its_unit,
    |app, spool| async {
        let service = app.session_for("service").await;
        let unit: i64 = app::on_db!(app.db(), pool => sqlx::query_scalar(
            "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Лесная, 12' AND u.number = '8'")
            .fetch_one(pool).await).expect("unit");
        let r = app
            .call_as(
                Some(&service),
                "/api/people/invite",
                &[
                    ("invitation[unit_id]", &unit.to_string()),
                    ("invitation[phone]", "8 900 555-77-77"),
                    ("invitation[name]", "Новикова Ольга"),
                    ("invitation[relation]", "Owner"),
                ],
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
        let sms = sent(&spool);
        assert_eq!(sms.len(), 1, "the invitation goes out by SMS");
        assert_eq!(sms[0].0, "+79005557777");
        assert!(sms[0].1.contains("/cabinet/login"), "{}", sms[0].1);

        // No account yet, but the invitation lets a code through; signing in creates the account.
        let r = app
            .call("/api/auth/code-request", &[("phone", "+79005557777")])
            .await;
        assert_eq!(r.status(), 200);
        let sms = sent(&spool);
        assert_eq!(sms.len(), 2, "a code is sent to the invited phone");
        let code = code_in(&sms[1].1);
        let r = app
            .call(
                "/api/auth/code-sign-in",
                &[("phone", "+79005557777"), ("code", &code)],
            )
            .await;
        assert_eq!(r.status(), 200);
        let token = session_cookie(&r).expect("session");
        let mine: serde_json::Value = app
            .call_as(Some(&token), "/api/cabinet/my-units", &[])
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
        assert_eq!(mine[0]["number"], "8");
        assert_eq!(mine[0]["status"], "Active");
        let name: String = app::on_db!(app.db(), pool => sqlx::query_scalar(
            "SELECT display_name FROM users WHERE phone = '+79005557777'")
            .fetch_one(pool).await)
        .expect("account");
        assert_eq!(name, "Новикова Ольга");

        // Inviting an existing resident of the company links at once, without an SMS.
        let r = app
            .call_as(
                Some(&service),
                "/api/people/invite",
                &[
                    ("invitation[unit_id]", &unit.to_string()),
                    ("invitation[phone]", RESIDENT),
                    ("invitation[name]", "Житель"),
                    ("invitation[relation]", "Occupant"),
                ],
            )
            .await;
        assert_eq!(r.text().await.expect("body"), "true");
        assert_eq!(sent(&spool).len(), 2);
        // Another company's resident gets an invitation like any unknown phone (no hint that the
        // phone is registered elsewhere), which that account can never accept.
        let r = app
            .call_as(
                Some(&service),
                "/api/people/invite",
                &[
                    ("invitation[unit_id]", &unit.to_string()),
                    ("invitation[phone]", "+79000000002"),
                    ("invitation[name]", "Чужой"),
                    ("invitation[relation]", "Owner"),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.text().await.expect("body"), "false", "not linked");
        let linked: i64 = app::on_db!(app.db(), pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM resident_units r JOIN users u ON u.id = r.user_id WHERE u.phone = '+79000000002' AND r.unit_id = $1")
            .bind(unit).fetch_one(pool).await).expect("count");
        assert_eq!(linked, 0);
        // A phone nobody invited still gets no code (and no account).
        let r = app
            .call("/api/auth/code-request", &[("phone", "+79005550001")])
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(sent(&spool).len(), 3, "only the invitation SMS was added");
    }
);
