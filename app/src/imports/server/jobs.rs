//! Import jobs: upload (the file is read once, in a capped reader process, and kept in the
//! database with its parsed table), mapping and preview (on the kept table), then the apply in
//! the background. The apply first plans every row (nothing written); when a row is
//! rejected and the user did not choose "apply valid rows", the job fails with the report and
//! nothing is changed. Otherwise rows are written in chunks, each chunk in one transaction
//! together with its report rows and the job's progress, so a restart resumes after the last
//! committed chunk (`resume`) and a re-import of the same file changes nothing.
//! Everything here needs `people.import` in the building's scope.

use super::plan::{Op, Planned, Snapshot};
use super::read::{Table, detect_kind};
use super::reader::{ReadTable, Readers};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::api::AppContext;
use crate::buildings::model::BuildingId;
use crate::buildings::server::repo::{building_company, own_company};
use crate::db::{Db, Tx};
use crate::imports::model::{
    Encoding, FileKind, ImportField, ImportJob, ImportJobId, ImportPreview, ImportSource,
    JobStatus, MAX_FILE_BYTES, Mapping, PreviewColumn, REPORT_PAGE, ReportPage, ReportRow,
    RowOutcome, RowSummary, SampleRow, check_mapping, check_source_name, mapping_codes,
    mapping_from_codes, parse_row, row_summary,
};
use crate::people::person::display_name;
use crate::people::server::registry::insert_person;
use crate::values::fold;
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Rows written per transaction: small enough that other writers wait milliseconds, not the
/// whole import.
const CHUNK: usize = 500;
/// Problems and sample rows the preview shows.
const PREVIEW_PROBLEMS: usize = 200;
const PREVIEW_SAMPLE: usize = 10;

#[derive(sqlx::FromRow)]
struct JobListRow {
    id: i64,
    building_id: i64,
    building: String,
    source: Option<String>,
    file_name: String,
    file_kind: String,
    encoding: String,
    status: String,
    valid_only: bool,
    rows_total: i32,
    rows_done: i32,
    rows_created: i32,
    rows_updated: i32,
    rows_unchanged: i32,
    rows_rejected: i32,
    error: Option<String>,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

const JOB_SELECT: &str = "SELECT j.id, j.building_id, b.name AS building, s.name AS source, j.file_name, j.file_kind, \
     j.encoding, j.status, j.valid_only, j.rows_total, j.rows_done, j.rows_created, j.rows_updated, j.rows_unchanged, \
     j.rows_rejected, j.error, u.display_name AS created_by, j.created_at, j.finished_at \
     FROM import_jobs j JOIN buildings b ON b.id = j.building_id \
     LEFT JOIN import_sources s ON s.id = j.source_id LEFT JOIN users u ON u.id = j.created_by";

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn job_from_row(r: JobListRow) -> ImportJob {
    ImportJob {
        id: ImportJobId(r.id),
        building_id: BuildingId(r.building_id),
        building: r.building,
        source: r.source,
        file_name: r.file_name,
        file_kind: FileKind::from_db(&r.file_kind).unwrap_or(FileKind::Csv),
        encoding: Encoding::from_db(&r.encoding).unwrap_or(Encoding::Auto),
        status: JobStatus::from_db(&r.status).unwrap_or(JobStatus::Failed),
        valid_only: r.valid_only,
        rows_total: count(r.rows_total),
        rows_done: count(r.rows_done),
        created: count(r.rows_created),
        updated: count(r.rows_updated),
        unchanged: count(r.rows_unchanged),
        rejected: count(r.rows_rejected),
        error: r.error,
        created_by: r.created_by.unwrap_or_default(),
        created_at: r.created_at,
        finished_at: r.finished_at,
    }
}

/// The company's import sources. Needs `people.import`.
pub async fn sources(db: &Db, actor: &Actor) -> Result<Vec<ImportSource>, AppError> {
    let company = own_company(actor)?;
    let rows: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM import_sources WHERE company_id = $1 ORDER BY name")
        .bind(company).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| ImportSource { id, name })
        .collect())
}

/// The company's latest 50 imports in buildings the actor's `people.import` reaches.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<ImportJob>, AppError> {
    let company = own_company(actor)?;
    let rows: Vec<JobListRow> = on_db!(db, pool => sqlx::query_as(&format!(
        "{JOB_SELECT} WHERE j.company_id = $1 ORDER BY j.created_at DESC, j.id DESC LIMIT 50"))
        .bind(company).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(job_from_row)
        .filter(|j| {
            actor
                .require_building(Permission::PeopleImport, j.building_id.0)
                .is_ok()
        })
        .collect())
}

