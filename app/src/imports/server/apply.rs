//! The background apply of an import job. It first plans every row (nothing written); when a
//! row is rejected and the user did not choose "apply valid rows", the job fails with the report
//! and nothing is changed. Otherwise rows are written in chunks, each chunk in one transaction
//! together with its report rows and the job's progress, so a restart resumes after the last
//! committed chunk (`resume`) and a re-import of the same file changes nothing.

use super::plan::{Op, Planned, Snapshot};
use super::reader::Readers;
use super::repo::{self, NewUnit, Tally};
use super::service::{job_data, kept_table, read_and_keep};
use crate::AppError;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::db::{Db, Tx};
use crate::imports::model::{
    ImportJobId, JobStatus, RowOutcome, RowSummary, check_mapping, mapping_from_codes, parse_row,
    row_summary,
};
use crate::people::server::registry::insert_person;
use chrono::Utc;
use std::collections::HashMap;

/// Rows written per transaction: small enough that other writers wait milliseconds, not the
/// whole import.
const CHUNK: usize = 500;

/// Applies a queued job (or resumes one a restart interrupted). Never panics; a failure is
/// logged and recorded on the job.
pub async fn run(db: Db, readers: Readers, id: ImportJobId) {
    if let Err(e) = apply(&db, &readers, id.0).await {
        tracing::error!(job = id.0, error = ?e, "import failed");
        if let Err(e) = repo::mark_failed(&db, id.0, Utc::now()).await {
            tracing::error!(job = id.0, error = ?e, "import failure not recorded");
        }
    }
}

/// Jobs a stopped server left queued or half-applied, started again (called at start-up).
pub async fn resume(db: &Db) -> Result<Vec<ImportJobId>, AppError> {
    Ok(repo::unfinished(db)
        .await?
        .into_iter()
        .map(ImportJobId)
        .collect())
}

/// A line of the file: its number, its plan or its problems, and its summary as JSON.
type PlannedRow = (u32, Result<Planned, Vec<String>>, String);

fn summary_json(s: &RowSummary) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

async fn apply(db: &Db, readers: &Readers, id: i64) -> Result<(), AppError> {
    let job = job_data(db, id).await?;
    if !matches!(job.status, JobStatus::Queued | JobStatus::Applying) {
        return Ok(());
    }
    let resumed = job.status == JobStatus::Applying;
    let now = Utc::now();
    repo::mark_applying(db, id, now).await?;
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
    let place = Place {
        company: job.company,
        building: job.building,
        job: id,
        today,
    };
    for chunk in plans.chunks(CHUNK) {
        let mut tx = db.begin_write().await?;
        let mut t = Tally::default();
        for (no, plan, summary) in chunk {
            t.rows_done += 1;
            let (outcome, detail, unit) = match plan {
                Ok(p) => {
                    for op in &p.ops {
                        execute(&mut tx, &place, op, &mut ids).await?;
                    }
                    (p.outcome, p.detail.join(";"), Some(real(&ids, p.unit)?))
                }
                Err(problems) => (RowOutcome::Rejected, problems.join(";"), None),
            };
            match outcome {
                RowOutcome::Created => t.rows_created += 1,
                RowOutcome::Updated => t.rows_updated += 1,
                RowOutcome::Unchanged => t.rows_unchanged += 1,
                RowOutcome::Rejected => t.rows_rejected += 1,
            }
            if outcome != RowOutcome::Unchanged {
                let what = (outcome.as_db(), detail.as_str());
                repo::insert_report_row(&mut tx, (id, *no), what, unit, summary).await?;
            }
        }
        repo::add_tally(&mut tx, id, &t).await?;
        tx.commit().await?;
    }
    finish(db, id, job.company, job.created_by).await
}

/// All-or-nothing and some rows are bad: the report lists them and nothing else is written.
async fn refuse(db: &Db, id: i64, company: i64, plans: &[PlannedRow]) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let mut rejected = 0i32;
    for (no, plan, summary) in plans {
        if let Err(problems) = plan {
            rejected += 1;
            let what = ("rejected", problems.join(";"));
            repo::insert_report_row(&mut tx, (id, *no), (what.0, &what.1), None, summary).await?;
        }
    }
    repo::mark_refused(&mut tx, id, rejected, Utc::now()).await?;
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
    let t = repo::mark_done(&mut tx, id, Utc::now()).await?;
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
                ("created", None, Some(t.rows_created.to_string())),
                ("updated", None, Some(t.rows_updated.to_string())),
                ("unchanged", None, Some(t.rows_unchanged.to_string())),
                ("rejected", None, Some(t.rows_rejected.to_string())),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        job = id,
        created = t.rows_created,
        updated = t.rows_updated,
        unchanged = t.rows_unchanged,
        rejected = t.rows_rejected,
        "import applied"
    );
    Ok(())
}

/// The real id of an entity: ids below zero were created earlier in the same import.
fn real(ids: &HashMap<i64, i64>, id: i64) -> Result<i64, AppError> {
    if id >= 0 {
        return Ok(id);
    }
    ids.get(&id).copied().ok_or_else(|| {
        tracing::error!(tmp = id, "import plan refers to an entity not created");
        AppError::Internal
    })
}

/// Where a job writes: its company and building, the job itself, and the day of its balances.
struct Place {
    company: i64,
    building: i64,
    job: i64,
    today: chrono::NaiveDate,
}

/// One write of a row's plan.
async fn execute(
    tx: &mut Tx,
    at: &Place,
    op: &Op,
    ids: &mut HashMap<i64, i64>,
) -> Result<(), AppError> {
    let now = Utc::now();
    let company = at.company;
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
            let unit = NewUnit {
                company,
                building: at.building,
                entrance: *entrance_id,
                floor: *floor,
                position: *position,
                number,
                kind: kind.as_db(),
                area: *area,
                account: account.as_deref(),
            };
            let id = repo::insert_unit(tx, &unit, now).await?;
            ids.insert(*tmp, id);
        }
        Op::UpdateUnit {
            unit,
            kind,
            area,
            account,
        } => {
            let unit = real(ids, *unit)?;
            let fields = (kind.as_db(), *area, account.as_deref());
            repo::update_unit(tx, unit, fields, now).await?;
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
            repo::add_phone(tx, (company, person), phone, *position).await?;
        }
        Op::AddEmail {
            person,
            email,
            position,
        } => {
            let person = real(ids, *person)?;
            repo::add_email(tx, (company, person), email, *position).await?;
        }
        Op::Link {
            person,
            unit,
            relation,
            share,
        } => {
            let person = real(ids, *person)?;
            let unit = real(ids, *unit)?;
            let share = share.map_or((None, None), |(n, d)| (Some(n), Some(d)));
            repo::link(tx, (company, person, unit), *relation, share, now).await?;
        }
        Op::Balance { unit, amount } => {
            let unit = real(ids, *unit)?;
            repo::set_balance(tx, (company, unit, at.job), *amount, at.today, now).await?;
        }
    }
    Ok(())
}
