//! The database: SQLite (embedded default) or PostgreSQL, chosen at runtime by the URL.
//!
//! One set of SQL serves both (sqlx's SQLite driver accepts `$1` placeholders; `RETURNING` and
//! `ON CONFLICT` exist in both). Where a dialect really differs, code matches on [`Db`] with
//! [`on_db!`]. SQLite runs in WAL mode with `synchronous=FULL`, foreign keys on and a busy timeout;
//! its write transactions begin `IMMEDIATE` ([`Db::begin_write`]) so concurrent writers queue on the
//! lock instead of failing with "database is locked" when they upgrade from a read.

mod backup;
mod connect;
pub mod schema;
pub mod testing;

pub use backup::{BackupReport, backup_sqlite};
pub use connect::{DbOptions, parse_url};

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// A connection pool to one of the two supported databases.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs the same code against whichever pool (or transaction) is inside a [`Db`] / [`Tx`].
///
/// ```text
/// on_db!(db, pool => sqlx::query("SELECT 1").execute(pool).await)?;
/// ```
#[macro_export]
macro_rules! on_db {
    ($db:expr, $conn:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($conn) => $body,
            $crate::db::Db::Postgres($conn) => $body,
        }
    };
}

/// Like [`on_db!`] for a [`Tx`]: `$conn` is `&mut *transaction`.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// Errors of connecting, migrating and operating the database, with messages for operators.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL `{0}` is not supported: use sqlite://PATH (for example sqlite://data/platforma.db) or postgres://USER@HOST:PORT/DB"
    )]
    UnsupportedUrl(String),
    #[error("cannot open the database at {url}: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error("{0}")]
    Backup(String),
    #[error("migration failed: {0}")]
    MigrationCheck(String),
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// SQLite migrations that start with `-- no-transaction`, applied outside a transaction.
///
/// sqlx 0.8's SQLite migrator runs every migration inside a transaction, where `PRAGMA
/// foreign_keys` cannot be changed; a table rebuild (the only way SQLite changes a CHECK
/// constraint) needs foreign keys off, or dropping the old table would cascade into every table
/// that refers to it. Each pending such migration is applied here, on its own connection, after
/// the migrations before it: its SQL runs as written (it opens and commits its own transaction),
/// foreign keys are checked, and it is recorded in `_sqlx_migrations` with its checksum, so the
/// regular run skips it. The connection is closed afterwards, never returned to the pool with
/// other settings. Re-running such a migration must be harmless (a crash may come between its
/// commit and its record).
async fn sqlite_no_tx_migrations(pool: &sqlx::SqlitePool) -> Result<(), DbError> {
    use sqlx::{Connection as _, Executor as _};
    for m in SQLITE_MIGRATOR.iter().filter(|m| m.no_tx) {
        let known: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(pool)
        .await?;
        if known > 0 {
            let applied: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE version = $1")
                    .bind(m.version)
                    .fetch_one(pool)
                    .await?;
            if applied > 0 {
                continue;
            }
        }
        let earlier = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                SQLITE_MIGRATOR
                    .iter()
                    .filter(|e| e.version < m.version)
                    .cloned()
                    .collect(),
            ),
            ignore_missing: false,
            locking: true,
            no_tx: false,
        };
        earlier.run(pool).await?;
        let mut conn = pool.acquire().await?.detach();
        let started = std::time::Instant::now();
        let applied = async {
            conn.execute(&*m.sql).await?;
            let broken: Vec<sqlx::sqlite::SqliteRow> =
                sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut conn).await?;
            if !broken.is_empty() {
                return Err(DbError::MigrationCheck(format!(
                    "migration {} left {} rows whose foreign keys point nowhere",
                    m.version,
                    broken.len()
                )));
            }
            sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ($1, $2, TRUE, $3, $4)",
            )
            .bind(m.version)
            .bind(&*m.description)
            .bind(&*m.checksum)
            .bind(i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX))
            .execute(&mut conn)
            .await?;
            Ok(())
        }
        .await;
        let _ = conn.close().await;
        applied?;
    }
    Ok(())
}

/// One applied (or pending) migration, for `platforma migrate` and the system page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MigrationInfo {
    pub version: i64,
    pub description: String,
}

impl Db {
    /// Connects to the database the URL names; see [`DbOptions`] for pool settings.
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Self, DbError> {
        connect::connect(url, options).await
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self {
            Self::Sqlite(_) => &SQLITE_MIGRATOR,
            Self::Postgres(_) => &POSTGRES_MIGRATOR,
        }
    }

    /// Applies every pending migration; returns the ones applied by this call.
    pub async fn migrate(&self) -> Result<Vec<MigrationInfo>, DbError> {
        let before = self.applied_migrations().await.unwrap_or_default();
        let migrator = self.migrator();
        if let Self::Sqlite(pool) = self {
            sqlite_no_tx_migrations(pool).await?;
        }
        on_db!(self, pool => migrator.run(pool).await)?;
        let after = self.applied_migrations().await?;
        Ok(after
            .into_iter()
            .filter(|m| !before.iter().any(|b| b.version == m.version))
            .collect())
    }

    /// The migrations recorded as applied, oldest first.
    pub async fn applied_migrations(&self) -> Result<Vec<MigrationInfo>, DbError> {
        let sql = "SELECT version, description FROM _sqlx_migrations WHERE success = TRUE ORDER BY version";
        let rows: Vec<(i64, String)> =
            on_db!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(version, description)| MigrationInfo {
                version,
                description,
            })
            .collect())
    }

    /// The migrations compiled into this binary.
    pub fn known_migrations(&self) -> Vec<MigrationInfo> {
        self.migrator()
            .iter()
            .map(|m| MigrationInfo {
                version: m.version,
                description: m.description.to_string(),
            })
            .collect()
    }

    /// Answers when the database answers a trivial query (for `/readyz`).
    pub async fn ping(&self) -> Result<(), DbError> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Pool size and idle connections, for `/metrics`.
    pub fn pool_stats(&self) -> (u32, usize) {
        on_db!(self, pool => (pool.size(), pool.num_idle()))
    }

    /// Begins a write transaction (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin_write(&self) -> Result<Tx, DbError> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Self::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await);
    }
}

impl Tx {
    /// What a `SELECT` inside this transaction appends to lock the rows it reads until commit:
    /// `FOR UPDATE` on PostgreSQL; nothing on SQLite, whose write transaction (`BEGIN
    /// IMMEDIATE`) already holds the database's write lock.
    pub fn lock_rows(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "",
            Self::Postgres(_) => " FOR UPDATE",
        }
    }

    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Self::Sqlite(t) => t.commit().await?,
            Self::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Integer ids as an SQL list (`1, 2, 3`) for `IN (…)`: integers only, so safe to write inline.
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        // `IN (NULL)` matches nothing, and `IN ()` is a syntax error.
        return "NULL".to_owned();
    }
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when `err` is a unique violation of the named constraint. PostgreSQL reports the
/// constraint name; SQLite reports "table.column" in its message instead.
pub fn is_unique_violation(err: &sqlx::Error, pg_constraint: &str, sqlite_column: &str) -> bool {
    let sqlx::Error::Database(db_err) = err else {
        return false;
    };
    db_err.is_unique_violation()
        && (db_err.constraint() == Some(pg_constraint) || db_err.message().contains(sqlite_column))
}
