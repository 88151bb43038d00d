//! SQL of the home. Every query takes the caller's filter (company and reach, built by the
//! service from the actor) as a trusted SQL fragment over the aliases named in each query.

use crate::AppError;
use crate::buildings::model::{BuildingId, UnitId};
use crate::db::Db;
use crate::home::model::{BuildingDebts, Expiring, ImportToFinish, LARGE_DEBT, LIST_LIMIT};
use crate::on_db;
use chrono::{DateTime, Utc};

/// Buildings (`b`) matching the filter.
pub async fn count_buildings(db: &Db, filter: &str) -> Result<i64, AppError> {
    let sql = format!("SELECT COUNT(*) FROM buildings b WHERE {filter}");
    Ok(on_db!(db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await)?)
}

/// Units of the buildings (`b`) matching the filter.
pub async fn count_units(db: &Db, filter: &str) -> Result<i64, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM units u JOIN buildings b ON b.id = u.building_id WHERE {filter}"
    );
    Ok(on_db!(db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await)?)
}

/// Clients (`p`, not merged away) of the company filter; with `units`, only those linked to
/// a unit (`u`) the filter reaches.
pub async fn count_people(db: &Db, company: &str, units: Option<&str>) -> Result<i64, AppError> {
    let sql = match units {
        None => format!("SELECT COUNT(*) FROM people p WHERE p.merged_into IS NULL AND {company}"),
        Some(reach) => format!(
            "SELECT COUNT(*) FROM people p WHERE p.merged_into IS NULL AND {company} AND EXISTS (\
             SELECT 1 FROM person_units pu JOIN units u ON u.id = pu.unit_id \
             WHERE pu.person_id = p.id AND {reach})"
        ),
    };
    Ok(on_db!(db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await)?)
}

#[derive(sqlx::FromRow)]
struct DebtRow {
    building_id: i64,
    building: String,
    units: i64,
    total: i64,
}

/// Buildings (`b`) with units owing at least `LARGE_DEBT`, most such units first.
pub async fn large_debts(db: &Db, filter: &str) -> Result<Vec<BuildingDebts>, AppError> {
    let sql = format!(
        "SELECT b.id AS building_id, b.name AS building, COUNT(*) AS units, CAST(SUM(ub.amount) AS BIGINT) AS total \
         FROM unit_balances ub JOIN units u ON u.id = ub.unit_id JOIN buildings b ON b.id = u.building_id \
         WHERE ub.amount >= $1 AND {filter} \
         GROUP BY b.id, b.name ORDER BY COUNT(*) DESC, SUM(ub.amount) DESC, b.name LIMIT {LIST_LIMIT}"
    );
    let rows: Vec<DebtRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(LARGE_DEBT).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| BuildingDebts {
            building_id: BuildingId(r.building_id),
            building: r.building,
            units: r.units,
            total: r.total,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ExpiringRow {
    unit_id: i64,
    building: String,
    number: String,
    expires_at: DateTime<Utc>,
}

/// Open invitations (`i`, of units `u`) expiring between `now` and `until`, soonest first.
pub async fn expiring_invitations(
    db: &Db,
    filter: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Expiring>, AppError> {
    let sql = format!(
        "SELECT i.unit_id, b.name AS building, u.number, i.expires_at FROM unit_invitations i \
         JOIN units u ON u.id = i.unit_id JOIN buildings b ON b.id = u.building_id \
         WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $1 AND i.expires_at <= $2 \
         AND {filter} ORDER BY i.expires_at, i.id LIMIT {LIST_LIMIT}"
    );
    let rows: Vec<ExpiringRow> = on_db!(db, pool => sqlx::query_as(&sql)
        .bind(now).bind(until).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| Expiring {
            unit_id: UnitId(r.unit_id),
            unit: format!("{} — {}", r.building, r.number),
            expires_at: r.expires_at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: i64,
    file_name: String,
    building: String,
    status: String,
    created_at: DateTime<Utc>,
}

/// Imports (`j`) since `since` that wait for their preview to be applied or that failed,
/// newest first.
pub async fn imports_to_finish(
    db: &Db,
    filter: &str,
    since: DateTime<Utc>,
) -> Result<Vec<ImportToFinish>, AppError> {
    let sql = format!(
        "SELECT j.id, j.file_name, b.name AS building, j.status, j.created_at FROM import_jobs j \
         JOIN buildings b ON b.id = j.building_id \
         WHERE j.status IN ('uploaded', 'failed') AND j.created_at >= $1 AND {filter} \
         ORDER BY j.id DESC LIMIT {LIST_LIMIT}"
    );
    let rows: Vec<ImportRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(since).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| ImportToFinish {
            id: r.id,
            file_name: r.file_name,
            building: r.building,
            status: r.status,
            created_at: r.created_at,
        })
        .collect())
}