/// What the worker and the preview need of a job.
struct JobData {
    company: i64,
    building: i64,
    source: Option<i64>,
    kind: FileKind,
    encoding: Encoding,
    mapping: String,
    status: JobStatus,
    error: Option<String>,
    valid_only: bool,
    rows_done: u32,
    created_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct JobDataRow {
    company_id: i64,
    building_id: i64,
    source_id: Option<i64>,
    file_kind: String,
    encoding: String,
    mapping: String,
    status: String,
    error: Option<String>,
    valid_only: bool,
    rows_done: i32,
    created_by: Option<i64>,
}

/// A job's settings and state (not its file or table: see [`job_file`], [`kept_table`]).
async fn job_data(db: &Db, id: i64) -> Result<JobData, AppError> {
    let r: JobDataRow = on_db!(db, pool => sqlx::query_as(
        "SELECT company_id, building_id, source_id, file_kind, encoding, mapping, status, error, valid_only, rows_done, created_by \
         FROM import_jobs WHERE id = $1")
        .bind(id).fetch_one(pool).await)?;
    Ok(JobData {
        company: r.company_id,
        building: r.building_id,
        source: r.source_id,
        kind: FileKind::from_db(&r.file_kind).unwrap_or(FileKind::Csv),
        encoding: Encoding::from_db(&r.encoding).unwrap_or(Encoding::Auto),
        mapping: r.mapping,
        status: JobStatus::from_db(&r.status).unwrap_or(JobStatus::Failed),
        error: r.error,
        valid_only: r.valid_only,
        rows_done: count(r.rows_done),
        created_by: r.created_by,
    })
}

/// The uploaded file of a job (read again only when a CSV's encoding is changed).
async fn job_file(db: &Db, id: i64) -> Result<Vec<u8>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT content FROM import_jobs WHERE id = $1")
        .bind(id).fetch_one(pool).await)?)
}

/// The table the job's file was read into, if kept (jobs uploaded before tables were kept have
/// none: see [`read_and_keep`]).
async fn kept_table(db: &Db, id: i64) -> Result<Option<Table>, AppError> {
    let kept: Option<String> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT table_json FROM import_tables WHERE job_id = $1")
        .bind(id).fetch_optional(pool).await)?;
    kept.map(|json| {
        serde_json::from_str(&json).map_err(|e| {
            tracing::error!(job = id, error = %e, "the kept table of an import is not readable");
            AppError::Internal
        })
    })
    .transpose()
}

/// Reads the job's file (in a reader process) in `encoding` and keeps the table.
async fn read_and_keep(
    db: &Db,
    readers: &Readers,
    id: i64,
    job: &JobData,
    encoding: Encoding,
) -> Result<Table, AppError> {
    let file = std::sync::Arc::new(job_file(db, id).await?);
    let read = readers.read(job.company, file, job.kind, encoding).await?;
    keep_table(db, id, &read.json).await?;
    Ok(read.table)
}

async fn keep_table(db: &Db, id: i64, json: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO import_tables (job_id, table_json) VALUES ($1, $2) \
         ON CONFLICT (job_id) DO UPDATE SET table_json = excluded.table_json")
        .bind(id).bind(json).execute(conn).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// `Ok` if the actor's `people.import` reaches the job's building (another company's job is
/// `NotFound`).
async fn check_reach(db: &Db, actor: &Actor, id: ImportJobId) -> Result<(), AppError> {
    let building: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT building_id FROM import_jobs WHERE id = $1")
        .bind(id.0).fetch_optional(pool).await)?;
    let building = building.ok_or(AppError::NotFound)?;
    building_company(db, actor, Permission::PeopleImport, building).await?;
    Ok(())
}

/// The job's settings if the actor's `people.import` reaches it.
async fn reachable(db: &Db, actor: &Actor, id: ImportJobId) -> Result<JobData, AppError> {
    check_reach(db, actor, id).await?;
    job_data(db, id.0).await
}

/// A job as the screens show it. Needs `people.import` reaching its building.
pub async fn status(db: &Db, actor: &Actor, id: ImportJobId) -> Result<ImportJob, AppError> {
    check_reach(db, actor, id).await?;
    load_job(db, id.0).await
}

