//! Opening a pool for the URL's backend, with the settings each engine needs.

use super::{Db, DbError};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// Pool settings (from `[database]` in Leptos.toml).
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    pub busy_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// The backend a URL names, or an error that says which URLs are accepted.
pub fn parse_url(url: &str) -> Result<super::Backend, DbError> {
    let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or_default();
    match scheme {
        "sqlite" => Ok(super::Backend::Sqlite),
        "postgres" | "postgresql" => Ok(super::Backend::Postgres),
        _ => Err(DbError::UnsupportedUrl(redact(url))),
    }
}

/// The URL with any password replaced, safe for logs and error messages.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.split_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_owned()
}

pub(super) async fn connect(url: &str, options: &DbOptions) -> Result<Db, DbError> {
    let unreachable = |source| DbError::Unreachable {
        url: redact(url),
        source,
    };
    match parse_url(url)? {
        super::Backend::Sqlite => {
            let connect = SqliteConnectOptions::from_str(url)
                .map_err(unreachable)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(options.busy_timeout);
            if let Some(parent) = connect.get_filename().parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).map_err(|e| unreachable(sqlx::Error::Io(e)))?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await
                .map_err(unreachable)?;
            Ok(Db::Sqlite(pool))
        }
        super::Backend::Postgres => {
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect(url)
                .await
                .map_err(unreachable)?;
            Ok(Db::Postgres(pool))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert!(matches!(
            parse_url("sqlite://data/x.db"),
            Ok(super::super::Backend::Sqlite)
        ));
        assert!(matches!(
            parse_url("sqlite::memory:"),
            Ok(super::super::Backend::Sqlite)
        ));
        assert!(matches!(
            parse_url("postgres://u@h/db"),
            Ok(super::super::Backend::Postgres)
        ));
        assert!(matches!(
            parse_url("postgresql://u@h/db"),
            Ok(super::super::Backend::Postgres)
        ));
        let err = parse_url("mysql://root:secret@h/db").expect_err("mysql is refused");
        let msg = err.to_string();
        assert!(msg.contains("not supported"), "{msg}");
        assert!(!msg.contains("secret"), "password must not leak: {msg}");
    }
}
