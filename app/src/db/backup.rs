//! `platforma backup`: an online copy of a SQLite database, checked before it is called good.

use super::{Db, DbError};
use std::path::Path;

/// What a backup produced.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: String,
    pub bytes: u64,
    pub integrity: String,
}

/// Copies a live SQLite database to `to` with `VACUUM INTO` (a consistent snapshot taken while the
/// server keeps serving), then opens the copy and runs `PRAGMA integrity_check` on it.
/// Refuses to overwrite an existing file.
pub async fn backup_sqlite(db: &Db, to: &Path) -> Result<BackupReport, DbError> {
    let Db::Sqlite(pool) = db else {
        return Err(DbError::Backup(
            "backup copies SQLite databases; for PostgreSQL use pg_dump".into(),
        ));
    };
    if to.exists() {
        return Err(DbError::Backup(format!(
            "{} already exists; choose a new file name",
            to.display()
        )));
    }
    if let Some(parent) = to.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbError::Backup(format!("{}: {e}", parent.display())))?;
    }
    let target = to.to_string_lossy().to_string();
    sqlx::query("VACUUM INTO $1")
        .bind(&target)
        .execute(pool)
        .await?;

    let copy = Db::connect(&format!("sqlite://{target}"), &super::DbOptions::default()).await?;
    let Db::Sqlite(copy_pool) = &copy else {
        return Err(DbError::Backup("the copy did not open as SQLite".into()));
    };
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(copy_pool)
        .await?;
    copy.close().await;
    let bytes = std::fs::metadata(to).map_or(0, |m| m.len());
    if integrity != "ok" {
        return Err(DbError::Backup(format!(
            "the copy at {target} failed the integrity check: {integrity}"
        )));
    }
    Ok(BackupReport {
        path: target,
        bytes,
        integrity,
    })
}
