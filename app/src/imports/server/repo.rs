//! SQL of import jobs, with named rows. No permission checks here: the service decides who may
//! call what.

use crate::AppError;
use crate::Conflict;
use crate::db::{Db, Tx, is_unique_violation};
use crate::imports::model::{Encoding, FileKind};
use crate::values::Relation;
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// A job as the screens list it.
#[derive(sqlx::FromRow)]
pub struct JobListRow {
    pub id: i64,
    pub building_id: i64,
    pub building: String,
    pub source: Option<String>,
    pub file_name: String,
    pub file_kind: String,
    pub encoding: String,
    pub status: String,
    pub valid_only: bool,
    pub rows_total: i32,
    pub rows_done: i32,
    pub rows_created: i32,
    pub rows_updated: i32,
    pub rows_unchanged: i32,
    pub rows_rejected: i32,
    pub error: Option<String>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const JOB_SELECT: &str = "SELECT j.id, j.building_id, b.name AS building, s.name AS source, j.file_name, j.file_kind, \
     j.encoding, j.status, j.valid_only, j.rows_total, j.rows_done, j.rows_created, j.rows_updated, j.rows_unchanged, \
     j.rows_rejected, j.error, u.display_name AS created_by, j.created_at, j.finished_at \
     FROM import_jobs j JOIN buildings b ON b.id = j.building_id \
     LEFT JOIN import_sources s ON s.id = j.source_id LEFT JOIN users u ON u.id = j.created_by";

/// The company's latest 50 jobs.
pub async fn company_jobs(db: &Db, company: i64) -> Result<Vec<JobListRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "{JOB_SELECT} WHERE j.company_id = $1 ORDER BY j.created_at DESC, j.id DESC LIMIT 50"))
        .bind(company).fetch_all(pool).await)?)
}

pub async fn job(db: &Db, id: i64) -> Result<JobListRow, AppError> {
    Ok(
        on_db!(db, pool => sqlx::query_as(&format!("{JOB_SELECT} WHERE j.id = $1"))
        .bind(id).fetch_one(pool).await)?,
    )
}

/// What the worker and the preview need of a job.
#[derive(sqlx::FromRow)]
pub struct JobDataRow {
    pub company_id: i64,
    pub building_id: i64,
    pub source_id: Option<i64>,
    pub file_kind: String,
    pub encoding: String,
    pub mapping: String,
    pub status: String,
    pub error: Option<String>,
    pub valid_only: bool,
    pub rows_done: i32,
    pub created_by: Option<i64>,
}

pub async fn job_data(db: &Db, id: i64) -> Result<JobDataRow, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT company_id, building_id, source_id, file_kind, encoding, mapping, status, error, valid_only, rows_done, created_by \
         FROM import_jobs WHERE id = $1")
        .bind(id).fetch_one(pool).await)?)
}

/// The building of a job.
pub async fn job_building(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT building_id FROM import_jobs WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

/// The uploaded file of a job.
pub async fn job_file(db: &Db, id: i64) -> Result<Vec<u8>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT content FROM import_jobs WHERE id = $1")
        .bind(id).fetch_one(pool).await)?)
}

/// The kept table of a job, as JSON.
pub async fn kept_table(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT table_json FROM import_tables WHERE job_id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

/// Keeps (or replaces) the table of a job, in its own transaction.
pub async fn keep_table(db: &Db, id: i64, json: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO import_tables (job_id, table_json) VALUES ($1, $2) \
         ON CONFLICT (job_id) DO UPDATE SET table_json = excluded.table_json")
        .bind(id).bind(json).execute(conn).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// An import source (an accounting system).
#[derive(sqlx::FromRow)]
pub struct SourceRow {
    pub id: i64,
    pub name: String,
}

pub async fn sources(db: &Db, company: i64) -> Result<Vec<SourceRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM import_sources WHERE company_id = $1 ORDER BY name")
        .bind(company).fetch_all(pool).await)?)
}

/// The saved mapping of a source, as JSON (folded header → field code).
pub async fn source_mapping(db: &Db, source: i64) -> Result<String, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT mapping FROM import_sources WHERE id = $1")
        .bind(source).fetch_one(pool).await)?)
}

/// The company's source by this name, created if new; its id and saved mapping (JSON).
pub async fn upsert_source(
    tx: &mut Tx,
    company: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<SourceMapping, AppError> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO import_sources (company_id, name, mapping, created_at, updated_at) VALUES ($1, $2, '{}', $3, $3) \
         ON CONFLICT (company_id, name) DO NOTHING")
        .bind(company).bind(name).bind(now).execute(conn).await.map(|_| ()))?;
    Ok(on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, mapping FROM import_sources WHERE company_id = $1 AND name = $2")
        .bind(company).bind(name).fetch_one(conn).await)?)
}

/// A source's id and saved mapping.
#[derive(sqlx::FromRow)]
pub struct SourceMapping {
    pub id: i64,
    pub mapping: String,
}

/// A new job to write.
pub struct NewJob<'a> {
    pub company: i64,
    pub building: i64,
    pub source: Option<i64>,
    pub file_name: &'a str,
    pub kind: FileKind,
    pub content: &'a [u8],
    pub sha256: &'a str,
    pub mapping: &'a str,
    pub rows_total: i32,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
}

