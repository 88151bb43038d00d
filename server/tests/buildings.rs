//! Buildings, scopes and residents' links on both databases: the grid generator through the API,
//! building-scoped grants (a manager of building A never sees building B or its people), grant
//! targets in the access editor, residents' claims confirmed by staff, and the company registry
//! (holdings see a child company only when it grants access; a company edits only its own card).

mod common;

use serde_json::Value;

fn plan<'a>(
    street: &'a str,
    entrances: &'a str,
    floors: &'a str,
    per_floor: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("plan[name]", ""),
        ("plan[address][region]", ""),
        ("plan[address][city]", "Москва"),
        ("plan[address][street]", street),
        ("plan[address][house]", "25"),
        ("plan[address][block]", ""),
        ("plan[entrances]", entrances),
        ("plan[floors]", floors),
        ("plan[units_per_floor]", per_floor),
        ("plan[commercial_per_entrance]", "0"),
        ("plan[parking_spaces]", "0"),
        ("plan[first_number]", "1"),
        ("plan[numbering]", "Continuous"),
    ]
}

on_both!(an_administrator_generates_a_1200_unit_grid, |app| async {
    let admin = app.session_for("admin").await;
    let id = common::ok(
        app.call_as(
            Some(&admin),
            "/api/buildings/create",
            &plan("ул. Новая", "6", "25", "8"),
        )
        .await,
    )
    .await;
    let grid = common::ok(
        app.call_as(
            Some(&admin),
            "/api/buildings/grid",
            &[("id", &id.to_string())],
        )
        .await,
    )
    .await;
    let units = grid["units"].as_array().expect("units");
    assert_eq!(units.len(), 1200);
    assert_eq!(grid["entrances"].as_array().map(Vec::len), Some(6));
    assert_eq!(
        grid["name"], "ул. Новая, 25",
        "an empty name becomes street and house"
    );
    let numbers: std::collections::HashSet<&str> =
        units.iter().filter_map(|u| u["number"].as_str()).collect();
    assert_eq!(numbers.len(), 1200, "unique numbers");
    // The same address typed differently is the same building.
    let again = app
        .call_as(
            Some(&admin),
            "/api/buildings/create",
            &plan("Новая улица", "1", "2", "2"),
        )
        .await;
    assert_eq!(again.status(), 422);
    let body: Value = again.json().await.expect("json");
    assert_eq!(body["Validation"]["field"], "address", "{body}");
    // A bad plan names its field and saves nothing.
    let before = app.fingerprint().await;
    let bad = app
        .call_as(
            Some(&admin),
            "/api/buildings/create",
            &plan("Другая", "6", "101", "8"),
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(before, app.fingerprint().await);
    let audit: i64 = common::scalar(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'building.create'",
    )
    .await;
    assert_eq!(audit, 1);
});

on_both!(
    renaming_a_unit_keeps_its_id_and_checks_its_fields,
    |app| async {
        let admin = app.session_for("admin").await;
        let unit = common::scalar(&app, "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Садовая, 3' AND u.number = '1'").await;
        let save = |number: &'static str, area: &'static str, account: &'static str| {
            let unit = unit.to_string();
            let admin = admin.clone();
            let app = &app;
            async move {
                app.call_as(
                    Some(&admin),
                    "/api/buildings/unit-save",
                    &[
                        ("update[id]", unit.as_str()),
                        ("update[number]", number),
                        ("update[kind]", "Apartment"),
                        ("update[area]", area),
                        ("update[account]", account),
                    ],
                )
                .await
            }
        };
        let saved = common::ok(save("1а", "45,6", "77-001").await).await;
        assert_eq!(saved["id"], unit);
        assert_eq!(saved["number"], "1а");
        assert_eq!(saved["area_dm2"], 4560);
        for (number, area, account, field) in [
            ("2", "", "", "number"),
            ("1а", "сорок", "", "area"),
            ("1а", "", "12;DROP", "account"),
        ] {
            let r = save(number, area, account).await;
            assert_eq!(r.status(), 422, "{field}");
            let body: Value = r.json().await.expect("json");
            assert_eq!(body["Validation"]["field"], field, "{body}");
        }
    }
);

