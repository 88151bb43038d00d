//! The people registry and the client card on both databases: creating people with look-alike
//! detection, the card (logged views, personal data only with its permission), finding people by
//! phone in any spelling, by plate in either alphabet, by name with ё = е, units by account and
//! address; relations, vehicles, consents and notes with their validation; merging duplicates;
//! building scopes (a manager of Лесная never sees the tower's people) and the guard (never).

mod common;

use common::{ok, scalar, status};

async fn olga(app: &common::TestApp) -> String {
    scalar(app, "SELECT id FROM people WHERE last_name = 'Семёнова'")
        .await
        .to_string()
}

on_both!(a_new_person_is_checked_for_look_alikes, |app| async {
    let admin = app.session_for("admin").await;
    // The same phone as Ольга Семёнова, typed another way: a look-alike, nothing saved.
    let form = [
        ("new[person][kind]", "Person"),
        ("new[person][last_name]", "Семенова"),
        ("new[person][first_name]", "Ольга"),
        ("new[person][phones][0][phone]", "8 (916) 555-12-34"),
    ];
    let before = scalar(&app, "SELECT COUNT(*) FROM people").await;
    let out = ok(app.call_as(Some(&admin), "/api/people/create", &form).await).await;
    let found = out["Duplicates"].as_array().expect("duplicates");
    assert_eq!(found.len(), 1, "{out}");
    assert_eq!(found[0]["name"], "Семёнова Ольга Викторовна");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM people").await, before);
    // Creating anyway, with a unit by building and number and a share.
    let building = scalar(&app, "SELECT id FROM buildings WHERE name = 'Лесная, 12'")
        .await
        .to_string();
    let mut anyway = form.to_vec();
    anyway.extend([
        ("new[allow_duplicate]", "true"),
        ("new[unit][building_id]", building.as_str()),
        ("new[unit][number]", "9"),
        ("new[unit][relation]", "Owner"),
        ("new[unit][share]", "50%"),
    ]);
    let out = ok(app
        .call_as(Some(&admin), "/api/people/create", &anyway)
        .await)
    .await;
    let id = out["Created"].as_i64().expect("created").to_string();
    let card = ok(app
        .call_as(Some(&admin), "/api/people/card", &[("id", &id)])
        .await)
    .await;
    assert_eq!(card["phones"][0]["e164"], "+79165551234");
    assert_eq!(card["units"][0]["share"], "1/2");
    assert_eq!(card["units"][0]["label"], "Лесная, 12 — 9");
    // A unit number the building does not have: a field error, nothing saved.
    let mut bad = anyway.clone();
    bad.retain(|(k, _)| *k != "new[unit][number]");
    bad.push(("new[unit][number]", "999"));
    let (code, body) = status(app.call_as(Some(&admin), "/api/people/create", &bad).await).await;
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("number"), "{body}");
});

on_both!(
    the_card_is_logged_and_masked_without_personal_data,
    |app| async {
        let id = olga(&app).await;
        let admin = app.session_for("admin").await;
        let card = ok(app
            .call_as(Some(&admin), "/api/people/card", &[("id", &id)])
            .await)
        .await;
        assert_eq!(card["name"], "Семёнова Ольга Викторовна");
        assert_eq!(card["personal"], true);
        assert_eq!(card["emails"][0], "olga.semenova@mail.ru");
        assert_eq!(card["vehicles"][0]["plate"], "А123ВС 77");
        assert_eq!(card["can_manage"], true);
        assert!(card["notes"].as_array().is_some_and(|n| !n.is_empty()));
        // The concierge sees people but not their personal data.
        let concierge = app.session_for("concierge").await;
        let masked = ok(app
            .call_as(Some(&concierge), "/api/people/card", &[("id", &id)])
            .await)
        .await;
        assert_eq!(masked["name"], "Семёнова О. В.");
        assert_eq!(masked["personal"], false);
        assert_eq!(masked["phones"][0]["display"], "*** ***-12-34");
        assert_eq!(masked["phones"][0]["e164"], "");
        assert_eq!(masked["emails"][0], "o***@mail.ru");
        assert_eq!(masked["form"]["last_name"], "");
        assert_eq!(masked["can_manage"], false);
        // Both views are in the audit log with who looked.
        let views = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'person.view' AND entity_id = '{id}'"
            ),
        )
        .await;
        assert_eq!(views, 2);
        // The guard never gets a card, nor search.
        let guard = app.session_for("guard").await;
        let (code, _) = status(
            app.call_as(Some(&guard), "/api/people/card", &[("id", &id)])
                .await,
        )
        .await;
        assert_eq!(code, 403);
        let (code, _) = status(
            app.call_as(Some(&guard), "/api/people/search", &[("q", "Семёнова")])
                .await,
        )
        .await;
        assert_eq!(code, 403);
    }
);