async fn load_job(db: &Db, id: i64) -> Result<ImportJob, AppError> {
    let row: JobListRow = on_db!(db, pool => sqlx::query_as(&format!("{JOB_SELECT} WHERE j.id = $1"))
        .bind(id).fetch_one(pool).await)?;
    Ok(job_from_row(row))
}

/// The file from its base64 text (standard or URL-safe, line breaks allowed). The text is
/// consumed: a 20 MB file is not held twice longer than needed.
fn decode_upload(content: String) -> Result<Vec<u8>, AppError> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    if content.len() > MAX_FILE_BYTES / 3 * 4 + 8 {
        return Err(AppError::validation("file", Invalid::TooLarge));
    }
    let compact = if content.bytes().any(|b| b.is_ascii_whitespace()) {
        content.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        content
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(compact.trim_end_matches('='))
        .or_else(|_| STANDARD.decode(&compact))
        .map_err(|_| AppError::validation("file", Invalid::Encoding))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::validation("file", Invalid::TooLarge));
    }
    Ok(bytes)
}

/// The saved mapping of a source: folded header → field code ("" for a skipped column).
async fn source_mapping(db: &Db, source: i64) -> Result<HashMap<String, String>, AppError> {
    let raw: String = on_db!(db, pool => sqlx::query_scalar(
        "SELECT mapping FROM import_sources WHERE id = $1")
        .bind(source).fetch_one(pool).await)?;
    Ok(serde_json::from_str(&raw).unwrap_or_default())
}

/// A mapping for these headers: the source's saved choice per header, else a suggestion from
/// the header's words; a field that cannot repeat is given to its first column only.
fn suggest_mapping(headers: &[String], saved: &HashMap<String, String>) -> Mapping {
    let mut used: Vec<ImportField> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let field = match saved.get(&fold(h)) {
                Some(code) => ImportField::from_db(code),
                None => ImportField::suggest(h),
            }?;
            if !field.repeatable() && used.contains(&field) {
                return None;
            }
            used.push(field);
            Some(field)
        })
        .collect()
}

/// Stores an uploaded file (base64, standard or URL-safe) as a new job with a suggested
/// mapping (the source's saved one where headers match). The file is read once here, in a
/// reader process (see `reader`), and its table kept with the job, so a broken, empty or hostile
/// file is refused at once and nothing is stored.
/// Errors: `Validation` on `file`, `encoding`, `source`; `NotFound` for a building not reached;
/// `TooManyRequests` while the server reads other files.
pub async fn upload(
    app: &AppContext,
    actor: &Actor,
    client: &ClientInfo,
    building: BuildingId,
    source: &str,
    file_name: &str,
    content: String,
) -> Result<ImportJobId, AppError> {
    let db = &app.db;
    let company = building_company(db, actor, Permission::PeopleImport, building.0).await?;
    let file_name: String = file_name.trim().chars().take(200).collect();
    if file_name.is_empty() {
        return Err(AppError::validation("file", Invalid::Required));
    }
    let source = if source.trim().is_empty() {
        None
    } else {
        Some(check_source_name(source)?)
    };
    let bytes = std::sync::Arc::new(decode_upload(content)?);
    let kind = detect_kind(&bytes);
    let ReadTable { table, json } = app
        .readers
        .read(company, bytes.clone(), kind, Encoding::Auto)
        .await?;
    // What the job needs of the table now; the table itself is kept as its JSON.
    let headers = table.headers;
    let rows = table.rows.len();
    drop(table.rows);
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let source_id = match &source {
        Some(name) => {
            on_tx!(&mut tx, conn => sqlx::query(
                "INSERT INTO import_sources (company_id, name, mapping, created_at, updated_at) VALUES ($1, $2, '{}', $3, $3) \
                 ON CONFLICT (company_id, name) DO NOTHING")
                .bind(company).bind(name).bind(now).execute(conn).await.map(|_| ()))?;
            let id: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
                "SELECT id FROM import_sources WHERE company_id = $1 AND name = $2")
                .bind(company).bind(name).fetch_one(conn).await)?;
            Some(id)
        }
        None => None,
    };
    let saved = match source_id {
        Some(s) => {
            let raw: String = on_tx!(&mut tx, conn => sqlx::query_scalar(
                "SELECT mapping FROM import_sources WHERE id = $1").bind(s).fetch_one(conn).await)?;
            serde_json::from_str(&raw).unwrap_or_default()
        }
        None => HashMap::new(),
    };
    let mapping = suggest_mapping(&headers, &saved);
    let digest = {
        use sha2::Digest as _;
        let d = sha2::Sha256::digest(bytes.as_slice());
        d.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    };
    let rows_total = i32::try_from(rows).unwrap_or(i32::MAX);
    let id: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "INSERT INTO import_jobs (company_id, building_id, source_id, file_name, file_kind, encoding, content, file_sha256, \
         mapping, status, rows_total, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'auto', $6, $7, $8, 'uploaded', $9, $10, $11) RETURNING id")
        .bind(company).bind(building.0).bind(source_id).bind(&file_name).bind(kind.as_db()).bind(bytes.as_slice())
        .bind(&digest).bind(mapping_codes(&mapping)).bind(rows_total).bind(actor.user_id).bind(now)
        .fetch_one(conn).await)?;
    on_tx!(&mut tx, conn => sqlx::query("INSERT INTO import_tables (job_id, table_json) VALUES ($1, $2)")
        .bind(id).bind(&json).execute(conn).await.map(|_| ()))?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "import.upload",
            entity: "import_job",
            entity_id: Some(id.to_string()),
            changes: vec![
                ("file", None, Some(file_name.clone())),
                ("rows", None, Some(rows.to_string())),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ImportJobId(id))
}

