//! Fresh databases for tests: one new SQLite file or one new PostgreSQL database per test.
//!
//! [`both_backends!`](crate::both_backends) turns one async test body into two tests, `sqlite` and
//! `postgres`. PostgreSQL comes from `PLATFORMA_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); a database named `platforma_t_<random>` is created
//! for the test and dropped afterwards. `./dev test` checks PostgreSQL before the run: in CI it must be
//! up; elsewhere, when it is not reachable, it sets `PLATFORMA_SKIP_PG=1`, prints a warning, and the
//! `postgres` variants return early saying so.

use super::{Db, DbOptions};
use rand::Rng;

/// The server the PostgreSQL variants of tests create their databases on.
pub fn pg_admin_url() -> String {
    std::env::var("PLATFORMA_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// True when the test run was told that PostgreSQL is not available (never in CI).
pub fn pg_skipped() -> bool {
    std::env::var("PLATFORMA_SKIP_PG").is_ok_and(|v| v == "1") && std::env::var("CI").is_err()
}

/// A migrated, empty database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    File(tempfile_dir::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// A new SQLite database file in a temporary directory, migrated.
    ///
    /// # Panics
    /// When the file cannot be created or migrated (a broken test environment).
    pub async fn sqlite() -> Self {
        let dir = tempfile_dir::TempDir::new();
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .expect("open test sqlite");
        db.migrate().await.expect("migrate test sqlite");
        Self {
            db,
            cleanup: Cleanup::File(dir),
        }
    }

    /// A new PostgreSQL database, migrated.
    ///
    /// # Panics
    /// When PostgreSQL is unreachable or the database cannot be created (tests require it).
    pub async fn postgres() -> Self {
        let admin_url = pg_admin_url();
        let name = format!("platforma_t_{:016x}", rand::thread_rng().r#gen::<u64>());
        let admin = Db::connect(
            &admin_url,
            &DbOptions {
                max_connections: 1,
                ..DbOptions::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for this test: {e}"));
        crate::on_db!(&admin, pool => sqlx::query(&format!("CREATE DATABASE {name}")).execute(pool).await.map(|_| ()))
            .expect("create test database");
        admin.close().await;
        let url = db_url_with_name(&admin_url, &name);
        let db = Db::connect(
            &url,
            &DbOptions {
                max_connections: 4,
                ..DbOptions::default()
            },
        )
        .await
        .expect("connect to test database");
        db.migrate().await.expect("migrate test postgres");
        Self {
            db,
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    /// The database URL a child process (the server binary) can open.
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::File(dir) => format!("sqlite://{}/test.db", dir.path().display()),
            Cleanup::Postgres { admin_url, name } => db_url_with_name(admin_url, name),
        }
    }

    /// Drops the PostgreSQL database (SQLite files go with the temporary directory).
    pub async fn finish(self) {
        self.db.close().await;
        let Cleanup::Postgres { admin_url, name } = &self.cleanup else {
            return;
        };
        let one = DbOptions {
            max_connections: 1,
            ..DbOptions::default()
        };
        if let Ok(admin) = Db::connect(admin_url, &one).await {
            let drop_sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _ = crate::on_db!(&admin, pool => sqlx::query(&drop_sql).execute(pool).await.map(|_| ()));
            admin.close().await;
        }
    }
}

fn db_url_with_name(admin_url: &str, name: &str) -> String {
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    match base.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{name}", &base[..i]),
        _ => format!("{base}/{name}"),
    }
}

/// Writes one async test body for both backends:
///
/// ```text
/// both_backends!(companies_round_trip, |db| async move { ... });
/// ```
/// expands to `mod companies_round_trip { #[tokio::test] async fn sqlite() ..; async fn postgres() .. }`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let test_db = $crate::db::testing::TestDb::sqlite().await;
                {
                    let $db: &$crate::db::Db = &test_db.db;
                    $body.await;
                }
                test_db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                if $crate::db::testing::pg_skipped() {
                    eprintln!(
                        "WARNING: PostgreSQL variant of {} NOT RUN (PLATFORMA_SKIP_PG=1)",
                        stringify!($name)
                    );
                    return;
                }
                let test_db = $crate::db::testing::TestDb::postgres().await;
                {
                    let $db: &$crate::db::Db = &test_db.db;
                    $body.await;
                }
                test_db.finish().await;
            }
        }
    };
}

/// A minimal temporary directory (removed on drop), so the app crate needs no extra dependency.
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new() -> Self {
            let path =
                std::env::temp_dir().join(format!("platforma-test-{:016x}", rand::random::<u64>()));
            std::fs::create_dir_all(&path).expect("create temp dir");
            Self(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
