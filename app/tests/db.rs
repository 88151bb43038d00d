//! Database behaviour on both backends: schema parity, demo data, company queries, write
//! transactions under concurrency.

use app::access::server::Actor;
use app::both_backends;
use app::companies::model::{CompanyKind, CompanyQuery, NewCompany};
use app::companies::server::{repo, service};
use app::db::{Db, schema};
use app::demo::{self, StepOutcome};

#[tokio::test]
async fn both_migration_sets_build_the_same_schema() {
    let sqlite = app::db::testing::TestDb::sqlite().await;
    let lite = schema::read(&sqlite.db).await.expect("sqlite schema");
    sqlite.finish().await;
    // The reading itself works: known facts of the first migrations are seen.
    assert!(
        lite.columns.iter().any(|c| c.table == "companies"
            && c.column == "inn"
            && c.kind == "text"
            && !c.nullable),
        "{:?}",
        lite.columns
    );
    assert!(
        lite.checks
            .iter()
            .any(|c| c.name == "people_kind_check" && c.literals == ["'organization'", "'person'"]),
        "{:?}",
        lite.checks
    );
    assert!(
        lite.indexes
            .iter()
            .any(|i| i.name == "import_jobs_one_running_idx"
                && i.unique
                && !i.predicate.is_empty()),
        "{:?}",
        lite.indexes
    );
    assert!(
        lite.triggers
            .iter()
            .any(|t| t.table == "audit_log" && t.event == "DELETE"),
        "{:?}",
        lite.triggers
    );
    assert!(
        lite.foreign_keys.iter().any(|f| f.table == "person_units"
            && f.references == "units"
            && f.on_delete == "CASCADE"),
        "{:?}",
        lite.foreign_keys
    );
    assert!(
        lite.unnamed_checks.is_empty(),
        "name every CHECK constraint (error mapping and this test need names): {:#?}",
        lite.unnamed_checks
    );
    if app::db::testing::pg_skipped() {
        eprintln!("WARNING: schema parity NOT checked against PostgreSQL (PLATFORMA_SKIP_PG=1)");
        return;
    }
    let pg = app::db::testing::TestDb::postgres().await;
    let post = schema::read(&pg.db).await.expect("pg schema");
    pg.finish().await;
    let differences = lite.differences(&post, "SQLite", "PostgreSQL");
    assert!(
        differences.is_empty(),
        "the migration sets build different schemas:\n{}",
        differences.join("\n")
    );
}

#[test]
fn migration_folders_have_the_same_file_names() {
    let list = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!(
            "{}/../migrations/{dir}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("migrations dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
        v.sort();
        v
    };
    let (s, p) = (list("sqlite"), list("postgres"));
    assert!(!s.is_empty());
    assert_eq!(
        s, p,
        "migrations/sqlite and migrations/postgres must hold the same file names"
    );
}

both_backends!(migrating_twice_changes_nothing, |db| async move {
    let again = db.migrate().await.expect("second migrate");
    assert!(again.is_empty(), "nothing left to apply: {again:?}");
    assert_eq!(
        db.applied_migrations().await.expect("applied").len(),
        db.known_migrations().len()
    );
});

both_backends!(demo_seed_is_deterministic_and_idempotent, |db| async move {
    let first = demo::seed(db).await.expect("seed");
    assert!(
        first
            .steps
            .iter()
            .all(|(_, o)| matches!(o, StepOutcome::Ran(_))),
        "{first:?}"
    );
    let companies = service::list(db, &Actor::system(), &CompanyQuery::default())
        .await
        .expect("list");
    assert_eq!(companies.len(), 5);
    assert_eq!(
        companies
            .iter()
            .filter(|c| c.kind == CompanyKind::Management)
            .count(),
        2
    );
    // Pinned values: the generator must give every installation the same data.
    let first_company = &companies[0];
    assert_eq!(first_company.short_name, "УК «Речной берег»");
    for c in &companies {
        assert!(
            app::companies::model::Inn::parse(&c.inn).is_ok(),
            "demo INN {} is valid",
            c.inn
        );
        assert!(
            c.phone.as_deref().is_some_and(|p| p.starts_with("+7")),
            "{:?}",
            c.phone
        );
    }
    let second = demo::seed(db).await.expect("seed again");
    assert!(
        second
            .steps
            .iter()
            .all(|(_, o)| *o == StepOutcome::AlreadyDone),
        "{second:?}"
    );
    assert_eq!(
        repo::count(db).await.expect("count"),
        5,
        "a second seed adds nothing"
    );
});