/// Writes a job (status `uploaded`) and its table; returns its id.
pub async fn insert_job(tx: &mut Tx, j: &NewJob<'_>, table_json: &str) -> Result<i64, AppError> {
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO import_jobs (company_id, building_id, source_id, file_name, file_kind, encoding, content, file_sha256, \
         mapping, status, rows_total, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'auto', $6, $7, $8, 'uploaded', $9, $10, $11) RETURNING id")
        .bind(j.company).bind(j.building).bind(j.source).bind(j.file_name).bind(j.kind.as_db()).bind(j.content)
        .bind(j.sha256).bind(j.mapping).bind(j.rows_total).bind(j.created_by).bind(j.created_at)
        .fetch_one(conn).await)?;
    on_tx!(tx, conn => sqlx::query("INSERT INTO import_tables (job_id, table_json) VALUES ($1, $2)")
        .bind(id).bind(table_json).execute(conn).await.map(|_| ()))?;
    Ok(id)
}

/// Saves a job's mapping, encoding and row count while it is still `uploaded`, and the source's
/// mapping (JSON) when given.
pub async fn save_mapping(
    db: &Db,
    id: i64,
    (codes, encoding, rows): (&str, Encoding, i32),
    source: Option<(i64, String)>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE import_jobs SET mapping = $1, encoding = $2, rows_total = $3 WHERE id = $4 AND status = 'uploaded'")
        .bind(codes).bind(encoding.as_db()).bind(rows).bind(id)
        .execute(conn).await.map(|_| ()))?;
    if let Some((s, json)) = source {
        on_tx!(&mut tx, conn => sqlx::query(
            "UPDATE import_sources SET mapping = $1, updated_at = $2 WHERE id = $3")
            .bind(json).bind(now).bind(s).execute(conn).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(())
}

/// How many of the company's jobs are queued or applying.
pub async fn running_jobs(tx: &mut Tx, company: i64) -> Result<i64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM import_jobs WHERE company_id = $1 AND status IN ('queued', 'applying')")
        .bind(company).fetch_one(conn).await)?)
}

/// Queues a job afresh (its report rows and counts cleared). `Conflict` (`ImportRunning`) when
/// the unique index on running jobs settles two starts that both passed the count.
pub async fn queue(tx: &mut Tx, id: i64, valid_only: bool) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM import_rows WHERE job_id = $1")
        .bind(id).execute(conn).await.map(|_| ()))?;
    let queued: Result<(), sqlx::Error> = on_tx!(tx, conn => sqlx::query(
        "UPDATE import_jobs SET status = 'queued', valid_only = $1, error = NULL, rows_done = 0, rows_created = 0, \
         rows_updated = 0, rows_unchanged = 0, rows_rejected = 0, finished_at = NULL WHERE id = $2")
        .bind(valid_only).bind(id).execute(conn).await.map(|_| ()));
    match queued {
        Ok(()) => Ok(()),
        Err(e)
            if is_unique_violation(&e, "import_jobs_one_running_idx", "import_jobs.company_id") =>
        {
            Err(AppError::Conflict(Conflict::ImportRunning))
        }
        Err(e) => Err(e.into()),
    }
}

/// How many report rows a job has (`filter`: a trusted condition, or empty).
pub async fn report_count(db: &Db, id: i64, filter: &str) -> Result<i64, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM import_rows WHERE job_id = $1{filter}"))
        .bind(id).fetch_one(pool).await)?)
}

/// A row of the report.
#[derive(sqlx::FromRow)]
pub struct ReportRowDb {
    pub row_no: i32,
    pub outcome: String,
    pub detail: String,
    pub summary: String,
}

pub async fn report_rows(
    db: &Db,
    id: i64,
    filter: &str,
    (limit, offset): (i64, i64),
) -> Result<Vec<ReportRowDb>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT row_no, outcome, detail, summary FROM import_rows WHERE job_id = $1{filter} ORDER BY row_no LIMIT $2 OFFSET $3"))
        .bind(id).bind(limit).bind(offset).fetch_all(pool).await)?)
}

/// Records that applying a job failed.
pub async fn mark_failed(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    Ok(on_db!(db, pool => sqlx::query(
        "UPDATE import_jobs SET status = 'failed', error = 'apply:failed', finished_at = $1 WHERE id = $2")
        .bind(now).bind(id).execute(pool).await.map(|_| ()))?)
}

/// Jobs left queued or applying.
pub async fn unfinished(db: &Db) -> Result<Vec<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM import_jobs WHERE status IN ('queued', 'applying') ORDER BY id")
        .fetch_all(pool).await)?)
}

pub async fn mark_applying(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    Ok(on_db!(db, pool => sqlx::query(
        "UPDATE import_jobs SET status = 'applying', started_at = COALESCE(started_at, $1) WHERE id = $2")
        .bind(now).bind(id).execute(pool).await.map(|_| ()))?)
}

