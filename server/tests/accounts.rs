//! Accounts of the assembled app, on both databases: resident sign-in by one-time SMS code
//! (single use, expiry, attempt limit, no account enumeration), resident password sign-in,
//! password change, "sign out everywhere", and where residents may and may not go.

mod common;

use app::access::server::demo::DEMO_PASSWORD;
use app::access::server::session::SessionKind;

const RESIDENT: &str = "+79000000001";

fn session_cookie(r: &reqwest::Response) -> Option<String> {
    common::set_cookie(r, "platforma_session")
}

on_both!(
    a_resident_signs_in_with_a_one_time_code,
    |s| {
        common::sms_to_spool(s);
        // The code's own limits are under test here, not the sign-in throttle (`access.rs`).
        s.security.sign_in_failures_per_account = 50;
        s.security.sign_in_failures_per_ip = 50;
    },
    |app| async {
        let r = app
            .call("/api/auth/code-request", &[("phone", "8 (900) 000-00-01")])
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
        let sms = app.sms_sent();
        assert_eq!(sms.len(), 1, "one SMS sent");
        assert_eq!(sms[0].0, RESIDENT, "sent to the number in E.164");
        let code = common::code_in(&sms[0].1);
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

on_both!(
    asking_for_a_code_reveals_nothing,
    |s| {
        common::sms_to_spool(s);
        // The code's own limits are under test here, not the sign-in throttle (`access.rs`).
        s.security.sign_in_failures_per_account = 50;
        s.security.sign_in_failures_per_ip = 50;
    },
    |app| async {
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
            app.sms_sent().len(),
            1,
            "no SMS to a phone without an account"
        );

        let again = app
            .call("/api/auth/code-request", &[("phone", RESIDENT)])
            .await;
        assert_eq!(again.status(), 200);
        assert_eq!(
            app.sms_sent().len(),
            1,
            "a second code within a minute is not sent"
        );

        let r = app
            .call("/api/auth/code-request", &[("phone", "12-34")])
            .await;
        assert_eq!(r.status(), 422, "a malformed phone gets a reason");
    }
);

on_both!(
    codes_expire_and_die_after_five_wrong_guesses,
    |s| {
        common::sms_to_spool(s);
        // The code's own limits are under test here, not the sign-in throttle (`access.rs`).
        s.security.sign_in_failures_per_account = 50;
        s.security.sign_in_failures_per_ip = 50;
    },
    |app| async {
        app.call("/api/auth/code-request", &[("phone", RESIDENT)])
            .await;
        let code = common::code_in(&app.sms_sent()[0].1);
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
        let code = common::code_in(&app.sms_sent()[1].1);
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

on_both!(positions_form_a_hierarchy_without_cycles, |app| async {
    let admin = app.session_for("admin").await;
    let pos = "SELECT p.id FROM positions p JOIN users u ON u.company_id = p.company_id \
               WHERE u.login = 'admin' AND p.name = $1";
    let chief = common::id_by(&app, pos, "Главный инженер")
        .await
        .to_string();
    let tech = common::id_by(&app, pos, "Техник").await.to_string();
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
        let user = common::id_by(&app, "SELECT id FROM users WHERE login = $1", "marketer")
            .await
            .to_string();
        let admin_role = common::first_company_role(&app, "administrator").await;
        let group = common::id_by(
            &app,
            "SELECT id FROM user_groups WHERE name = $1",
            "Диспетчерская служба",
        )
        .await
        .to_string();
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

        let me = common::id_by(&app, "SELECT id FROM users WHERE login = $1", "admin")
            .await
            .to_string();
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

on_both!(staff_are_never_given_the_residents_role, |app| async {
    let admin = app.session_for("admin").await;
    let user = common::id_by(&app, "SELECT id FROM users WHERE login = $1", "marketer")
        .await
        .to_string();
    let resident_role = common::first_company_role(&app, "resident").await;
    let before = app
        .call_as(Some(&admin), "/api/admin/user-access", &[("id", &user)])
        .await
        .text()
        .await
        .expect("body");
    assert!(
        !before.contains("\"Житель\""),
        "the role is not offered: {before}"
    );
    let r = app
        .call_as(
            Some(&admin),
            "/api/admin/user-access-save",
            &[
                ("access[user_id]", &user),
                ("access[grants][0][role_id]", &resident_role),
                ("access[grants][0][scope]", "Company"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("role_id"));
    let after = app
        .call_as(Some(&admin), "/api/admin/user-access", &[("id", &user)])
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(before, after, "nothing changed");
    let r = app
        .call_as(
            Some(&admin),
            "/api/admin/user-create",
            &[
                ("user[login]", "resident.staff"),
                ("user[name]", "Житель Сотрудник"),
                ("user[role_id]", &resident_role),
                ("user[scope]", "Company"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "nor a new account");
    assert!(r.text().await.expect("body").contains("role_id"));
});

on_both!(
    an_invited_phone_signs_in_and_finds_its_unit,
    |s| {
        common::sms_to_spool(s);
        s.security.public_url = "https://crm.example.ru".into();
    },
    |app| async {
        let service = app.session_for("service").await;
        let unit: i64 = app::on_db!(app.db(), pool => sqlx::query_scalar(
            "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Лесная, 12' AND u.number = '8'")
            .fetch_one(pool).await).expect("unit");
        // The probe's find: the link came from the request's Host. A forged Host changes nothing.
        let r = app
            .client
            .post(app.url("/api/residents/invite"))
            .header("origin", app.origin())
            .header("host", "evil.example")
            .header("cookie", format!("platforma_session={service}"))
            .form(&[
                ("invitation[unit_id]", unit.to_string().as_str()),
                ("invitation[phone]", "8 900 555-77-77"),
                ("invitation[name]", "Новикова Ольга"),
                ("invitation[relation]", "Owner"),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
        let sms = app.sms_sent();
        assert_eq!(sms.len(), 1, "the invitation goes out by SMS");
        assert_eq!(sms[0].0, "+79005557777");
        assert!(
            sms[0].1.contains("https://crm.example.ru/cabinet/login"),
            "the link is the configured public address: {}",
            sms[0].1
        );
        assert!(!sms[0].1.contains("evil"), "{}", sms[0].1);

        // No account yet, but the invitation lets a code through; signing in creates the account.
        let r = app
            .call("/api/auth/code-request", &[("phone", "+79005557777")])
            .await;
        assert_eq!(r.status(), 200);
        let sms = app.sms_sent();
        assert_eq!(sms.len(), 2, "a code is sent to the invited phone");
        let code = common::code_in(&sms[1].1);
        let r = app
            .call(
                "/api/auth/code-sign-in",
                &[("phone", "+79005557777"), ("code", &code)],
            )
            .await;
        assert_eq!(r.status(), 200);
        let token = session_cookie(&r).expect("session");
        let mine: serde_json::Value = app
            .call_as(Some(&token), "/api/residents/my-units", &[])
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
                "/api/residents/invite",
                &[
                    ("invitation[unit_id]", &unit.to_string()),
                    ("invitation[phone]", RESIDENT),
                    ("invitation[name]", "Житель"),
                    ("invitation[relation]", "Occupant"),
                ],
            )
            .await;
        assert_eq!(r.text().await.expect("body"), "true");
        assert_eq!(app.sms_sent().len(), 2);
        // A phone nobody invited still gets no code (and no account).
        let r = app
            .call("/api/auth/code-request", &[("phone", "+79005550001")])
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.sms_sent().len(), 2, "no SMS was added");
    }
);

/// Invites `phone` to unit `number` of `building` as `staff` (a login, or a session token of
/// 64 hex digits), as the browser does; returns the status and body.
async fn invite(
    app: &common::TestApp,
    staff: &str,
    building: &str,
    number: &str,
    phone: &str,
    name: &str,
) -> (u16, String) {
    let unit = common::id_by(
        app,
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name || '/' || u.number = $1",
        &format!("{building}/{number}"),
    )
    .await
    .to_string();
    let token = if staff.len() == 64 {
        staff.to_owned()
    } else {
        app.session_for(staff).await
    };
    common::status(
        app.call_as(
            Some(&token),
            "/api/residents/invite",
            &[
                ("invitation[unit_id]", &unit),
                ("invitation[phone]", phone),
                ("invitation[name]", name),
                ("invitation[relation]", "Owner"),
            ],
        )
        .await,
    )
    .await
}

/// Signs `phone` in with a code from the spool; returns the session token.
async fn sign_in_by_code(app: &common::TestApp, phone: &str) -> String {
    let before = app.sms_sent().len();
    let r = app
        .call("/api/auth/code-request", &[("phone", phone)])
        .await;
    assert_eq!(r.status(), 200);
    let sms = app.sms_sent();
    assert_eq!(sms.len(), before + 1, "a code is sent to {phone}");
    let code = common::code_in(&sms[before].1);
    let r = app
        .call(
            "/api/auth/code-sign-in",
            &[("phone", phone), ("code", &code)],
        )
        .await;
    assert_eq!(r.status(), 200, "{phone} signs in");
    session_cookie(&r).expect("session")
}

/// The companies and unit numbers of a resident's cabinet, checked to come grouped by company,
/// sorted.
async fn my_units(app: &common::TestApp, token: &str) -> Vec<(String, String)> {
    let mine = common::ok(
        app.call_as(Some(token), "/api/residents/my-units", &[])
            .await,
    )
    .await;
    let list: Vec<(String, String)> = mine
        .as_array()
        .expect("list")
        .iter()
        .map(|u| {
            (
                u["company"].as_str().expect("company").to_owned(),
                u["number"].as_str().expect("number").to_owned(),
            )
        })
        .collect();
    let mut companies: Vec<&String> = list.iter().map(|(c, _)| c).collect();
    companies.dedup();
    let distinct: std::collections::BTreeSet<&&String> = companies.iter().collect();
    assert_eq!(
        companies.len(),
        distinct.len(),
        "grouped by company: {list:?}"
    );
    let mut sorted = list.clone();
    sorted.sort();
    sorted
}

/// The names a company's staff see on a unit's resident links.
async fn resident_names(
    app: &common::TestApp,
    staff: &str,
    building: &str,
    number: &str,
) -> (u16, Vec<String>) {
    let unit = common::id_by(
        app,
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name || '/' || u.number = $1",
        &format!("{building}/{number}"),
    )
    .await
    .to_string();
    let token = app.session_for(staff).await;
    let r = app
        .call_as(Some(&token), "/api/residents/unit", &[("unit", &unit)])
        .await;
    let status = r.status().as_u16();
    let names = if status == 200 {
        let v: serde_json::Value = r.json().await.expect("json");
        v["links"]
            .as_array()
            .expect("links")
            .iter()
            .map(|l| l["name"].as_str().expect("name").to_owned())
            .collect()
    } else {
        Vec::new()
    };
    (status, names)
}

on_both!(
    one_resident_account_holds_units_of_two_companies,
    |s| {
        common::sms_to_spool(s);
        s.security.public_url = "https://crm.example.ru".into();
        s.security.sign_in_failures_per_account = 50;
    },
    |app| async {
        const NORTH: &str = "УК «Северный квартал»";
        const RIVER: &str = "УК «Речной берег»";
        // Company A (Северный квартал) registers a new resident by invitation and code sign-in.
        let (status, _) = invite(
            &app,
            "admin",
            "Лесная, 12",
            "9",
            "+79005558888",
            "Петрова Анна (А)",
        )
        .await;
        assert_eq!(status, 200);
        let token = sign_in_by_code(&app, "+79005558888").await;
        assert_eq!(
            my_units(&app, &token).await,
            vec![(NORTH.to_owned(), "9".to_owned())]
        );

        // Company B (Речной берег) invites that phone and a phone nobody knows: the answers are
        // the same, and both get the same SMS (no hint the first is registered elsewhere).
        let sms_before = app.sms_sent().len();
        let known = invite(
            &app,
            "admin2",
            "Набережная, 7",
            "11",
            "+79005558888",
            "Петрова А. (Б)",
        )
        .await;
        let unknown = invite(
            &app,
            "admin2",
            "Набережная, 7",
            "12",
            "+79005559999",
            "Кто-то",
        )
        .await;
        assert_eq!(
            known, unknown,
            "B learns nothing from inviting A's resident"
        );
        assert_eq!(known, (200, "false".to_owned()));
        let sms = app.sms_sent();
        assert_eq!(sms.len(), sms_before + 2);
        assert_eq!(sms[sms_before].1, sms[sms_before + 1].1);

        // The resident, still signed in, sees B's invitation and accepts it in the cabinet.
        let waiting = common::ok(
            app.call_as(Some(&token), "/api/residents/my-invitations", &[])
                .await,
        )
        .await;
        assert_eq!(waiting.as_array().map(Vec::len), Some(1), "{waiting}");
        assert_eq!(waiting[0]["company"], RIVER);
        let accepted = common::ok(
            app.call_as(Some(&token), "/api/residents/invitations-accept", &[])
                .await,
        )
        .await;
        assert_eq!(accepted, 1);
        let mut both = vec![
            (NORTH.to_owned(), "9".to_owned()),
            (RIVER.to_owned(), "11".to_owned()),
        ];
        both.sort();
        assert_eq!(
            my_units(&app, &token).await,
            both,
            "units of both companies"
        );
        // Each company sees only its own link, under the name it gave.
        assert_eq!(
            resident_names(&app, "admin", "Лесная, 12", "9").await,
            (200, vec!["Петрова Анна (А)".to_owned()])
        );
        assert_eq!(
            resident_names(&app, "admin2", "Набережная, 7", "11").await,
            (200, vec!["Петрова А. (Б)".to_owned()])
        );
        assert_eq!(
            resident_names(&app, "admin", "Набережная, 7", "11").await.0,
            404
        );
        assert_eq!(
            resident_names(&app, "admin2", "Лесная, 12", "9").await.0,
            404
        );
        // A client card of each company lists the cabinet account with that company's units
        // and name only.
        for (staff, building, name, unit) in [
            ("admin", "Лесная, 12", "Петрова Анна (А)", "Лесная, 12 — 9"),
            (
                "admin2",
                "Набережная, 7",
                "Петрова А. (Б)",
                "Набережная, 7 — 11",
            ),
        ] {
            let t = app.session_for(staff).await;
            let building_id =
                common::id_by(&app, "SELECT id FROM buildings WHERE name = $1", building)
                    .await
                    .to_string();
            let created = common::ok(
                app.call_as(
                    Some(&t),
                    "/api/people/create",
                    &[
                        ("new[person][kind]", "Person"),
                        ("new[person][last_name]", "Петрова"),
                        ("new[person][first_name]", "Анна"),
                        ("new[person][phones][0][phone]", "+79005558888"),
                        ("new[allow_duplicate]", "true"),
                        ("new[unit][building_id]", building_id.as_str()),
                        ("new[unit][number]", "1"),
                        ("new[unit][relation]", "Occupant"),
                    ],
                )
                .await,
            )
            .await;
            let id = created["Created"].as_i64().expect("created").to_string();
            let card = common::ok(
                app.call_as(Some(&t), "/api/people/card", &[("id", &id)])
                    .await,
            )
            .await;
            let accounts = card["accounts"].as_array().expect("accounts");
            assert_eq!(accounts.len(), 1, "{staff}: {card}");
            assert_eq!(accounts[0]["name"], name, "{staff}: {card}");
            assert_eq!(
                accounts[0]["units"],
                serde_json::json!([unit]),
                "{staff}: {card}"
            );
        }
        // The cabinet's contacts are those of both companies, and no other.
        let contacts = common::ok(
            app.call_as(Some(&token), "/api/companies/public-contacts", &[])
                .await,
        )
        .await;
        let names: Vec<&str> = contacts
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|c| c["short_name"].as_str())
            .collect();
        assert_eq!(names.len(), 2, "{contacts}");

        // The other direction: A invites B's demo resident, who accepts at the next sign-in.
        let r = invite(
            &app,
            "admin",
            "Лесная, 12",
            "10",
            "+79000000002",
            "Соседов (А)",
        )
        .await;
        assert_eq!(r, (200, "false".to_owned()));
        let other = sign_in_by_code(&app, "+79000000002").await;
        let mut both = vec![
            (NORTH.to_owned(), "10".to_owned()),
            (RIVER.to_owned(), "10".to_owned()),
        ];
        both.sort();
        assert_eq!(my_units(&app, &other).await, both);
        // Staff administration never reaches a resident's account, in either company.
        let resident_id = common::id_by(
            &app,
            "SELECT id FROM users WHERE phone = $1",
            "+79000000002",
        )
        .await
        .to_string();
        for staff in ["admin", "admin2", "operator"] {
            let t = app.session_for(staff).await;
            for (endpoint, form) in [
                (
                    "/api/admin/user-sessions",
                    vec![("id", resident_id.as_str())],
                ),
                ("/api/admin/user-access", vec![("id", resident_id.as_str())]),
                (
                    "/api/admin/user-reset-password",
                    vec![("id", resident_id.as_str())],
                ),
                (
                    "/api/admin/user-active",
                    vec![("id", resident_id.as_str()), ("active", "false")],
                ),
                (
                    "/api/admin/session-revoke",
                    vec![
                        ("user_id", resident_id.as_str()),
                        ("session", "0000000000000000"),
                    ],
                ),
            ] {
                let before = app.fingerprint().await;
                let (status, body) =
                    common::status(app.call_as(Some(&t), endpoint, &form).await).await;
                assert_eq!(status, 404, "{staff} {endpoint}: {body}");
                assert_eq!(
                    before,
                    app.fingerprint().await,
                    "{staff} {endpoint} changed nothing"
                );
            }
        }
        assert_eq!(
            app.call_as(Some(&other), "/api/auth/me", &[])
                .await
                .status(),
            200,
            "the resident's session survived"
        );
    }
);

on_both!(
    an_invitation_without_a_public_address_is_refused,
    |s| {
        // A real SMS gateway and no security.public_url: the link would have to come from the request.
        common::sms_to_spool(s);
    },
    |app| async {
        let service = app.session_for("service").await;
        let before = app.fingerprint().await;
        let (status, body) = invite(
            &app,
            &service,
            "Лесная, 12",
            "8",
            "+79005557777",
            "Новикова Ольга",
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("public_url"), "{body}");
        assert_eq!(before, app.fingerprint().await, "nothing saved half-way");
        assert!(app.sms_sent().is_empty(), "no SMS");
    }
);
