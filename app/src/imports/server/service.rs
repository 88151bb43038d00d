//! Import jobs as the screens use them: upload (the file is read once, in a capped reader
//! process, and kept in the database with its parsed table), mapping and preview (on the kept
//! table), the start, the status and the report. The apply runs in the background (`apply`).
//! Everything here needs `people.import` in the building's scope.

use super::plan::Snapshot;
use super::read::{Table, detect_kind};
use super::reader::{ReadTable, Readers};
use super::repo::{self, JobListRow, NewJob};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::api::AppContext;
use crate::buildings::model::BuildingId;
use crate::buildings::server::service::building_company;
use crate::db::Db;
use crate::imports::model::{
    Encoding, FileKind, ImportField, ImportJob, ImportJobId, ImportPreview, ImportSource,
    JobStatus, MAX_FILE_BYTES, Mapping, PreviewColumn, REPORT_PAGE, ReportPage, ReportRow,
    RowOutcome, SampleRow, check_mapping, check_source_name, mapping_codes, mapping_from_codes,
    parse_row, row_summary,
};
use crate::people::person::display_name;
use crate::values::fold;
use chrono::Utc;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Problems and sample rows the preview shows.
const PREVIEW_PROBLEMS: usize = 200;
const PREVIEW_SAMPLE: usize = 10;

pub(super) fn count(n: i32) -> u32 {
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
    Ok(repo::sources(db, actor.own_company()?)
        .await?
        .into_iter()
        .map(|s| ImportSource {
            id: s.id,
            name: s.name,
        })
        .collect())
}

/// The company's latest 50 imports in buildings the actor's `people.import` reaches.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<ImportJob>, AppError> {
    Ok(repo::company_jobs(db, actor.own_company()?)
        .await?
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
pub(super) struct JobData {
    pub company: i64,
    pub building: i64,
    pub source: Option<i64>,
    pub kind: FileKind,
    pub encoding: Encoding,
    pub mapping: String,
    pub status: JobStatus,
    pub error: Option<String>,
    pub valid_only: bool,
    pub rows_done: u32,
    pub created_by: Option<i64>,
}

/// A job's settings and state (not its file or table: see [`kept_table`]).
pub(super) async fn job_data(db: &Db, id: i64) -> Result<JobData, AppError> {
    let r = repo::job_data(db, id).await?;
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

/// The table the job's file was read into, if kept (jobs uploaded before tables were kept have
/// none: see [`read_and_keep`]).
pub(super) async fn kept_table(db: &Db, id: i64) -> Result<Option<Table>, AppError> {
    repo::kept_table(db, id)
        .await?
        .map(|json| {
            serde_json::from_str(&json).map_err(|e| {
                tracing::error!(job = id, error = %e, "the kept table of an import is not readable");
                AppError::Internal
            })
        })
        .transpose()
}

/// Reads the job's file (in a reader process) in `encoding` and keeps the table.
pub(super) async fn read_and_keep(
    db: &Db,
    readers: &Readers,
    id: i64,
    job: &JobData,
    encoding: Encoding,
) -> Result<Table, AppError> {
    let file = std::sync::Arc::new(repo::job_file(db, id).await?);
    let read = readers.read(job.company, file, job.kind, encoding).await?;
    repo::keep_table(db, id, &read.json).await?;
    Ok(read.table)
}

/// `Ok` if the actor's `people.import` reaches the job's building (another company's job is
/// `NotFound`).
async fn check_reach(db: &Db, actor: &Actor, id: ImportJobId) -> Result<(), AppError> {
    let building = repo::job_building(db, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
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
    Ok(job_from_row(repo::job(db, id.0).await?))
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
    let ReadTable { table, json } = Readers::of(app)
        .read(company, bytes.clone(), kind, Encoding::Auto)
        .await?;
    // What the job needs of the table now; the table itself is kept as its JSON.
    let headers = table.headers;
    let rows = table.rows.len();
    drop(table.rows);
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let (source_id, saved) = match &source {
        Some(name) => {
            let s = repo::upsert_source(&mut tx, company, name, now).await?;
            (
                Some(s.id),
                serde_json::from_str(&s.mapping).unwrap_or_default(),
            )
        }
        None => (None, HashMap::new()),
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
    let codes = mapping_codes(&mapping);
    let job = NewJob {
        company,
        building: building.0,
        source: source_id,
        file_name: &file_name,
        kind,
        content: bytes.as_slice(),
        sha256: &digest,
        mapping: &codes,
        rows_total: i32::try_from(rows).unwrap_or(i32::MAX),
        created_by: actor.user_id,
        created_at: now,
    };
    let id = repo::insert_job(&mut tx, &job, &json).await?;
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
        Some(Readers::of(app).slot(job.company).await?)
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
            read_and_keep(db, &Readers::of(app), id.0, &job, encoding).await?,
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
        job: job_from_row(repo::job(db, id.0).await?),
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

/// Saves the job's mapping and encoding, and teaches the source the mapping of these headers.
async fn save_mapping(
    db: &Db,
    id: i64,
    source: Option<i64>,
    table: &Table,
    mapping: &Mapping,
    encoding: Encoding,
) -> Result<(), AppError> {
    let saved = match source {
        Some(s) => {
            let mut saved: HashMap<String, String> =
                serde_json::from_str(&repo::source_mapping(db, s).await?).unwrap_or_default();
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
    let rows = i32::try_from(table.rows.len()).unwrap_or(i32::MAX);
    let job = (mapping_codes(mapping), encoding, rows);
    repo::save_mapping(db, id, (&job.0, job.1, job.2), saved, Utc::now()).await
}

/// Queues the job for the background apply ([`start_in_background`] runs it). With
/// `valid_only` rows with problems are skipped and reported; without it one bad row stops the
/// whole import before anything is written. Needs `people.import`. Errors: `Conflict` when the
/// job is not waiting to start or another import of the company is running; `Validation` on
/// `mapping`.
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
    if repo::running_jobs(&mut tx, job.company).await? > 0 {
        return Err(AppError::Conflict(crate::Conflict::ImportRunning));
    }
    repo::queue(&mut tx, id.0, valid_only).await?;
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

/// Starts the job (see [`start`]) and runs its apply in the background.
pub async fn start_in_background(
    app: &AppContext,
    actor: &Actor,
    client: &ClientInfo,
    id: ImportJobId,
    valid_only: bool,
) -> Result<(), AppError> {
    start(&app.db, actor, client, id, valid_only).await?;
    tokio::spawn(super::apply::run(app.db.clone(), Readers::of(app), id));
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
    let total = repo::report_count(db, id.0, &filter).await?;
    let offset = i64::from(page.saturating_sub(1)) * i64::from(REPORT_PAGE);
    let rows = repo::report_rows(db, id.0, &filter, (i64::from(REPORT_PAGE), offset)).await?;
    Ok(ReportPage {
        rows: rows
            .into_iter()
            .map(|r| ReportRow {
                row_no: count(r.row_no),
                outcome: RowOutcome::from_db(&r.outcome).unwrap_or(RowOutcome::Rejected),
                detail: r.detail,
                // Rows written before summaries were kept have none.
                summary: serde_json::from_str(&r.summary).unwrap_or_default(),
            })
            .collect(),
        total: u32::try_from(total).unwrap_or(0),
    })
}