/// A report row to write (kept once: a resumed chunk writes nothing twice).
pub async fn insert_report_row(
    tx: &mut Tx,
    (job, row_no): (i64, u32),
    (outcome, detail): (&str, &str),
    unit: Option<i64>,
    summary: &str,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO import_rows (job_id, row_no, outcome, detail, unit_id, summary) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
        .bind(job).bind(i64::from(row_no)).bind(outcome).bind(detail).bind(unit).bind(summary)
        .execute(conn).await.map(|_| ()))?)
}

/// Rows counted by what happened to them.
#[derive(Default, sqlx::FromRow)]
pub struct Tally {
    pub rows_done: i32,
    pub rows_created: i32,
    pub rows_updated: i32,
    pub rows_unchanged: i32,
    pub rows_rejected: i32,
}

/// Adds a chunk's tally to the job's progress.
pub async fn add_tally(tx: &mut Tx, id: i64, t: &Tally) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE import_jobs SET rows_done = rows_done + $1, rows_created = rows_created + $2, rows_updated = rows_updated + $3, \
         rows_unchanged = rows_unchanged + $4, rows_rejected = rows_rejected + $5 WHERE id = $6")
        .bind(t.rows_done).bind(t.rows_created).bind(t.rows_updated).bind(t.rows_unchanged).bind(t.rows_rejected).bind(id)
        .execute(conn).await.map(|_| ()))?)
}

/// Records that a job was refused for rows with problems.
pub async fn mark_refused(
    tx: &mut Tx,
    id: i64,
    rejected: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE import_jobs SET status = 'failed', error = 'rows:rejected', rows_rejected = $1, finished_at = $2 WHERE id = $3")
        .bind(rejected).bind(now).bind(id).execute(conn).await.map(|_| ()))?)
}

/// Records that a job is done; returns its totals.
pub async fn mark_done(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<Tally, AppError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE import_jobs SET status = 'done', finished_at = $1 WHERE id = $2")
        .bind(now).bind(id).execute(conn).await.map(|_| ()))?;
    Ok(on_tx!(tx, conn => sqlx::query_as(
        "SELECT rows_done, rows_created, rows_updated, rows_unchanged, rows_rejected FROM import_jobs WHERE id = $1")
        .bind(id).fetch_one(conn).await)?)
}

/// A unit the import creates.
pub struct NewUnit<'a> {
    pub company: i64,
    pub building: i64,
    pub entrance: i64,
    pub floor: i32,
    pub position: i32,
    pub number: &'a str,
    pub kind: &'a str,
    pub area: Option<i64>,
    pub account: Option<&'a str>,
}

pub async fn insert_unit(
    tx: &mut Tx,
    u: &NewUnit<'_>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO units (company_id, building_id, entrance_id, floor, position, number, kind, area_dm2, account, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id")
        .bind(u.company).bind(u.building).bind(u.entrance).bind(u.floor).bind(u.position).bind(u.number)
        .bind(u.kind).bind(u.area).bind(u.account).bind(now).fetch_one(conn).await)?)
}

pub async fn update_unit(
    tx: &mut Tx,
    unit: i64,
    (kind, area, account): (&str, Option<i64>, Option<&str>),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE units SET kind = $1, area_dm2 = $2, account = $3, updated_at = $4 WHERE id = $5")
        .bind(kind).bind(area).bind(account).bind(now).bind(unit)
        .execute(conn).await.map(|_| ()))?)
}

pub async fn add_phone(
    tx: &mut Tx,
    (company, person): (i64, i64),
    phone: &str,
    position: i32,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO person_phones (company_id, person_id, phone, label, position) VALUES ($1, $2, $3, '', $4) ON CONFLICT DO NOTHING")
        .bind(company).bind(person).bind(phone).bind(position).execute(conn).await.map(|_| ()))?)
}

pub async fn add_email(
    tx: &mut Tx,
    (company, person): (i64, i64),
    email: &str,
    position: i32,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO person_emails (company_id, person_id, email, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(company).bind(person).bind(email).bind(position).execute(conn).await.map(|_| ()))?)
}

/// Links a person to a unit (or changes the share of the link).
pub async fn link(
    tx: &mut Tx,
    (company, person, unit): (i64, i64, i64),
    relation: Relation,
    (num, den): (Option<i32>, Option<i32>),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO person_units (company_id, person_id, unit_id, relation, share_num, share_den, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (person_id, unit_id, relation) DO UPDATE SET share_num = excluded.share_num, share_den = excluded.share_den")
        .bind(company).bind(person).bind(unit).bind(relation.as_db()).bind(num).bind(den).bind(now)
        .execute(conn).await.map(|_| ()))?)
}

/// Sets a unit's balance as of `today`, from this job.
pub async fn set_balance(
    tx: &mut Tx,
    (company, unit, job): (i64, i64, i64),
    amount: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO unit_balances (unit_id, company_id, amount, as_of, job_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (unit_id) DO UPDATE SET amount = excluded.amount, as_of = excluded.as_of, job_id = excluded.job_id, \
         updated_at = excluded.updated_at")
        .bind(unit).bind(company).bind(amount).bind(today).bind(job).bind(now)
        .execute(conn).await.map(|_| ()))?)
}
