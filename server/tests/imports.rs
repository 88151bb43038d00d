//! Imports through the HTTP API on both databases, with the sample files in docs/: upload,
//! suggested mapping, preview with per-row problems, all-or-nothing refusal (nothing written),
//! "apply valid rows", the report, an idempotent re-import, a Windows-1251 CSV, and bad files
//! (wrong encoding chosen, broken XLSX, no unit column) that change nothing; arrears reach the
//! шахматка; access (administrators only, another company's import is not found).

mod common;

use common::{ok, scalar, status};

use base64::Engine as _;
use serde_json::Value;
use std::time::Duration;

const SAMPLE_CSV: &str = include_str!("../../docs/import-sample.csv");
const SAMPLE_XLSX: &[u8] = include_bytes!("../../docs/import-sample.xlsx");

/// What an import may touch, counted.
async fn registry(app: &common::TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM units",
        "SELECT COUNT(*) FROM people",
        "SELECT COUNT(*) FROM person_phones",
        "SELECT COUNT(*) FROM person_emails",
        "SELECT COUNT(*) FROM person_units",
        "SELECT COUNT(*) FROM unit_balances",
        "SELECT COUNT(*) FROM units WHERE account LIKE '5012%'",
    ] {
        out.push(scalar(app, sql).await);
    }
    out
}

async fn sadovaya(app: &common::TestApp) -> String {
    scalar(app, "SELECT id FROM buildings WHERE name = 'Садовая, 3'")
        .await
        .to_string()
}

async fn upload(
    app: &common::TestApp,
    session: &str,
    building: &str,
    name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let content = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    app.call_as(
        Some(session),
        "/api/imports/upload",
        &[
            ("building", building),
            ("source", "Расчётный центр"),
            ("file_name", name),
            ("content", &content),
        ],
    )
    .await
}

async fn preview(app: &common::TestApp, session: &str, form: &[(&str, &str)]) -> Value {
    ok(app
        .call_as(Some(session), "/api/imports/preview", form)
        .await)
    .await
}

