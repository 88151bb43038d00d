//! SQL of the unit history, with named rows.

use crate::AppError;
use crate::db::Db;
use crate::on_db;
use chrono::{DateTime, Utc};

/// An audit entry about the unit, or naming it (`audit_log.unit_id`).
#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub changes: String,
    pub entity_id: Option<String>,
}

/// An import row that wrote the unit, with its file.
#[derive(sqlx::FromRow)]
pub struct ImportRow {
    pub at: DateTime<Utc>,
    pub by_name: Option<String>,
    pub job_id: i64,
    pub file_name: String,
    pub row_no: i32,
    pub outcome: String,
    pub detail: String,
}

/// The newest `limit` audit entries of the unit or naming it.
pub async fn audit_entries(db: &Db, unit: i64, limit: i64) -> Result<Vec<AuditRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT at, actor_name, action, entity, changes, entity_id FROM audit_log \
         WHERE (entity = 'unit' AND entity_id = $1) OR unit_id = $2 ORDER BY at DESC, id DESC LIMIT $3")
        .bind(unit.to_string()).bind(unit).bind(limit).fetch_all(pool).await)?)
}

/// The newest `limit` import rows that wrote the unit.
pub async fn import_rows(db: &Db, unit: i64, limit: i64) -> Result<Vec<ImportRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT COALESCE(j.finished_at, j.started_at, j.created_at) AS at, us.display_name AS by_name, \
         j.id AS job_id, j.file_name, r.row_no, r.outcome, r.detail \
         FROM import_rows r JOIN import_jobs j ON j.id = r.job_id LEFT JOIN users us ON us.id = j.created_by \
         WHERE r.unit_id = $1 ORDER BY j.id DESC, r.row_no DESC LIMIT $2")
        .bind(unit).bind(limit).fetch_all(pool).await)?)
}