on_both!(a_manager_scoped_to_buildings_sees_only_them, |app| async {
    // The demo object manager's grants name Лесная 12 and Садовая 3, not the tower.
    let manager = app.session_for("manager").await;
    let list = common::ok(
        app.call_as(Some(&manager), "/api/buildings/list", &[])
            .await,
    )
    .await;
    let names: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|b| b["name"].as_str())
        .collect();
    assert_eq!(names, vec!["Лесная, 12", "Садовая, 3"], "{list}");
    let tower = common::scalar(&app, "SELECT id FROM buildings WHERE name LIKE 'ЖК%'").await;
    let r = app
        .call_as(
            Some(&manager),
            "/api/buildings/grid",
            &[("id", &tower.to_string())],
        )
        .await;
    assert_eq!(
        r.status(),
        404,
        "another building answers like a missing one"
    );
    let tower_unit = common::scalar(&app, "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name LIKE 'ЖК%' AND u.number = '1'").await;
    let r = app
        .call_as(
            Some(&manager),
            "/api/residents/unit",
            &[("unit", &tower_unit.to_string())],
        )
        .await;
    assert_eq!(r.status(), 404, "nor its people");
    let own_unit = common::scalar(&app, "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Лесная, 12' AND u.number = '5'").await;
    let residents = common::ok(
        app.call_as(
            Some(&manager),
            "/api/residents/unit",
            &[("unit", &own_unit.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(
        residents["links"].as_array().map(Vec::len),
        Some(1),
        "{residents}"
    );
    assert_eq!(
        residents["links"][0]["phone"], "+79000000001",
        "the manager sees personal data"
    );
    // The concierge has no personal-data permission: the phone is masked.
    let concierge = app.session_for("concierge").await;
    let residents = common::ok(
        app.call_as(
            Some(&concierge),
            "/api/residents/unit",
            &[("unit", &own_unit.to_string())],
        )
        .await,
    )
    .await;
    let phone = residents["links"][0]["phone"].as_str().expect("phone");
    assert!(
        phone.starts_with("***") && phone.ends_with("00-01"),
        "{phone}"
    );
    // Claims of the tower (the resident's parking space) are not the manager's to decide.
    let claims = common::ok(
        app.call_as(Some(&manager), "/api/residents/claims", &[])
            .await,
    )
    .await;
    assert_eq!(claims.as_array().map(Vec::len), Some(0), "{claims}");
    // The customer-service manager reaches every building and sees phones.
    let service = app.session_for("service").await;
    let claims = common::ok(
        app.call_as(Some(&service), "/api/residents/claims", &[])
            .await,
    )
    .await;
    assert_eq!(claims.as_array().map(Vec::len), Some(1), "{claims}");
    assert_eq!(claims[0]["phone"], "+79000000001");
});

on_both!(grant_targets_are_checked_and_take_effect, |app| async {
    let admin = app.session_for("admin").await;
    let tech = common::scalar(&app, "SELECT id FROM users WHERE login = 'technician'")
        .await
        .to_string();
    let role = common::scalar(&app, "SELECT r.id FROM roles r JOIN companies c ON c.id = r.company_id WHERE r.code = 'object_manager' AND c.short_name = 'УК «Северный квартал»'").await.to_string();
    let sadovaya = common::scalar(&app, "SELECT id FROM buildings WHERE name = 'Садовая, 3'")
        .await
        .to_string();
    let foreign = common::scalar(
        &app,
        "SELECT id FROM buildings WHERE name = 'Набережная, 7'",
    )
    .await
    .to_string();
    let save = |targets: Vec<String>| {
        let (admin, tech, role, app) = (admin.clone(), tech.clone(), role.clone(), &app);
        async move {
            let mut form = vec![
                ("access[user_id]".to_owned(), tech),
                ("access[grants][0][role_id]".to_owned(), role),
                (
                    "access[grants][0][scope]".to_owned(),
                    "Buildings".to_owned(),
                ),
            ];
            for (i, t) in targets.into_iter().enumerate() {
                form.push((format!("access[grants][0][targets][{i}]"), t));
            }
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call_as(Some(&admin), "/api/admin/user-access-save", &form)
                .await
        }
    };
    for (targets, why) in [
        (vec![], "no target"),
        (vec![foreign.clone()], "another company's building"),
    ] {
        let r = save(targets).await;
        assert_eq!(r.status(), 422, "{why}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["Validation"]["field"], "targets", "{why}: {body}");
    }
    assert_eq!(save(vec![sadovaya.clone()]).await.status(), 200);
    let token = app.session_for("technician").await;
    let list = common::ok(app.call_as(Some(&token), "/api/buildings/list", &[]).await).await;
    let names: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|b| b["name"].as_str())
        .collect();
    assert_eq!(names, vec!["Садовая, 3"], "{list}");
    let (access, choices) = {
        let v = common::ok(
            app.call_as(Some(&admin), "/api/admin/user-access", &[("id", &tech)])
                .await,
        )
        .await;
        (v[0].clone(), v[1].clone())
    };
    assert_eq!(
        access["grants"][0]["targets"][0].to_string(),
        sadovaya,
        "{access}"
    );
    assert_eq!(
        choices["targets"]["buildings"].as_array().map(Vec::len),
        Some(3),
        "{choices}"
    );
});

on_both!(a_claim_waits_for_staff_confirmation, |app| async {
    let resident = app.session_for("+79000000001").await;
    let mine = common::ok(
        app.call_as(Some(&resident), "/api/residents/my-units", &[])
            .await,
    )
    .await;
    assert_eq!(
        mine.as_array().map(Vec::len),
        Some(3),
        "an active flat and a pending claim with the first УК, a parking space with the second: {mine}"
    );
    assert_eq!(
        mine.as_array()
            .expect("list")
            .iter()
            .filter(|u| u["company"] == "УК «Речной берег»")
            .count(),
        1,
        "{mine}"
    );
    let sadovaya = common::scalar(&app, "SELECT id FROM buildings WHERE name = 'Садовая, 3'")
        .await
        .to_string();
    let claim = |number: &'static str| {
        let (resident, sadovaya, app) = (resident.clone(), sadovaya.clone(), &app);
        async move {
            app.call_as(
                Some(&resident),
                "/api/residents/claim",
                &[
                    ("claim[building_id]", sadovaya.as_str()),
                    ("claim[number]", number),
                    ("claim[relation]", "Tenant"),
                    ("claim[note]", "Снимаю с весны"),
                ],
            )
            .await
        }
    };
    let r = claim("999").await;
    assert_eq!(r.status(), 422, "no such unit");
    assert_eq!(claim("3").await.status(), 200);
    assert_eq!(claim("3").await.status(), 409, "twice is a conflict");
    // A resident of another company cannot claim here: the building answers like a missing one.
    let other = app.session_for("+79000000002").await;
    let r = app
        .call_as(
            Some(&other),
            "/api/residents/claim",
            &[
                ("claim[building_id]", sadovaya.as_str()),
                ("claim[number]", "3"),
                ("claim[relation]", "Owner"),
                ("claim[note]", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 404);
    // Staff confirm it; it becomes active; deciding again is a conflict.
    let service = app.session_for("service").await;
    let claims = common::ok(
        app.call_as(Some(&service), "/api/residents/claims", &[])
            .await,
    )
    .await;
    let id = claims
        .as_array()
        .expect("claims")
        .iter()
        .find(|c| c["unit_label"].as_str().is_some_and(|l| l.ends_with("— 3")))
        .map(|c| c["id"].to_string())
        .expect("the new claim");
    let r = app
        .call_as(
            Some(&service),
            "/api/residents/claim-decide",
            &[("id", id.as_str()), ("accept", "true")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .call_as(
            Some(&service),
            "/api/residents/claim-decide",
            &[("id", id.as_str()), ("accept", "false")],
        )
        .await;
    assert_eq!(r.status(), 409);
    let mine = common::ok(
        app.call_as(Some(&resident), "/api/residents/my-units", &[])
            .await,
    )
    .await;
    assert!(
        mine.as_array()
            .expect("units")
            .iter()
            .any(|u| u["number"] == "3" && u["status"] == "Active"),
        "{mine}"
    );
    // Ending the link removes it from the cabinet.
    let r = app
        .call_as(
            Some(&service),
            "/api/residents/link-end",
            &[("id", id.as_str())],
        )
        .await;
    assert_eq!(r.status(), 200);
    let mine = common::ok(
        app.call_as(Some(&resident), "/api/residents/my-units", &[])
            .await,
    )
    .await;
    assert!(
        !mine
            .as_array()
            .expect("units")
            .iter()
            .any(|u| u["number"] == "3"),
        "{mine}"
    );
    // Staff cannot use the cabinet endpoints.
    assert_eq!(
        app.call_as(Some(&service), "/api/residents/my-units", &[])
            .await
            .status(),
        403
    );
});

on_both!(holdings_see_children_only_when_granted, |app| async {
    let operator = app.session_for("operator").await;
    let holding = common::ok(
        app.call_as(
            Some(&operator),
            "/api/companies/save",
            &[
                ("update[kind]", "Management"),
                ("update[name]", "АО «Городские дома»"),
                ("update[short_name]", "ГК «Городские дома»"),
                ("update[inn]", "7736207543"),
                ("update[phone]", "8 495 111-22-33"),
            ],
        )
        .await,
    )
    .await;
    let holding = holding.to_string();
    let roles: i64 = common::scalar(
        &app,
        &format!("SELECT COUNT(*) FROM roles WHERE company_id = {holding}"),
    )
    .await;
    assert!(roles >= 10, "a new company gets the default roles");
    let river = common::scalar(
        &app,
        "SELECT id FROM companies WHERE short_name = 'УК «Речной берег»'",
    )
    .await
    .to_string();
    let river_inn: String =
        app::on_db!(app.db(), pool => sqlx::query_scalar("SELECT inn FROM companies WHERE id = $1")
        .bind(river.parse::<i64>().expect("id")).fetch_one(pool).await)
        .expect("inn");
    let make_child = |access: &'static str| {
        let (operator, river, holding, inn, app) = (
            operator.clone(),
            river.clone(),
            holding.clone(),
            river_inn.clone(),
            &app,
        );
        async move {
            app.call_as(
                Some(&operator),
                "/api/companies/save",
                &[
                    ("update[id]", river.as_str()),
                    ("update[kind]", "Management"),
                    ("update[parent_id]", holding.as_str()),
                    ("update[name]", "ООО «Речной берег»"),
                    ("update[short_name]", "УК «Речной берег»"),
                    ("update[inn]", inn.as_str()),
                    ("update[holding_access]", access),
                ],
            )
            .await
        }
    };
    assert_eq!(make_child("false").await.status(), 200);
    // A staff account of the holding with the default administrator role.
    let now = chrono::Utc::now();
    app::on_db!(app.db(), pool => sqlx::query(
        "INSERT INTO users (company_id, kind, login, display_name, created_at, updated_at) VALUES ($1, 'staff', 'holding', 'Холдинг', $2, $2)")
        .bind(holding.parse::<i64>().expect("id")).bind(now).execute(pool).await.map(|_| ())).expect("user");
    app::on_db!(app.db(), pool => sqlx::query(
        "INSERT INTO role_grants (company_id, role_id, user_id, scope, created_at) \
         SELECT r.company_id, r.id, u.id, 'company', $1 FROM roles r, users u WHERE r.company_id = u.company_id AND r.code = 'administrator' AND u.login = 'holding'")
        .bind(now).execute(pool).await.map(|_| ())).expect("grant");
    let token = app.session_for("holding").await;
    let names = |v: Value| -> Vec<String> {
        v.as_array()
            .expect("list")
            .iter()
            .filter_map(|c| c["short_name"].as_str().map(str::to_owned))
            .collect()
    };
    let seen = names(
        common::ok(
            app.call_as(Some(&token), "/api/companies/list", &[("q", "")])
                .await,
        )
        .await,
    );
    assert_eq!(seen, vec!["ГК «Городские дома»"], "not granted yet");
    // The child's own administrator grants access; the INN it sends is ignored (the operator's).
    let admin2 = app.session_for("admin2").await;
    let r = app
        .call_as(
            Some(&admin2),
            "/api/companies/save",
            &[
                ("update[id]", river.as_str()),
                ("update[kind]", "Contractor"),
                ("update[name]", "ООО «Речной берег»"),
                ("update[short_name]", "УК «Речной берег»"),
                ("update[inn]", "7707083893"),
                ("update[holding_access]", "true"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let (kind, inn, parent): (String, String, Option<i64>) = app::on_db!(app.db(), pool => sqlx::query_as("SELECT kind, inn, parent_id FROM companies WHERE id = $1")
        .bind(river.parse::<i64>().expect("id")).fetch_one(pool).await).expect("row");
    assert_eq!(
        (kind.as_str(), inn.as_str()),
        ("management", river_inn.as_str())
    );
    assert_eq!(parent.map(|p| p.to_string()), Some(holding.clone()));
    let seen = names(
        common::ok(
            app.call_as(Some(&token), "/api/companies/list", &[("q", "")])
                .await,
        )
        .await,
    );
    assert_eq!(seen, vec!["ГК «Городские дома»", "УК «Речной берег»"]);
    // The holding still cannot edit its child, nor anyone another company.
    let r = app
        .call_as(
            Some(&admin2),
            "/api/companies/save",
            &[
                ("update[id]", holding.as_str()),
                ("update[kind]", "Management"),
                ("update[name]", "Захват"),
                ("update[short_name]", "Захват"),
                ("update[inn]", "7736207543"),
            ],
        )
        .await;
    assert_eq!(r.status(), 404);
    // A cycle is refused.
    let r = app
        .call_as(
            Some(&operator),
            "/api/companies/save",
            &[
                ("update[id]", holding.as_str()),
                ("update[kind]", "Management"),
                ("update[parent_id]", river.as_str()),
                ("update[name]", "АО «Городские дома»"),
                ("update[short_name]", "ГК «Городские дома»"),
                ("update[inn]", "7736207543"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    // So is a longer one: holding → river → grandchild → holding.
    let grandchild = common::ok(
        app.call_as(
            Some(&operator),
            "/api/companies/save",
            &[
                ("update[kind]", "Contractor"),
                ("update[parent_id]", river.as_str()),
                ("update[name]", "ООО «Внучка»"),
                ("update[short_name]", "Внучка"),
                ("update[inn]", "500100732259"),
            ],
        )
        .await,
    )
    .await
    .to_string();
    let r = app
        .call_as(
            Some(&operator),
            "/api/companies/save",
            &[
                ("update[id]", holding.as_str()),
                ("update[kind]", "Management"),
                ("update[parent_id]", grandchild.as_str()),
                ("update[name]", "АО «Городские дома»"),
                ("update[short_name]", "ГК «Городские дома»"),
                ("update[inn]", "7736207543"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "a three-step cycle");
    // Types are the operator's.
    let types = common::ok(
        app.call_as(
            Some(&operator),
            "/api/companies/type-save",
            &[
                ("update[kind]", "Contractor"),
                ("update[name]", "Лифтовая организация"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(types.as_array().map(Vec::len), Some(1));
    let r = app
        .call_as(
            Some(&operator),
            "/api/companies/type-save",
            &[
                ("update[kind]", "Contractor"),
                ("update[name]", "Лифтовая организация"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "a taken name");
});

on_both!(the_grid_editor_splits_merges_and_adds_floors, |app| async {
    let admin = app.session_for("admin").await;
    let unit = |n: &'static str| {
        let app = &app;
        async move {
            common::scalar(app, &format!("SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Садовая, 3' AND u.number = '{n}'")).await
        }
    };
    let place = |id: i64| {
        let app = &app;
        async move {
            let row: (i32, i32) = app::on_db!(app.db(), pool => sqlx::query_as("SELECT floor, position FROM units WHERE id = $1")
                .bind(id).fetch_one(pool).await).expect("unit");
            row
        }
    };
    // Садовая 3: 2 entrances × 5 floors × 3 flats; flat 1 is floor 1, place 1.
    let one = unit("1").await;
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/unit-split",
            &[("split[id]", &one.to_string()), ("split[new_number]", "1а")],
        )
        .await;
    let new_id = common::ok(r).await;
    let new_id = new_id.as_i64().expect("id");
    assert_eq!(
        place(new_id).await,
        (1, 2),
        "the new unit takes the next place"
    );
    assert_eq!(
        place(unit("2").await).await,
        (1, 3),
        "neighbours move right"
    );
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/unit-split",
            &[("split[id]", &one.to_string()), ("split[new_number]", "2")],
        )
        .await;
    assert_eq!(r.status(), 422, "a taken number");
    // Merge back: the unit keeps its id, the places close up.
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/unit-merge",
            &[
                ("merge[id]", &one.to_string()),
                ("merge[with]", &new_id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(place(unit("2").await).await, (1, 2));
    // Not neighbours: flat 1 and flat 3 (place 3).
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/unit-merge",
            &[
                ("merge[id]", &one.to_string()),
                ("merge[with]", &unit("3").await.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    // A unit someone is invited into cannot be merged away.
    let service = app.session_for("service").await;
    let two = unit("2").await;
    let r = app
        .call_as(
            Some(&service),
            "/api/residents/invite",
            &[
                ("invitation[unit_id]", &two.to_string()),
                ("invitation[phone]", "+79005553333"),
                ("invitation[name]", "Жилец"),
                ("invitation[relation]", "Tenant"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/unit-merge",
            &[
                ("merge[id]", &one.to_string()),
                ("merge[with]", &two.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    // A new top floor continues the numbering (30 flats so far → 31, 32).
    let entrance = common::scalar(&app, "SELECT e.id FROM entrances e JOIN buildings b ON b.id = e.building_id WHERE b.name = 'Садовая, 3' AND e.name = '2'").await;
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/floor-add",
            &[
                ("add[entrance_id]", &entrance.to_string()),
                ("add[units]", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(place(unit("31").await).await, (6, 1));
    assert_eq!(place(unit("32").await).await, (6, 2));
    let top: i32 = app::on_db!(app.db(), pool => sqlx::query_scalar("SELECT floor_to FROM entrances WHERE id = $1")
        .bind(entrance).fetch_one(pool).await).expect("entrance");
    assert_eq!(top, 6);
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/floor-add",
            &[
                ("add[entrance_id]", &entrance.to_string()),
                ("add[units]", "41"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let audit: i64 = common::scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE action IN ('unit.split', 'unit.merge', 'building.floor_add')").await;
    assert_eq!(audit, 3);
});

on_both!(the_unit_page_tells_the_units_story, |app| async {
    let admin = app.session_for("admin").await;
    let unit = |n: &'static str| {
        let app = &app;
        async move {
            common::scalar(app, &format!("SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = 'Садовая, 3' AND u.number = '{n}'")).await
        }
    };
    let page = |who: String, id: i64| {
        let app = &app;
        async move {
            app.call_as(
                Some(&who),
                "/api/buildings/unit",
                &[("id", &id.to_string())],
            )
            .await
        }
    };
    // The history is the history module's: the same permission, its own endpoint.
    let history = |who: String, id: i64| {
        let app = &app;
        async move {
            app.call_as(
                Some(&who),
                "/api/history/unit",
                &[("unit", &id.to_string())],
            )
            .await
        }
    };
    let two = unit("2").await;
    // A change of the unit, a person linked to it, a split of its neighbour.
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/unit-save",
            &[
                ("update[id]", two.to_string().as_str()),
                ("update[number]", "2"),
                ("update[kind]", "Apartment"),
                ("update[area]", "61,5"),
                ("update[account]", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let person = common::scalar(
        &app,
        "SELECT p.id FROM people p WHERE p.merged_into IS NULL ORDER BY p.id LIMIT 1",
    )
    .await;
    let r = app
        .call_as(
            Some(&admin),
            "/api/people/unit-link",
            &[
                ("id", person.to_string().as_str()),
                ("link[unit_id]", two.to_string().as_str()),
                ("link[relation]", "Owner"),
                ("link[share]", "1/2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let three = unit("3").await;
    let r = app
        .call_as(
            Some(&admin),
            "/api/buildings/unit-split",
            &[
                ("split[id]", &three.to_string()),
                ("split[new_number]", "3а"),
            ],
        )
        .await;
    let new_id = common::ok(r).await.as_i64().expect("id");

    let p = common::ok(page(admin.clone(), two).await).await;
    assert_eq!(p["unit"]["number"], "2");
    assert_eq!(p["unit"]["area_dm2"], 6150);
    assert_eq!(p["building_name"], "Садовая, 3");
    assert_eq!(p["entrance"]["name"], "1");
    assert_eq!(p["can_edit"], true);
    assert_eq!(p["can_see_people"], true);
    let neighbours: Vec<&str> = p["neighbours"]
        .as_array()
        .expect("neighbours")
        .iter()
        .filter_map(|n| n["number"].as_str())
        .collect();
    assert_eq!(neighbours, vec!["1", "3"], "{p}");
    let h = common::ok(history(admin.clone(), two).await).await;
    let events = h.as_array().expect("history");
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        vec!["person.unit_link", "unit.update"],
        "newest first: {h}"
    );
    assert!(
        events[0]["changes"]
            .as_str()
            .is_some_and(|c| c.contains("owner")),
        "{h}"
    );
    assert_eq!(events[0]["person"]["id"], person);
    assert!(
        events[1]["changes"]
            .as_str()
            .is_some_and(|c| c.contains("61,5")),
        "{h}"
    );
    // The new unit's history starts with the split.
    let h = common::ok(history(admin.clone(), new_id).await).await;
    assert_eq!(h[0]["action"], "unit.split", "{h}");
    let p = common::ok(page(admin.clone(), new_id).await).await;
    // 3а is the last on its floor: 3 is its only neighbour.
    assert_eq!(p["neighbours"][0]["number"], "3", "{p}");
    assert_eq!(p["neighbours"].as_array().map(Vec::len), Some(1));

    // The concierge sees people but not their personal data: the entry stays, its details go.
    let concierge = app.session_for("concierge").await;
    let p = common::ok(page(concierge.clone(), two).await).await;
    assert_eq!(p["can_edit"], false);
    let h = common::ok(history(concierge, two).await).await;
    let link = &h[0];
    assert_eq!(link["action"], "person.unit_link");
    assert_eq!(link["changes"], "", "{h}");
    // The marketer sees the building but not its people: only the unit's own changes.
    let marketer = app.session_for("marketer").await;
    let p = common::ok(page(marketer.clone(), two).await).await;
    assert_eq!(p["can_see_people"], false);
    let h = common::ok(history(marketer, two).await).await;
    let actions: Vec<&str> = h
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, vec!["unit.update"], "{h}");
    // The guard has no buildings.view; another company's administrator gets a missing unit.
    let guard = app.session_for("guard").await;
    assert_eq!(page(guard.clone(), two).await.status(), 403);
    assert_eq!(history(guard, two).await.status(), 403);
    let other = app.session_for("admin2").await;
    assert_eq!(page(other.clone(), two).await.status(), 404);
    assert_eq!(history(other, two).await.status(), 404);
    assert_eq!(page(admin.clone(), -5).await.status(), 404);
    assert_eq!(history(admin, -5).await.status(), 404);
});
