//! Company isolation, property-tested: an administrator of company B probes ids — company A's
//! real ids (roles, users, groups, positions, buildings, units, work areas, invitations, residents'
//! links, people, their units and vehicles, phonebook entries, import jobs, the company itself) and arbitrary ones — on every endpoint that takes an id.
//! Every probe must answer exactly like a missing id (404) and change nothing.

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// The id-taking endpoints and how to call them with an id.
fn probes(id: i64) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let id = id.to_string();
    vec![
        ("/api/admin/role", vec![("id", id.clone())]),
        (
            "/api/admin/role-save",
            vec![
                ("update[id]", id.clone()),
                ("update[name]", "Захват".into()),
                ("update[description]", String::new()),
            ],
        ),
        (
            "/api/admin/user-active",
            vec![("id", id.clone()), ("active", "false".into())],
        ),
        ("/api/admin/user-reset-password", vec![("id", id.clone())]),
        ("/api/admin/user-sessions", vec![("id", id.clone())]),
        (
            "/api/admin/session-revoke",
            vec![
                ("user_id", id.clone()),
                ("session", "0123456789abcdef".into()),
            ],
        ),
        ("/api/admin/user-access", vec![("id", id.clone())]),
        (
            "/api/admin/user-access-save",
            vec![("access[user_id]", id.clone())],
        ),
        (
            "/api/admin/group-save",
            vec![
                ("update[id]", id.clone()),
                ("update[name]", "Захват".into()),
            ],
        ),
        (
            "/api/admin/position-save",
            vec![
                ("update[id]", id.clone()),
                ("update[name]", "Захват".into()),
            ],
        ),
        ("/api/buildings/grid", vec![("id", id.clone())]),
        ("/api/buildings/unit", vec![("id", id.clone())]),
        ("/api/history/unit", vec![("unit", id.clone())]),
        ("/api/imports/status", vec![("id", id.clone())]),
        ("/api/imports/preview", vec![("id", id.clone())]),
        (
            "/api/imports/report",
            vec![("id", id.clone()), ("page", "1".into())],
        ),
        (
            "/api/imports/start",
            vec![("id", id.clone()), ("valid_only", "true".into())],
        ),
        (
            "/api/imports/upload",
            vec![
                ("building", id.clone()),
                ("source", String::new()),
                ("file_name", "x.csv".into()),
                ("content", "S3Y7MQox".into()),
            ],
        ),
        (
            "/api/buildings/unit-save",
            vec![
                ("update[id]", id.clone()),
                ("update[number]", "999".into()),
                ("update[kind]", "Apartment".into()),
                ("update[area]", String::new()),
                ("update[account]", String::new()),
            ],
        ),
        (
            "/api/buildings/work-area-save",
            vec![
                ("update[id]", id.clone()),
                ("update[name]", "Захват".into()),
            ],
        ),
        ("/api/residents/unit", vec![("unit", id.clone())]),
        (
            "/api/buildings/floor-add",
            vec![("add[entrance_id]", id.clone()), ("add[units]", "2".into())],
        ),
        (
            "/api/buildings/unit-split",
            vec![
                ("split[id]", id.clone()),
                ("split[new_number]", "999б".into()),
            ],
        ),
        (
            "/api/buildings/unit-merge",
            vec![("merge[id]", id.clone()), ("merge[with]", id.clone())],
        ),
        (
            "/api/residents/invite",
            vec![
                ("invitation[unit_id]", id.clone()),
                ("invitation[phone]", "+79005551111".into()),
                ("invitation[name]", "Захват".into()),
                ("invitation[relation]", "Owner".into()),
            ],
        ),
        ("/api/residents/invitation-revoke", vec![("id", id.clone())]),
        (
            "/api/residents/claim-decide",
            vec![("id", id.clone()), ("accept", "true".into())],
        ),
        ("/api/residents/link-end", vec![("id", id.clone())]),
        ("/api/people/card", vec![("id", id.clone())]),
        ("/api/people/of-unit", vec![("unit", id.clone())]),
        (
            "/api/people/update",
            vec![
                ("id", id.clone()),
                ("person[kind]", "Person".into()),
                ("person[last_name]", "Захват".into()),
            ],
        ),
        (
            "/api/people/unit-link",
            vec![
                ("id", id.clone()),
                ("link[unit_id]", id.clone()),
                ("link[relation]", "Owner".into()),
            ],
        ),
        ("/api/people/unit-unlink", vec![("link", id.clone())]),
        (
            "/api/people/vehicle-add",
            vec![("id", id.clone()), ("vehicle[plate]", "А001АА77".into())],
        ),
        ("/api/people/vehicle-remove", vec![("vehicle", id.clone())]),
        (
            "/api/people/consent-set",
            vec![
                ("id", id.clone()),
                ("consent[kind]", "Mailings".into()),
                ("consent[given_on]", "2024-01-01".into()),
            ],
        ),
        (
            "/api/people/consent-withdraw",
            vec![("id", id.clone()), ("kind", "PersonalData".into())],
        ),
        (
            "/api/people/note-add",
            vec![("id", id.clone()), ("body", "Захват".into())],
        ),
        (
            "/api/people/merge",
            vec![("keep", id.clone()), ("other", id.clone())],
        ),
        (
            "/api/phonebook/save",
            vec![
                ("entry[id]", id.clone()),
                ("entry[category]", "Other".into()),
                ("entry[name]", "Захват".into()),
                ("entry[phones][0][phone]", "+79005551111".into()),
            ],
        ),
        ("/api/phonebook/delete", vec![("id", id.clone())]),
        (
            "/api/companies/save",
            vec![
                ("update[id]", id),
                ("update[kind]", "Management".into()),
                ("update[name]", "Захват".into()),
                ("update[short_name]", "Захват".into()),
                ("update[inn]", "7707083893".into()),
            ],
        ),
    ]
}

