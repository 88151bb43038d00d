//! The phonebook on both databases: every staff member reads it, the guard never; search by name
//! and by part of a number; managers keep it, building-scoped managers only for their buildings;
//! bad input is refused with the field named and saves nothing.

mod common;

use common::ok;

use serde_json::Value;

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["name"].as_str().map(str::to_owned))
        .collect()
}

on_both!(staff_read_and_search_the_phonebook, |app| async {
    let tech = app.session_for("technician").await;
    let all = ok(app
        .call_as(Some(&tech), "/api/phonebook/list", &[("filter[q]", "")])
        .await)
    .await;
    let all_names = names(&all);
    assert!(
        all_names.contains(&"Аварийная газовая служба".to_owned()),
        "{all_names:?}"
    );
    assert_eq!(
        all[0]["category"], "Emergency",
        "emergency services come first"
    );
    assert!(
        !all_names.iter().any(|n| n == "Химкинский водоканал"),
        "another company's entry"
    );
    // The technician (scope: own assignments) sees company-wide entries, not the tower's lift
    // service; the dispatcher (company-wide) sees everything.
    assert!(
        !all_names.iter().any(|n| n == "Аварийная служба лифтов"),
        "{all_names:?}"
    );
    let tech = app.session_for("dispatcher").await;
    // By name (case, ё), by organisation, by part of a number in any spelling.
    for (q, want) in [
        ("мосгаз", "Аварийная газовая служба"),
        ("ЛИФТТЕХ", "Аварийная служба лифтов"),
        ("8 495 681", "Аварийная газовая служба"),
        ("222-33-44", "Аварийная служба лифтов"),
    ] {
        let found = ok(app
            .call_as(Some(&tech), "/api/phonebook/list", &[("filter[q]", q)])
            .await)
        .await;
        assert!(names(&found).contains(&want.to_owned()), "{q}: {found}");
    }
    let found = ok(app
        .call_as(Some(&tech), "/api/phonebook/list", &[("filter[q]", "112")])
        .await)
    .await;
    assert_eq!(
        found[0]["phones"][0]["e164"], "112",
        "short numbers are kept as dialled"
    );
    let guard = app.session_for("guard").await;
    let r = app
        .call_as(Some(&guard), "/api/phonebook/list", &[("filter[q]", "")])
        .await;
    assert_eq!(r.status(), 403);
});

on_both!(
    managers_keep_the_phonebook_within_their_reach,
    |app| async {
        let admin = app.session_for("admin").await;
        let before = app.fingerprint().await;
        for (form, field) in [
            (
                vec![("entry[category]", "Contractor"), ("entry[name]", " ")],
                "name",
            ),
            (
                vec![
                    ("entry[category]", "Contractor"),
                    ("entry[name]", "Сантехник"),
                ],
                "phones.0",
            ),
            (
                vec![
                    ("entry[category]", "Contractor"),
                    ("entry[name]", "Сантехник"),
                    ("entry[phones][0][phone]", "8 900 12"),
                ],
                "phones.0",
            ),
            (
                vec![
                    ("entry[category]", "Contractor"),
                    ("entry[name]", "Сантехник"),
                    ("entry[phones][0][phone]", "+79001234567"),
                    ("entry[email]", "нет"),
                ],
                "email",
            ),
            (
                vec![
                    ("entry[category]", "Contractor"),
                    ("entry[name]", "Сантехник"),
                    ("entry[phones][0][phone]", "+79001234567"),
                    ("entry[buildings][0]", "999999"),
                ],
                "buildings",
            ),
        ] {
            let r = app
                .call_as(Some(&admin), "/api/phonebook/save", &form)
                .await;
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            assert_eq!(status, 422, "{form:?}: {body}");
            assert!(body.contains(field), "{body} names {field}");
        }
        assert_eq!(
            before,
            app.fingerprint().await,
            "refused input saved nothing"
        );
        let id = ok(app
            .call_as(
                Some(&admin),
                "/api/phonebook/save",
                &[
                    ("entry[category]", "Contractor"),
                    ("entry[name]", "Сантехник Пётр"),
                    ("entry[organization]", "ИП Водопроводов"),
                    ("entry[phones][0][phone]", "8 (900) 765-43-21"),
                ],
            )
            .await)
        .await;
        let found = ok(app
            .call_as(
                Some(&admin),
                "/api/phonebook/list",
                &[("filter[q]", "водопровод")],
            )
            .await)
        .await;
        assert_eq!(found[0]["id"], id);
        assert_eq!(found[0]["phones"][0]["display"], "+7 900 765-43-21");
        // The object manager (Лесная and Садовая) may not touch company-wide entries, and adds only
        // entries naming their buildings.
        let manager = app.session_for("manager").await;
        let id = id.to_string();
        let r = app
            .call_as(Some(&manager), "/api/phonebook/delete", &[("id", &id)])
            .await;
        assert_eq!(r.status(), 403);
        let lesnaya: i64 = app::on_db!(app.db(), pool => sqlx::query_scalar("SELECT id FROM buildings WHERE name = 'Лесная, 12'")
        .fetch_one(pool).await).expect("building");
        let lesnaya = lesnaya.to_string();
        let whole = [
            ("entry[category]", "Staff"),
            ("entry[name]", "Дворник Лесной"),
            ("entry[phones][0][phone]", "+79001110000"),
        ];
        let r = app
            .call_as(Some(&manager), "/api/phonebook/save", &whole)
            .await;
        assert_eq!(
            r.status(),
            422,
            "a company-wide entry is the administrators'"
        );
        let mut mine = whole.to_vec();
        mine.push(("entry[buildings][0]", lesnaya.as_str()));
        let mine_id = ok(app
            .call_as(Some(&manager), "/api/phonebook/save", &mine)
            .await)
        .await
        .to_string();
        ok(app
            .call_as(Some(&manager), "/api/phonebook/delete", &[("id", &mine_id)])
            .await)
        .await;
        // The administrator deletes; the entry is gone and the deletion audited.
        ok(app
            .call_as(Some(&admin), "/api/phonebook/delete", &[("id", &id)])
            .await)
        .await;
        let found = ok(app
            .call_as(
                Some(&admin),
                "/api/phonebook/list",
                &[("filter[q]", "водопровод")],
            )
            .await)
        .await;
        assert_eq!(found.as_array().map(Vec::len), Some(0));
        let audited: i64 = app::on_db!(app.db(), pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'phonebook.delete'").fetch_one(pool).await)
        .expect("audit");
        assert_eq!(audited, 2);
    }
);