on_both!(
    people_are_found_by_phone_plate_name_and_units_by_account,
    |app| async {
        let id = olga(&app).await.parse::<i64>().expect("id");
        let dispatcher = app.session_for("dispatcher").await;
        for phone in ["8 (916) 555-12-34", "+7 916 5551234", "9165551234"] {
            let found = ok(app
                .call_as(
                    Some(&dispatcher),
                    "/api/people/by-phone",
                    &[("phone", phone)],
                )
                .await)
            .await;
            assert_eq!(found[0]["id"], id, "{phone}");
        }
        let (code, _) = status(
            app.call_as(
                Some(&dispatcher),
                "/api/people/by-phone",
                &[("phone", "12")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422, "a bad number is a field error");
        let search = |q: &'static str| {
            let app = &app;
            let dispatcher = dispatcher.clone();
            async move {
                ok(app
                    .call_as(Some(&dispatcher), "/api/people/search", &[("q", q)])
                    .await)
                .await
            }
        };
        for (q, field) in [
            ("a123bc", "Plate"),
            ("А 123 ВС 77 RUS", "Plate"),
            ("555-12-34", "Phone"),
            ("семенова ольга", "Name"),
            ("СЕМЁНОВА", "Name"),
            ("olga.semenova@", "Email"),
        ] {
            let r = search(q).await;
            let hit = r["people"]
                .as_array()
                .and_then(|p| p.iter().find(|h| h["person"]["id"] == id))
                .unwrap_or_else(|| panic!("{q}: {r}"));
            assert_eq!(hit["matched"], field, "{q}");
        }
        // Units by personal account (prefix) and by "street house number".
        let (unit, account): (i64, String) = app::on_db!(app.db(), pool => sqlx::query_as(
        "SELECT u.id, u.account FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Лесная, 12' AND u.number = '7'")
        .fetch_one(pool).await).expect("unit");
        let r = ok(app
            .call_as(Some(&dispatcher), "/api/people/search", &[("q", &account)])
            .await)
        .await;
        assert_eq!(r["units"][0]["unit_id"], unit, "{r}");
        assert_eq!(r["units"][0]["matched"], "Account");
        let r = search("ул. Лесная 12, кв. 7").await;
        assert!(
            r["units"]
                .as_array()
                .is_some_and(|u| u.iter().any(|h| h["unit_id"] == unit)),
            "{r}"
        );
        let (code, _) = status(
            app.call_as(Some(&dispatcher), "/api/people/search", &[("q", "я")])
                .await,
        )
        .await;
        assert_eq!(code, 422, "one letter is too short");
        // The people list pages through everyone by name.
        let page = ok(app
            .call_as(Some(&dispatcher), "/api/people/list", &[("filter[q]", "")])
            .await)
        .await;
        assert!(
            page["total"].as_i64().is_some_and(|t| t >= 200),
            "{}",
            page["total"]
        );
        assert_eq!(page["items"].as_array().map(Vec::len), Some(50));
    }
);

on_both!(
    a_manager_scoped_to_buildings_sees_only_their_people,
    |app| async {
        // The object manager's grants name Лесная and Садовая, not the tower.
        let manager = app.session_for("manager").await;
        let tower_person = scalar(
        &app,
        "SELECT pu.person_id FROM person_units pu JOIN units u ON u.id = pu.unit_id \
         JOIN buildings b ON b.id = u.building_id WHERE b.name LIKE 'ЖК%' \
         AND NOT EXISTS (SELECT 1 FROM person_units x JOIN units y ON y.id = x.unit_id JOIN buildings z ON z.id = y.building_id \
                         WHERE x.person_id = pu.person_id AND z.name NOT LIKE 'ЖК%') ORDER BY pu.person_id LIMIT 1",
    )
    .await
    .to_string();
        let (code, _) = status(
            app.call_as(Some(&manager), "/api/people/card", &[("id", &tower_person)])
                .await,
        )
        .await;
        assert_eq!(code, 404, "out of reach answers like a missing id");
        let page = ok(app
            .call_as(Some(&manager), "/api/people/list", &[("filter[q]", "")])
            .await)
        .await;
        let ids: Vec<String> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|h| h["person"]["id"].to_string())
            .collect();
        assert!(!ids.contains(&tower_person));
        let everyone = scalar(&app, "SELECT COUNT(*) FROM people p JOIN companies c ON c.id = p.company_id WHERE c.short_name = 'УК «Северный квартал»'").await;
        assert!(
            page["total"]
                .as_i64()
                .is_some_and(|t| t > 0 && t < everyone)
        );
        // A new person must come with a unit the manager reaches.
        let (code, body) = status(
            app.call_as(
                Some(&manager),
                "/api/people/create",
                &[
                    ("new[person][kind]", "Person"),
                    ("new[person][last_name]", "Новиков"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422, "{body}");
        assert!(body.contains("building"), "{body}");
        let tower = scalar(&app, "SELECT id FROM buildings WHERE name LIKE 'ЖК%'")
            .await
            .to_string();
        let (code, _) = status(
            app.call_as(
                Some(&manager),
                "/api/people/create",
                &[
                    ("new[person][kind]", "Person"),
                    ("new[person][last_name]", "Новиков"),
                    ("new[unit][building_id]", tower.as_str()),
                    ("new[unit][number]", "1"),
                    ("new[unit][relation]", "Owner"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422, "a unit out of reach is not offered");
        // Another company's administrator never finds her.
        let other = app.session_for("admin2").await;
        let r = ok(app
            .call_as(Some(&other), "/api/people/search", &[("q", "Семёнова")])
            .await)
        .await;
        assert_eq!(r["people"].as_array().map(Vec::len), Some(0), "{r}");
    }
);

on_both!(
    relations_vehicles_consents_and_notes_are_checked_and_audited,
    |app| async {
        let id = olga(&app).await;
        let admin = app.session_for("admin").await;
        let unit = scalar(&app, "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Садовая, 3' AND u.number = '4'").await.to_string();
        let before = app.fingerprint().await;
        for (endpoint, form, field) in [
            (
                "/api/people/unit-link",
                vec![
                    ("id", id.as_str()),
                    ("link[unit_id]", unit.as_str()),
                    ("link[relation]", "Tenant"),
                    ("link[share]", "1/2"),
                ],
                "share",
            ),
            (
                "/api/people/unit-link",
                vec![
                    ("id", id.as_str()),
                    ("link[unit_id]", unit.as_str()),
                    ("link[relation]", "Tenant"),
                    ("link[valid_from]", "2025-05-01"),
                    ("link[valid_to]", "2025-04-01"),
                ],
                "valid_to",
            ),
            (
                "/api/people/vehicle-add",
                vec![("id", id.as_str()), ("vehicle[plate]", "a 123 bc 77")],
                "plate",
            ),
            (
                "/api/people/vehicle-add",
                vec![("id", id.as_str()), ("vehicle[plate]", "№1")],
                "plate",
            ),
            (
                "/api/people/consent-set",
                vec![
                    ("id", id.as_str()),
                    ("consent[kind]", "Mailings"),
                    ("consent[given_on]", "2999-01-01"),
                ],
                "given_on",
            ),
            (
                "/api/people/note-add",
                vec![("id", id.as_str()), ("body", "  ")],
                "body",
            ),
            (
                "/api/people/update",
                vec![
                    ("id", id.as_str()),
                    ("person[kind]", "Person"),
                    ("person[last_name]", "Семёнова"),
                    ("person[phones][0][phone]", "+7 916 555-12-34"),
                    ("person[phones][1][phone]", "555"),
                ],
                "phones.1",
            ),
        ] {
            let (code, body) = status(app.call_as(Some(&admin), endpoint, &form).await).await;
            assert_eq!(code, 422, "{endpoint} {form:?}: {body}");
            assert!(body.contains(field), "{endpoint}: {body} names {field}");
        }
        assert_eq!(
            before,
            app.fingerprint().await,
            "refused input saved nothing"
        );
        // Valid changes land and show in the card's history.
        let tenant = [
            ("id", id.as_str()),
            ("link[unit_id]", unit.as_str()),
            ("link[relation]", "Tenant"),
            ("link[valid_from]", "01.05.2025"),
            ("link[valid_to]", "30.04.2026"),
        ];
        ok(app
            .call_as(Some(&admin), "/api/people/unit-link", &tenant)
            .await)
        .await;
        ok(app
            .call_as(
                Some(&admin),
                "/api/people/vehicle-add",
                &[("id", &id), ("vehicle[plate]", "x777xx 799")],
            )
            .await)
        .await;
        ok(app
            .call_as(
                Some(&admin),
                "/api/people/consent-withdraw",
                &[("id", &id), ("kind", "Mailings")],
            )
            .await)
        .await;
        ok(app
            .call_as(
                Some(&admin),
                "/api/people/note-add",
                &[("id", &id), ("body", "Звонила по поводу счётчиков")],
            )
            .await)
        .await;
        ok(app
            .call_as(
                Some(&admin),
                "/api/people/update",
                &[
                    ("id", &id),
                    ("person[kind]", "Person"),
                    ("person[last_name]", "Семёнова"),
                    ("person[first_name]", "Ольга"),
                    ("person[middle_name]", "Викторовна"),
                    ("person[phones][0][phone]", "+7 916 555-12-34"),
                    ("person[phones][1][phone]", "8 495 111-22-33"),
                ],
            )
            .await)
        .await;
        let card = ok(app
            .call_as(Some(&admin), "/api/people/card", &[("id", &id)])
            .await)
        .await;
        assert_eq!(card["vehicles"].as_array().map(Vec::len), Some(2));
        assert_eq!(card["vehicles"][1]["plate"], "Х777ХХ 799");
        assert_eq!(card["phones"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            card["emails"].as_array().map(Vec::len),
            Some(0),
            "e-mails replaced too"
        );
        let tenancy = card["units"]
            .as_array()
            .and_then(|u| u.iter().find(|x| x["relation"] == "Tenant"))
            .expect("tenancy");
        assert_eq!(tenancy["valid_to"], "2026-04-30");
        let mailings = card["consents"]
            .as_array()
            .and_then(|c| c.iter().find(|x| x["kind"] == "Mailings"))
            .expect("mailings");
        assert!(mailings["withdrawn_on"].is_string());
        let actions: Vec<&str> = card["history"]
            .as_array()
            .expect("history")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        for a in [
            "person.unit_link",
            "person.vehicle_add",
            "person.consent_withdraw",
            "person.note",
            "person.update",
        ] {
            assert!(actions.contains(&a), "{a} in {actions:?}");
        }
        // The unit's panel lists her as a tenant.
        let people = ok(app
            .call_as(Some(&admin), "/api/people/of-unit", &[("unit", &unit)])
            .await)
        .await;
        assert!(
            people["people"].as_array().is_some_and(|p| p
                .iter()
                .any(|x| x["person"]["id"] == id.parse::<i64>().unwrap_or(0)
                    && x["relation"] == "Tenant")),
            "{people}"
        );
    }
);

on_both!(duplicates_are_listed_and_merged, |app| async {
    let admin = app.session_for("admin").await;
    let pairs = ok(app
        .call_as(Some(&admin), "/api/people/duplicates", &[])
        .await)
    .await;
    let pair = pairs
        .as_array()
        .and_then(|p| p.iter().find(|x| x[0]["name"] == "Орлов Денис Сергеевич"))
        .unwrap_or_else(|| panic!("the Орлов pair: {pairs}"))
        .clone();
    let (keep, other) = (pair[0]["id"].to_string(), pair[1]["id"].to_string());
    ok(app
        .call_as(
            Some(&admin),
            "/api/people/merge",
            &[("keep", &keep), ("other", &other)],
        )
        .await)
    .await;
    // The merged card opens as the kept one, which has the e-mail the other had.
    let card = ok(app
        .call_as(Some(&admin), "/api/people/card", &[("id", &other)])
        .await)
    .await;
    assert_eq!(card["id"].to_string(), keep);
    assert_eq!(card["emails"][0], "d.orlov@yandex.ru");
    assert_eq!(card["phones"].as_array().map(Vec::len), Some(1));
    assert_eq!(card["units"].as_array().map(Vec::len), Some(1));
    let pairs = ok(app
        .call_as(Some(&admin), "/api/people/duplicates", &[])
        .await)
    .await;
    assert!(
        !pairs
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x[0]["name"] == "Орлов Денис Сергеевич")),
        "{pairs}"
    );
    // Searching finds one Орлов now.
    let r = ok(app
        .call_as(Some(&admin), "/api/people/search", &[("q", "орлов денис")])
        .await)
    .await;
    assert_eq!(r["people"].as_array().map(Vec::len), Some(1), "{r}");
    let (code, _) = status(
        app.call_as(
            Some(&admin),
            "/api/people/merge",
            &[("keep", &keep), ("other", &keep)],
        )
        .await,
    )
    .await;
    assert_eq!(code, 422);
});

on_both!(
    the_screen_pop_address_redirects_to_the_staff_page,
    |app| async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let r = client
            .get(app.url("/people/by-phone/+79165551234"))
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 307);
        assert_eq!(
            r.headers()["location"],
            "/staff/people/by-phone/%2B79165551234"
        );
        let r = client
            .get(app.url("/people/by-phone/%3Cscript%3E"))
            .send()
            .await
            .expect("GET");
        assert_eq!(r.headers()["location"], "/staff/people/by-phone/");
    }
);

on_both!(
    a_dispatcher_creates_a_client_for_an_unknown_caller_but_edits_nobody,
    |app| async {
        let dispatcher = app.session_for("dispatcher").await;
        let form = [
            ("new[person][kind]", "Person"),
            ("new[person][last_name]", "Звонков"),
            ("new[person][first_name]", "Игорь"),
            ("new[person][phones][0][phone]", "+7 917 000-11-22"),
        ];
        let before = scalar(&app, "SELECT COUNT(*) FROM people").await;
        let out = ok(app
            .call_as(Some(&dispatcher), "/api/people/create", &form)
            .await)
        .await;
        let id = out["Created"].as_i64().expect("created");
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM people").await,
            before + 1
        );
        // Creating is not editing: the new card cannot be changed or merged by the dispatcher.
        let (code, _) = status(
            app.call_as(
                Some(&dispatcher),
                "/api/people/update",
                &[
                    ("id", id.to_string().as_str()),
                    ("person[kind]", "Person"),
                    ("person[last_name]", "Другой"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 403);
        let name: String = app::on_db!(app.db(), pool => sqlx::query_scalar(
            "SELECT last_name FROM people WHERE id = $1").bind(id).fetch_one(pool).await)
        .expect("person");
        assert_eq!(name, "Звонков");
        // A technician (no `people.create`) is refused and nothing is saved.
        let technician = app.session_for("technician").await;
        let (code, _) = status(
            app.call_as(Some(&technician), "/api/people/create", &form)
                .await,
        )
        .await;
        assert_eq!(code, 403);
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM people").await,
            before + 1
        );
    }
);