/// Company-owned tables whose ids are probed (`companies` by its own id).
const TABLES: &[&str] = &[
    "entrances",
    "roles",
    "users",
    "user_groups",
    "positions",
    "buildings",
    "units",
    "work_areas",
    "unit_invitations",
    "resident_units",
    "people",
    "person_units",
    "vehicles",
    "phonebook_entries",
    "import_jobs",
];

/// `SELECT id FROM each table` of a company, and whether an id is one of them.
fn owned_sql(company: &str, select: bool) -> String {
    let parts: Vec<String> = TABLES
        .iter()
        .map(|t| {
            if select {
                format!("SELECT x.id FROM {t} x JOIN companies c ON c.id = x.company_id WHERE c.short_name = '{company}'")
            } else {
                format!("EXISTS (SELECT 1 FROM {t} x JOIN companies c ON c.id = x.company_id WHERE x.id = $1 AND c.short_name = '{company}')")
            }
        })
        .collect();
    if select {
        format!(
            "{} UNION SELECT id FROM companies WHERE short_name = '{company}'",
            parts.join(" UNION ")
        )
    } else {
        format!(
            "SELECT {} OR EXISTS (SELECT 1 FROM companies WHERE id = $1 AND short_name = '{company}')",
            parts.join(" OR ")
        )
    }
}

fn run(kind: common::Kind) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (app, token, foreign_ids) = rt.block_on(async {
        let app = common::TestApp::spawn(kind).await;
        let token = app.session_for("admin2").await;
        let db = app.db();
        let sql = owned_sql("УК «Северный квартал»", true);
        let mut ids: Vec<i64> = app::on_db!(db, pool => sqlx::query_scalar(&sql)
            .fetch_all(pool).await)
        .expect("ids");
        ids.sort_unstable();
        (app, token, ids)
    });
    let before = rt.block_on(app.fingerprint());
    let strategy = prop_oneof![
        proptest::sample::select(foreign_ids.clone()),
        any::<i64>(),
        -5i64..5000,
    ];
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |id| {
        rt.block_on(async {
            // Ids of company B itself are not probes: its administrator may act on them.
            let sql = owned_sql("УК «Речной берег»", false);
            let own: bool = app::on_db!(app.db(), pool => sqlx::query_scalar(&sql)
                .bind(id).fetch_one(pool).await)
            .expect("own?");
            if own {
                return Ok(());
            }
            for (endpoint, form) in probes(id) {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let status = app
                    .call_as(Some(&token), endpoint, &form)
                    .await
                    .status()
                    .as_u16();
                if status != 404 {
                    return Err(TestCaseError::fail(format!(
                        "{endpoint} with id {id} answered {status}, not 404"
                    )));
                }
            }
            Ok(())
        })
    });
    result.expect("company B never reaches company A's ids");
    let after = rt.block_on(app.fingerprint());
    // No probe may have changed a row.
    assert_eq!(before, after, "probes changed the database");
    rt.block_on(app.finish());
}

#[test]
fn sqlite() {
    run(common::Kind::Sqlite);
}

#[test]
fn postgres() {
    if app::db::testing::pg_skipped() {
        eprintln!("WARNING: PostgreSQL variant of isolation NOT RUN (PLATFORMA_SKIP_PG=1)");
        return;
    }
    run(common::Kind::Postgres);
}