both_backends!(
    demo_data_is_the_same_on_every_installation,
    |db| async move {
        demo::seed(db).await.expect("seed");
        let inns: Vec<String> = service::list(db, &Actor::system(), &CompanyQuery::default())
            .await
            .expect("list")
            .into_iter()
            .map(|c| c.inn)
            .collect();
        let other = app::db::testing::TestDb::sqlite().await;
        demo::seed(&other.db).await.expect("seed other");
        let other_inns: Vec<String> =
            service::list(&other.db, &Actor::system(), &CompanyQuery::default())
                .await
                .expect("list")
                .into_iter()
                .map(|c| c.inn)
                .collect();
        other.finish().await;
        assert_eq!(inns, other_inns);
    }
);

both_backends!(company_search_folds_case_and_yo, |db| async move {
    demo::seed(db).await.expect("seed");
    let found = |q: &str| {
        let q = CompanyQuery::parse(q).expect("valid query");
        async move {
            service::list(db, &Actor::system(), &q)
                .await
                .expect("list")
                .into_iter()
                .map(|c| c.short_name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("речной").await, vec!["УК «Речной берег»"]);
    assert_eq!(found("ЛИФТ").await, vec!["ООО «ЛифтТехСервис»"]);
    assert!(found("нет такой компании").await.is_empty());
});

both_backends!(
    duplicate_inn_is_a_field_error_and_saves_nothing,
    |db| async move {
        let company = NewCompany::parse(NewCompany {
            kind: CompanyKind::Contractor,
            name: "ООО «Тест»".into(),
            short_name: "Тест".into(),
            inn: "7707083893".into(),
            phone: None,
            email: None,
            address: None,
        })
        .expect("valid");
        let mut tx = db.begin_write().await.expect("begin");
        repo::insert(&mut tx, &company).await.expect("first insert");
        tx.commit().await.expect("commit");
        let mut tx = db.begin_write().await.expect("begin");
        let err = repo::insert(&mut tx, &company)
            .await
            .expect_err("duplicate rejected");
        drop(tx);
        assert_eq!(
            err,
            app::AppError::validation("inn", app::Invalid::Duplicate)
        );
        assert_eq!(repo::count(db).await.expect("count"), 1);
    }
);

both_backends!(
    concurrent_writers_queue_instead_of_failing,
    |db| async move {
        // 16 tasks each read-then-write in their own transaction; with BEGIN IMMEDIATE on SQLite
        // none of them fails with "database is locked".
        let mut tasks = Vec::new();
        for i in 0..16u32 {
            let db: Db = db.clone();
            tasks.push(tokio::spawn(async move {
            let mut tx = db.begin_write().await.expect("begin write");
            let key = format!("k{i}");
            let n: i64 = app::on_tx!(&mut tx, conn => sqlx::query_scalar("SELECT COUNT(*) FROM instance_meta").fetch_one(conn).await)
                .expect("read inside the write transaction");
            app::on_tx!(&mut tx, conn => sqlx::query("INSERT INTO instance_meta (key, value, updated_at) VALUES ($1, $2, $3)")
                .bind(&key).bind(n.to_string()).bind(chrono::Utc::now()).execute(conn).await.map(|_| ()))
                .expect("write");
            tx.commit().await.expect("commit");
        }));
        }
        for t in tasks {
            t.await.expect("task");
        }
        let n: i64 = app::on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM instance_meta").fetch_one(pool).await).expect("count");
        assert_eq!(n, 16);
    }
);

both_backends!(platform_admin_accounts, |db| async move {
    use app::auth::model::{Login, NewPassword};
    use app::auth::server::repo as users;
    let login = Login::parse("admin").expect("login");
    let password = NewPassword::parse("correct horse battery").expect("password");
    let id = users::create_platform_admin(db, &login, "Администратор", &password)
        .await
        .expect("created");
    assert!(id > 0);
    let err = users::create_platform_admin(
        db,
        &Login::parse("ADMIN").expect("login"),
        "Другой",
        &password,
    )
    .await
    .expect_err("same login, other case");
    assert_eq!(err, app::AppError::validation("login", app::Invalid::Taken));
    let hash: String = app::on_db!(db, pool => sqlx::query_scalar("SELECT password_hash FROM users WHERE login = 'admin'").fetch_one(pool).await)
        .expect("stored");
    assert!(
        hash.starts_with("$argon2id$"),
        "never the plain password: {hash}"
    );
    assert!(
        app::access::server::password::verify("correct horse battery".into(), hash)
            .await
            .expect("a hashing slot")
    );
});