/// Starts a job and waits until it is done or failed.
async fn run(app: &common::TestApp, session: &str, id: &str, valid_only: bool) -> Value {
    let valid = valid_only.to_string();
    ok(app
        .call_as(
            Some(session),
            "/api/imports/start",
            &[("id", id), ("valid_only", &valid)],
        )
        .await)
    .await;
    for _ in 0..600 {
        let job = ok(app
            .call_as(Some(session), "/api/imports/status", &[("id", id)])
            .await)
        .await;
        if job["status"] == "Done" || job["status"] == "Failed" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import {id} did not finish in 60 s");
}

on_both!(
    the_sample_imports_once_and_then_changes_nothing,
    |app| async {
        let admin = app.session_for("admin").await;
        let building = sadovaya(&app).await;
        let before = registry(&app).await;
        let id = ok(upload(&app, &admin, &building, "import-sample.xlsx", SAMPLE_XLSX).await)
            .await
            .as_i64()
            .expect("job id")
            .to_string();
        // Every column is recognised from its header.
        let p = preview(&app, &admin, &[("id", &id)]).await;
        let fields: Vec<&str> = p["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .map(|c| c["field"].as_str().unwrap_or("-"))
            .collect();
        assert_eq!(
            fields,
            [
                "Account", "Entrance", "Floor", "Unit", "UnitKind", "Area", "FullName", "Relation",
                "Share", "Phone", "Email", "Arrears"
            ],
            "{p}"
        );
        // One row has a wrong phone: reported with its row number in the file.
        assert_eq!(p["rejected"], 1, "{p}");
        assert_eq!(p["problems"][0]["row_no"], 11, "{p}");
        assert!(
            p["problems"][0]["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("phone:")),
            "{p}"
        );
        assert_eq!(p["would_create"], 18, "{p}");
        // All or nothing: the bad row stops the import and nothing is written.
        let job = run(&app, &admin, &id, false).await;
        assert_eq!(job["status"], "Failed", "{job}");
        assert_eq!(job["error"], "rows:rejected", "{job}");
        assert_eq!(registry(&app).await, before, "nothing written");
        let report = ok(app
            .call_as(
                Some(&admin),
                "/api/imports/report",
                &[("id", &id), ("page", "1")],
            )
            .await)
        .await;
        assert_eq!(report["total"], 1, "{report}");
        // Apply the valid rows.
        let job = run(&app, &admin, &id, true).await;
        assert_eq!(job["status"], "Done", "{job}");
        assert_eq!(
            (&job["created"], &job["updated"], &job["rejected"]),
            (&Value::from(18), &Value::from(0), &Value::from(1)),
            "{job}"
        );
        let after = registry(&app).await;
        assert_eq!(after[0], before[0] + 1, "the storage room К1 is a new unit");
        assert_eq!(after[6], 16, "16 units got their accounts");
        // Кузнецов is one person with two units, his phone in E.164.
        let kuznetsov = scalar(
            &app,
            "SELECT COUNT(*) FROM person_units pu JOIN people p ON p.id = pu.person_id \
         JOIN person_phones ph ON ph.person_id = p.id \
         WHERE p.last_name = 'Кузнецов' AND p.first_name = 'Андрей' AND ph.phone = '+79162011101'",
        )
        .await;
        assert_eq!(kuznetsov, 2);
        assert_eq!(
        scalar(&app, "SELECT amount FROM unit_balances b JOIN units u ON u.id = b.unit_id WHERE u.account = '5012000107'").await,
        5_623_040
    );
        assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM people WHERE kind = 'organization' AND organization = 'ООО «Домострой»'").await,
        1
    );
        // The шахматка shows the arrears.
        let grid = ok(app
            .call_as(Some(&admin), "/api/buildings/grid", &[("id", &building)])
            .await)
        .await;
        let seven = grid["units"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["number"] == "7")
            .expect("flat 7");
        assert_eq!(seven["arrears"][0], 5_623_040, "{seven}");
        // The unit page names the import: its balance with the source, its history row.
        let page = ok(app
            .call_as(
                Some(&admin),
                "/api/buildings/unit",
                &[("id", &seven["id"].to_string())],
            )
            .await)
        .await;
        assert_eq!(page["balance"]["amount"], 5_623_040, "{page}");
        assert_eq!(page["balance"]["job"].to_string(), id, "{page}");
        // Flat 7 has two owners (rows 9 and 10 of the file): the later row first, each with its
        // file and row number.
        let events = ok(app
            .call_as(
                Some(&admin),
                "/api/history/unit",
                &[("unit", &seven["id"].to_string())],
            )
            .await)
        .await;
        let history: Vec<&str> = events
            .as_array()
            .expect("history")
            .iter()
            .filter_map(|e| e["changes"].as_str())
            .collect();
        assert_eq!(history.len(), 2, "{events}");
        assert!(
            history[1].starts_with("import-sample.xlsx\n9\n") && history[1].contains("arrears:set"),
            "{events}"
        );
        assert!(
            history[0].starts_with("import-sample.xlsx\n10\n"),
            "{events}"
        );
        assert_eq!(events[0]["action"], "import.created", "{events}");
        // The same file again (as CSV this time, same data): nothing changes.
        let again = ok(upload(
            &app,
            &admin,
            &building,
            "import-sample.csv",
            SAMPLE_CSV.as_bytes(),
        )
        .await)
        .await
        .as_i64()
        .expect("job id")
        .to_string();
        let p = preview(&app, &admin, &[("id", &again)]).await;
        assert_eq!(
            (&p["would_create"], &p["would_update"], &p["unchanged"]),
            (&Value::from(0), &Value::from(0), &Value::from(18)),
            "{p}"
        );
        let job = run(&app, &admin, &again, true).await;
        assert_eq!(job["unchanged"], 18, "{job}");
        assert_eq!(registry(&app).await, after, "a re-import changes nothing");
        // The recent imports list both.
        let list = ok(app.call_as(Some(&admin), "/api/imports/list", &[]).await).await;
        assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    }
);

on_both!(
    encodings_and_bad_files_get_a_reason_and_change_nothing,
    |app| async {
        let admin = app.session_for("admin").await;
        let building = sadovaya(&app).await;
        let before = registry(&app).await;
        let jobs_before = scalar(&app, "SELECT COUNT(*) FROM import_jobs").await;
        // Broken XLSX, an empty file, a binary file: refused at upload, no job stored.
        let mut broken = SAMPLE_XLSX[..SAMPLE_XLSX.len() / 2].to_vec();
        broken.extend_from_slice(&[0; 64]);
        for (name, bytes, field, code) in [
            ("broken.xlsx", broken.as_slice(), "file", "broken"),
            ("empty.csv", b"".as_slice(), "file", "empty"),
            ("headers.csv", "Кв;ФИО\n".as_bytes(), "file", "no_rows"),
            (
                "image.csv",
                b"\x89PNG\r\n\x1a\n\0\0\0".as_slice(),
                "file",
                "binary",
            ),
        ] {
            let (code_got, body) = status(upload(&app, &admin, &building, name, bytes).await).await;
            assert_eq!(code_got, 422, "{name}: {body}");
            assert!(
                body.contains(field) && body.contains(code),
                "{name}: {body}"
            );
        }
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM import_jobs").await,
            jobs_before
        );
        // The sample in Windows-1251: read automatically, names intact.
        // "м²" has no Windows-1251 code: a real export of that system writes "м2".
        let cp1251 =
            to_cp1251(&SAMPLE_CSV.replace('²', "2")).expect("representable in Windows-1251");
        let id = ok(upload(&app, &admin, &building, "cp1251.csv", &cp1251).await)
            .await
            .as_i64()
            .expect("job id")
            .to_string();
        let p = preview(&app, &admin, &[("id", &id)]).await;
        assert_eq!(p["encoding_used"], "Cp1251", "{p}");
        assert_eq!(p["sample"][0]["person"], "Кузнецов Андрей Петрович", "{p}");
        // Told it is UTF-8, the same file gets a clear error.
        let (code, body) = status(
            app.call_as(
                Some(&admin),
                "/api/imports/preview",
                &[("id", &id), ("encoding", "utf8")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422, "{body}");
        assert!(body.contains("not_utf8"), "{body}");
        // A mapping without the unit: the preview says so and the import cannot start.
        let p = preview(
            &app,
            &admin,
            &[("id", &id), ("mapping", ",,,,,,full_name,,,phone,,")],
        )
        .await;
        assert_eq!(p["mapping_problem"], "mapping:unit_required", "{p}");
        let (code, body) = status(
            app.call_as(
                Some(&admin),
                "/api/imports/start",
                &[("id", &id), ("valid_only", "true")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422, "{body}");
        // An unknown field code is refused.
        let (code, _) = status(
            app.call_as(
                Some(&admin),
                "/api/imports/preview",
                &[("id", &id), ("mapping", "flat,name")],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422);
        // The mapping is remembered for the source: a new upload gets the last one chosen.
        let again = ok(upload(&app, &admin, &building, "again.csv", SAMPLE_CSV.as_bytes()).await)
            .await
            .as_i64()
            .expect("job id")
            .to_string();
        let p = preview(&app, &admin, &[("id", &again)]).await;
        assert_eq!(p["columns"][0]["field"], Value::Null, "{p}");
        assert_eq!(p["columns"][6]["field"], "FullName", "{p}");
        assert_eq!(registry(&app).await, before, "nothing written");
    }
);

on_both!(only_administrators_of_the_company_import, |app| async {
    let admin = app.session_for("admin").await;
    let building = sadovaya(&app).await;
    let id = ok(upload(&app, &admin, &building, "s.csv", SAMPLE_CSV.as_bytes()).await)
        .await
        .as_i64()
        .expect("job id")
        .to_string();
    for login in ["dispatcher", "manager", "concierge", "guard"] {
        let s = app.session_for(login).await;
        let (code, body) =
            status(upload(&app, &s, &building, "s.csv", SAMPLE_CSV.as_bytes()).await).await;
        assert_eq!(code, 403, "{login}: {body}");
        let (code, _) = status(
            app.call_as(Some(&s), "/api/imports/status", &[("id", &id)])
                .await,
        )
        .await;
        assert_eq!(code, 403, "{login}");
    }
    // The other company's administrator: neither the job nor the building exists for them.
    let other = app.session_for("admin2").await;
    let (code, _) = status(
        app.call_as(Some(&other), "/api/imports/status", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(code, 404);
    let (code, _) =
        status(upload(&app, &other, &building, "s.csv", SAMPLE_CSV.as_bytes()).await).await;
    assert_eq!(code, 404);
    let list = ok(app.call_as(Some(&other), "/api/imports/list", &[]).await).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
});

/// The text in Windows-1251 (the test's own encoder, independent of the server's decoder);
/// `None` when a character has no Windows-1251 code.
fn to_cp1251(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| match c {
            '\0'..='\x7f' => u8::try_from(u32::from(c)).ok(),
            'А'..='я' => u8::try_from(u32::from(c) - 0x410 + 0xC0).ok(),
            'Ё' => Some(0xA8),
            'ё' => Some(0xB8),
            '«' => Some(0xAB),
            '»' => Some(0xBB),
            '№' => Some(0xB9),
            _ => None,
        })
        .collect()
}

on_both!(
    oversized_uploads_are_refused_before_anything_is_stored,
    |app| async {
        let admin = app.session_for("admin").await;
        let building = sadovaya(&app).await;
        let jobs = scalar(&app, "SELECT COUNT(*) FROM import_jobs").await;
        // A file over 20 MB: the function refuses it with a reason.
        let big = "A".repeat(28 * 1024 * 1024);
        let (code, body) = status(
            app.call_as(
                Some(&admin),
                "/api/imports/upload",
                &[
                    ("building", building.as_str()),
                    ("source", ""),
                    ("file_name", "big.csv"),
                    ("content", big.as_str()),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(code, 422, "{body}");
        assert!(body.contains("too_large"), "{body}");
        // A body over the server's limit is refused before it is read: the headers alone (a
        // 33 MiB Content-Length, no body sent) get the 413. (Sending the whole body races the
        // server closing the connection after its answer: the client may see a broken pipe.)
        let code = {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let host = app.base.trim_start_matches("http://").to_owned();
            let mut tcp = tokio::net::TcpStream::connect(&host)
                .await
                .expect("connect");
            let head = format!(
                "POST /api/imports/upload HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\n\
                 Cookie: platforma_session={admin}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: {}\r\n\r\n",
                app.base,
                33 * 1024 * 1024
            );
            tcp.write_all(head.as_bytes()).await.expect("write");
            let mut answer = vec![0u8; 64];
            let n = tcp.read(&mut answer).await.expect("read");
            String::from_utf8_lossy(&answer[..n])
                .split_whitespace()
                .nth(1)
                .and_then(|c| c.parse::<u16>().ok())
        };
        assert_eq!(code, Some(413));
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM import_jobs").await, jobs);
    }
);

on_both!(one_import_per_company_runs_at_a_time, |app| async {
    let admin = app.session_for("admin").await;
    let building = sadovaya(&app).await;
    let mut jobs = Vec::new();
    for _ in 0..2 {
        let id = ok(upload(&app, &admin, &building, "import-sample.xlsx", SAMPLE_XLSX).await)
            .await
            .as_i64()
            .expect("job id");
        preview(&app, &admin, &[("id", &id.to_string())]).await;
        jobs.push(id);
    }
    // The first one is running (as a worker would leave it mid-way).
    app::on_db!(app.db(), pool => sqlx::query("UPDATE import_jobs SET status = 'applying' WHERE id = $1")
        .bind(jobs[0]).execute(pool).await.map(|_| ()))
    .expect("mark running");
    let r = app
        .call_as(
            Some(&admin),
            "/api/imports/start",
            &[("id", &jobs[1].to_string()), ("valid_only", "true")],
        )
        .await;
    let (code, body) = status(r).await;
    assert_eq!(code, 409, "the second start is refused: {body}");
    // The database refuses a second running job even past the start's check (two starts at once).
    let second = app::on_db!(app.db(), pool => sqlx::query("UPDATE import_jobs SET status = 'queued' WHERE id = $1")
        .bind(jobs[1]).execute(pool).await.map(|_| ()));
    assert!(second.is_err(), "the unique index on running jobs");
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM import_jobs WHERE status IN ('queued', 'applying') AND id IN ({}, {})", jobs[0], jobs[1])).await,
        1
    );
});