fn columns(table: &Table, mapping: &Mapping) -> Vec<PreviewColumn> {
    table
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| PreviewColumn {
            header: header.clone(),
            samples: table
                .rows
                .iter()
                .filter_map(|(_, r)| r.get(i).filter(|c| !c.is_empty()))
                .take(3)
                .cloned()
                .collect(),
            field: mapping.get(i).copied().flatten(),
        })
        .collect()
}

fn sample_row(row_no: u32, r: &crate::imports::model::ParsedRow) -> SampleRow {
    SampleRow {
        row_no,
        unit: r.number.clone().unwrap_or_default(),
        account: r.account.clone().unwrap_or_default(),
        person: r
            .person
            .as_ref()
            .map(|p| {
                display_name(
                    p.kind,
                    &p.last_name,
                    &p.first_name,
                    &p.middle_name,
                    &p.organization,
                )
            })
            .unwrap_or_default(),
        relation: r.person.as_ref().map(|_| r.relation),
        share: r
            .share
            .map(crate::people::person::Share::display)
            .unwrap_or_default(),
        phones: r
            .person
            .as_ref()
            .map(|p| {
                p.phones
                    .iter()
                    .map(|(ph, _)| ph.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        arrears: r.arrears,
    }
}

/// Saves the mapping (when given, while the job is still being prepared) to the job and to its
/// source, and checks every row against the building as it is now. Returns what the apply
/// would do. Needs `people.import`. Errors: `Validation` on `mapping`, `encoding`, `file`;
/// `Conflict` when the mapping of a job already started is changed.
pub async fn preview(
    app: &AppContext,
    actor: &Actor,
    id: ImportJobId,
    mapping: Option<&str>,
    encoding: Option<Encoding>,
) -> Result<ImportPreview, AppError> {
    let db = &app.db;
    let job = reachable(db, actor, id).await?;
    let recode = encoding.is_some_and(|e| e != job.encoding);
    let changing = mapping.is_some() || recode;
    if changing && job.status != JobStatus::Uploaded {
        return Err(AppError::Conflict(crate::Conflict::ImportStarted));
    }
    let encoding = encoding.unwrap_or(job.encoding);
    // A kept table takes memory like reading its file: it is loaded and checked in a reading
    // slot. A CSV read in another encoding, or a job without a kept table, is read again.
    let slot = if recode && job.kind == FileKind::Csv {
        None
    } else {
        Some(app.readers.slot(job.company).await?)
    };
    let kept = match &slot {
        Some(_) => kept_table(db, id.0).await?,
        None => None,
    };
    let (table, _slot) = if let Some(table) = kept {
        (table, slot)
    } else {
        drop(slot);
        (
            read_and_keep(db, &app.readers, id.0, &job, encoding).await?,
            None,
        )
    };
    let mapping = match mapping {
        Some(codes) => mapping_from_codes(codes, table.headers.len())?,
        None => mapping_from_codes(&job.mapping, table.headers.len())?,
    };
    if changing {
        save_mapping(db, id.0, job.source, &table, &mapping, encoding).await?;
    }
    let mut out = ImportPreview {
        job: load_job(db, id.0).await?,
        columns: columns(&table, &mapping),
        encoding_used: table.encoding_used,
        mapping_problem: None,
        would_create: 0,
        would_update: 0,
        unchanged: 0,
        rejected: 0,
        problems: Vec::new(),
        sample: Vec::new(),
    };
    if let Err(AppError::Validation { field, code }) = check_mapping(&mapping) {
        out.mapping_problem = Some(format!("{field}:{}", code.as_str()));
        return Ok(out);
    }
    let mut snap = Snapshot::load(db, job.company, job.building).await?;
    for (no, cells) in &table.rows {
        let parsed = parse_row(cells, &mapping);
        if let Ok(r) = &parsed
            && out.sample.len() < PREVIEW_SAMPLE
        {
            out.sample.push(sample_row(*no, r));
        }
        match parsed.and_then(|r| snap.plan(&r)) {
            Ok(p) => match p.outcome {
                RowOutcome::Created => out.would_create += 1,
                RowOutcome::Updated => out.would_update += 1,
                RowOutcome::Unchanged | RowOutcome::Rejected => out.unchanged += 1,
            },
            Err(problems) => {
                out.rejected += 1;
                if out.problems.len() < PREVIEW_PROBLEMS {
                    out.problems.push(ReportRow {
                        row_no: *no,
                        outcome: RowOutcome::Rejected,
                        detail: problems.join(";"),
                        summary: row_summary(cells, &mapping, &problems),
                    });
                }
            }
        }
    }
    Ok(out)
}

async fn save_mapping(
    db: &Db,
    id: i64,
    source: Option<i64>,
    table: &Table,
    mapping: &Mapping,
    encoding: Encoding,
) -> Result<(), AppError> {
    let now = Utc::now();
    let saved = match source {
        Some(s) => {
            let mut saved = source_mapping(db, s).await?;
            for (h, f) in table.headers.iter().zip(mapping) {
                let h = fold(h);
                if !h.is_empty() {
                    saved.insert(h, f.map_or("", ImportField::as_db).to_owned());
                }
            }
            Some((
                s,
                serde_json::to_string(&saved).unwrap_or_else(|_| "{}".into()),
            ))
        }
        None => None,
    };
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE import_jobs SET mapping = $1, encoding = $2, rows_total = $3 WHERE id = $4 AND status = 'uploaded'")
        .bind(mapping_codes(mapping)).bind(encoding.as_db())
        .bind(i32::try_from(table.rows.len()).unwrap_or(i32::MAX)).bind(id)
        .execute(conn).await.map(|_| ()))?;
    if let Some((s, json)) = saved {
        on_tx!(&mut tx, conn => sqlx::query(
            "UPDATE import_sources SET mapping = $1, updated_at = $2 WHERE id = $3")
            .bind(json).bind(now).bind(s).execute(conn).await.map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(())
}

/// Queues the job for the background apply (the caller spawns [`run`]). With `valid_only`
/// rows with problems are skipped and reported; without it one bad row stops the whole import
/// before anything is written. Needs `people.import`. Errors: `Conflict` when the job is not
/// waiting to start or another import of the company is running; `Validation` on `mapping`.
pub async fn start(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: ImportJobId,
    valid_only: bool,
) -> Result<(), AppError> {
    let job = reachable(db, actor, id).await?;
    // A job refused for bad rows wrote nothing, so it may start again (with `valid_only`).
    let refused = job.status == JobStatus::Failed && job.error.as_deref() == Some("rows:rejected");
    if job.status != JobStatus::Uploaded && !refused {
        return Err(AppError::Conflict(crate::Conflict::ImportStarted));
    }
    let width = job.mapping.split(',').count();
    check_mapping(&mapping_from_codes(&job.mapping, width)?)?;
    let mut tx = db.begin_write().await?;
    let busy: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM import_jobs WHERE company_id = $1 AND status IN ('queued', 'applying')")
        .bind(job.company).fetch_one(conn).await)?;
    if busy > 0 {
        return Err(AppError::Conflict(crate::Conflict::ImportRunning));
    }
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM import_rows WHERE job_id = $1")
        .bind(id.0).execute(conn).await.map(|_| ()))?;
    // The unique index on running jobs settles two starts that both passed the count above.
    let queued: Result<(), sqlx::Error> = on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE import_jobs SET status = 'queued', valid_only = $1, error = NULL, rows_done = 0, rows_created = 0, \
         rows_updated = 0, rows_unchanged = 0, rows_rejected = 0, finished_at = NULL WHERE id = $2")
        .bind(valid_only).bind(id.0).execute(conn).await.map(|_| ()));
    match queued {
        Ok(()) => {}
        Err(e)
            if crate::db::is_unique_violation(
                &e,
                "import_jobs_one_running_idx",
                "import_jobs.company_id",
            ) =>
        {
            return Err(AppError::Conflict(crate::Conflict::ImportRunning));
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(job.company),
            action: "import.start",
            entity: "import_job",
            entity_id: Some(id.0.to_string()),
            changes: vec![("valid_only", None, Some(valid_only.to_string()))],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One page of the report, optionally of one outcome. Needs `people.import`.
pub async fn report(
    db: &Db,
    actor: &Actor,
    id: ImportJobId,
    outcome: Option<RowOutcome>,
    page: u32,
) -> Result<ReportPage, AppError> {
    check_reach(db, actor, id).await?;
    let filter = outcome.map_or(String::new(), |o| format!(" AND outcome = '{}'", o.as_db()));
    let total: i64 = on_db!(db, pool => sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM import_rows WHERE job_id = $1{filter}"))
        .bind(id.0).fetch_one(pool).await)?;
    let offset = i64::from(page.saturating_sub(1)) * i64::from(REPORT_PAGE);
    let rows: Vec<(i32, String, String, String)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT row_no, outcome, detail, summary FROM import_rows WHERE job_id = $1{filter} ORDER BY row_no LIMIT $2 OFFSET $3"))
        .bind(id.0).bind(i64::from(REPORT_PAGE)).bind(offset).fetch_all(pool).await)?;
    Ok(ReportPage {
        rows: rows
            .into_iter()
            .map(|(no, outcome, detail, summary)| ReportRow {
                row_no: count(no),
                outcome: RowOutcome::from_db(&outcome).unwrap_or(RowOutcome::Rejected),
                detail,
                // Rows written before summaries were kept have none.
                summary: serde_json::from_str(&summary).unwrap_or_default(),
            })
            .collect(),
        total: u32::try_from(total).unwrap_or(0),
    })
}

/// Applies a queued job (or resumes one a restart interrupted). Never panics; a failure is
/// logged and recorded on the job.
pub async fn run(db: Db, readers: Readers, id: ImportJobId) {
    if let Err(e) = apply(&db, &readers, id.0).await {
        tracing::error!(job = id.0, error = ?e, "import failed");
        let failed = on_db!(&db, pool => sqlx::query(
            "UPDATE import_jobs SET status = 'failed', error = 'apply:failed', finished_at = $1 WHERE id = $2")
            .bind(Utc::now()).bind(id.0).execute(pool).await.map(|_| ()));
        if let Err(e) = failed {
            tracing::error!(job = id.0, error = ?e, "import failure not recorded");
        }
    }
}

/// Jobs a stopped server left queued or half-applied, started again (called at start-up).
pub async fn resume(db: &Db) -> Result<Vec<ImportJobId>, AppError> {
    let ids: Vec<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM import_jobs WHERE status IN ('queued', 'applying') ORDER BY id")
        .fetch_all(pool).await)?;
    Ok(ids.into_iter().map(ImportJobId).collect())
}

#[derive(Default)]
struct Tally {
    done: i32,
    created: i32,
    updated: i32,
    unchanged: i32,
    rejected: i32,
}

async fn apply(db: &Db, readers: &Readers, id: i64) -> Result<(), AppError> {
    let job = job_data(db, id).await?;
    if !matches!(job.status, JobStatus::Queued | JobStatus::Applying) {
        return Ok(());
    }
    let resumed = job.status == JobStatus::Applying;
    let now = Utc::now();
    on_db!(db, pool => sqlx::query(
        "UPDATE import_jobs SET status = 'applying', started_at = COALESCE(started_at, $1) WHERE id = $2")
        .bind(now).bind(id).execute(pool).await.map(|_| ()))?;
    let table = match kept_table(db, id).await? {
        Some(table) => table,
        None => read_and_keep(db, readers, id, &job, job.encoding).await?,
    };
    let mapping = mapping_from_codes(&job.mapping, table.headers.len())?;
    check_mapping(&mapping)?;
    let mut snap = Snapshot::load(db, job.company, job.building).await?;
    // A resumed job skips the rows its committed chunks already wrote.
    let skip = if resumed {
        usize::try_from(job.rows_done).unwrap_or(0)
    } else {
        0
    };
    let plans: Vec<PlannedRow> = table
        .rows
        .iter()
        .skip(skip)
        .map(|(no, cells)| {
            let plan = parse_row(cells, &mapping).and_then(|r| snap.plan(&r));
            let problems = plan.as_ref().err().map_or(&[][..], Vec::as_slice);
            let summary = summary_json(&row_summary(cells, &mapping, problems));
            (*no, plan, summary)
        })
        .collect();
    let rejected = plans.iter().filter(|(_, p, _)| p.is_err()).count();
    if rejected > 0 && !job.valid_only && !resumed {
        return refuse(db, id, job.company, &plans).await;
    }
    let today = now.date_naive();
    let mut ids: HashMap<i64, i64> = HashMap::new();
    for chunk in plans.chunks(CHUNK) {
        let mut tx = db.begin_write().await?;
        let mut t = Tally::default();
        for (no, plan, summary) in chunk {
            t.done += 1;
            let (outcome, detail, unit) = match plan {
                Ok(p) => {
                    for op in &p.ops {
                        execute(&mut tx, job.company, job.building, id, today, op, &mut ids)
                            .await?;
                    }
                    (p.outcome, p.detail.join(";"), Some(real(&ids, p.unit)?))
                }
                Err(problems) => (RowOutcome::Rejected, problems.join(";"), None),
            };
            match outcome {
                RowOutcome::Created => t.created += 1,
                RowOutcome::Updated => t.updated += 1,
                RowOutcome::Unchanged => t.unchanged += 1,
                RowOutcome::Rejected => t.rejected += 1,
            }
            if outcome != RowOutcome::Unchanged {
                on_tx!(&mut tx, conn => sqlx::query(
                    "INSERT INTO import_rows (job_id, row_no, outcome, detail, unit_id, summary) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
                    .bind(id).bind(i64::from(*no)).bind(outcome.as_db()).bind(&detail).bind(unit).bind(summary)
                    .execute(conn).await.map(|_| ()))?;
            }
        }
        on_tx!(&mut tx, conn => sqlx::query(
            "UPDATE import_jobs SET rows_done = rows_done + $1, rows_created = rows_created + $2, rows_updated = rows_updated + $3, \
             rows_unchanged = rows_unchanged + $4, rows_rejected = rows_rejected + $5 WHERE id = $6")
            .bind(t.done).bind(t.created).bind(t.updated).bind(t.unchanged).bind(t.rejected).bind(id)
            .execute(conn).await.map(|_| ()))?;
        tx.commit().await?;
    }
    finish(db, id, job.company, job.created_by).await
}

/// A line of the file: its number, its plan or its problems, and its summary as JSON.
type PlannedRow = (u32, Result<Planned, Vec<String>>, String);

fn summary_json(s: &RowSummary) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// All-or-nothing and some rows are bad: the report lists them and nothing else is written.
async fn refuse(db: &Db, id: i64, company: i64, plans: &[PlannedRow]) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let mut rejected = 0i32;
    for (no, plan, summary) in plans {
        if let Err(problems) = plan {
            rejected += 1;
            on_tx!(&mut tx, conn => sqlx::query(
                "INSERT INTO import_rows (job_id, row_no, outcome, detail, summary) VALUES ($1, $2, 'rejected', $3, $4) ON CONFLICT DO NOTHING")
                .bind(id).bind(i64::from(*no)).bind(problems.join(";")).bind(summary)
                .execute(conn).await.map(|_| ()))?;
        }
    }
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE import_jobs SET status = 'failed', error = 'rows:rejected', rows_rejected = $1, finished_at = $2 WHERE id = $3")
        .bind(rejected).bind(Utc::now()).bind(id).execute(conn).await.map(|_| ()))?;
    audit::record(
        &mut tx,
        Who::Named {
            user_id: None,
            name: "import",
        },
        &ClientInfo::default(),
        Entry {
            company_id: Some(company),
            action: "import.refuse",
            entity: "import_job",
            entity_id: Some(id.to_string()),
            changes: vec![("rejected", None, Some(rejected.to_string()))],
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(job = id, rejected, "import refused: rows with problems");
    Ok(())
}

async fn finish(db: &Db, id: i64, company: i64, created_by: Option<i64>) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE import_jobs SET status = 'done', finished_at = $1 WHERE id = $2")
        .bind(Utc::now()).bind(id).execute(conn).await.map(|_| ()))?;
    let (c, u, n, r): (i32, i32, i32, i32) = on_tx!(&mut tx, conn => sqlx::query_as(
        "SELECT rows_created, rows_updated, rows_unchanged, rows_rejected FROM import_jobs WHERE id = $1")
        .bind(id).fetch_one(conn).await)?;
    audit::record(
        &mut tx,
        Who::Named {
            user_id: created_by,
            name: "import",
        },
        &ClientInfo::default(),
        Entry {
            company_id: Some(company),
            action: "import.apply",
            entity: "import_job",
            entity_id: Some(id.to_string()),
            changes: vec![
                ("created", None, Some(c.to_string())),
                ("updated", None, Some(u.to_string())),
                ("unchanged", None, Some(n.to_string())),
                ("rejected", None, Some(r.to_string())),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        job = id,
        created = c,
        updated = u,
        unchanged = n,
        rejected = r,
        "import applied"
    );
    Ok(())
}

fn real(ids: &HashMap<i64, i64>, id: i64) -> Result<i64, AppError> {
    if id >= 0 {
        return Ok(id);
    }
    ids.get(&id).copied().ok_or_else(|| {
        tracing::error!(tmp = id, "import plan refers to an entity not created");
        AppError::Internal
    })
}

async fn execute(
    tx: &mut Tx,
    company: i64,
    building: i64,
    job: i64,
    today: chrono::NaiveDate,
    op: &Op,
    ids: &mut HashMap<i64, i64>,
) -> Result<(), AppError> {
    let now = Utc::now();
    match op {
        Op::CreateUnit {
            tmp,
            entrance_id,
            floor,
            position,
            number,
            kind,
            area,
            account,
        } => {
            let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                "INSERT INTO units (company_id, building_id, entrance_id, floor, position, number, kind, area_dm2, account, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id")
                .bind(company).bind(building).bind(entrance_id).bind(floor).bind(position).bind(number)
                .bind(kind.as_db()).bind(area).bind(account).bind(now).fetch_one(conn).await)?;
            ids.insert(*tmp, id);
        }
        Op::UpdateUnit {
            unit,
            kind,
            area,
            account,
        } => {
            let unit = real(ids, *unit)?;
            on_tx!(tx, conn => sqlx::query(
                "UPDATE units SET kind = $1, area_dm2 = $2, account = $3, updated_at = $4 WHERE id = $5")
                .bind(kind.as_db()).bind(area).bind(account).bind(now).bind(unit)
                .execute(conn).await.map(|_| ()))?;
        }
        Op::CreatePerson { tmp, person } => {
            let id = insert_person(tx, company, person).await?;
            ids.insert(*tmp, id);
        }
        Op::AddPhone {
            person,
            phone,
            position,
        } => {
            let person = real(ids, *person)?;
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO person_phones (company_id, person_id, phone, label, position) VALUES ($1, $2, $3, '', $4) ON CONFLICT DO NOTHING")
                .bind(company).bind(person).bind(phone).bind(position).execute(conn).await.map(|_| ()))?;
        }
        Op::AddEmail {
            person,
            email,
            position,
        } => {
            let person = real(ids, *person)?;
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO person_emails (company_id, person_id, email, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .bind(company).bind(person).bind(email).bind(position).execute(conn).await.map(|_| ()))?;
        }
        Op::Link {
            person,
            unit,
            relation,
            share,
        } => {
            let person = real(ids, *person)?;
            let unit = real(ids, *unit)?;
            let (num, den) = share.map_or((None, None), |(n, d)| (Some(n), Some(d)));
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO person_units (company_id, person_id, unit_id, relation, share_num, share_den, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (person_id, unit_id, relation) DO UPDATE SET share_num = excluded.share_num, share_den = excluded.share_den")
                .bind(company).bind(person).bind(unit).bind(relation.as_db()).bind(num).bind(den).bind(now)
                .execute(conn).await.map(|_| ()))?;
        }
        Op::Balance { unit, amount } => {
            let unit = real(ids, *unit)?;
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO unit_balances (unit_id, company_id, amount, as_of, job_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (unit_id) DO UPDATE SET amount = excluded.amount, as_of = excluded.as_of, job_id = excluded.job_id, \
                 updated_at = excluded.updated_at")
                .bind(unit).bind(company).bind(amount).bind(today).bind(job).bind(now)
                .execute(conn).await.map(|_| ()))?;
        }
    }
    Ok(())
}
