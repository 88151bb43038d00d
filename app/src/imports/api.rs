//! Server functions of imports. Each checks `people.import` first (see `access::POLICY`).

use super::model::{ImportJob, ImportJobId, ImportPreview, ImportSource, ReportPage, RowOutcome};
use crate::AppError;
use crate::buildings::model::BuildingId;
use leptos::prelude::*;

/// The company's import sources (accounting systems with a saved mapping).
#[server(endpoint = "people/import-sources")]
pub async fn import_sources() -> Result<Vec<ImportSource>, AppError> {
    crate::api_fn!("/api/people/import-sources", |ctx, actor, client| {
        super::server::jobs::sources(ctx.db(), &actor)
    })
}

/// The latest imports.
#[server(endpoint = "people/import-list")]
pub async fn import_list() -> Result<Vec<ImportJob>, AppError> {
    crate::api_fn!("/api/people/import-list", |ctx, actor, client| {
        super::server::jobs::list(ctx.db(), &actor)
    })
}

/// Uploads a file (its bytes in base64) for a building, optionally naming the accounting system
/// it came from; it is read at once (in a reader process with capped memory). Errors:
/// `Validation` on `file` (empty, broken, too large, too complex …), `source`; `NotFound` for a
/// building out of reach; `TooManyRequests` while the server reads other files.
#[server(endpoint = "people/import-upload")]
pub async fn import_upload(
    building: BuildingId,
    source: String,
    file_name: String,
    content: String,
) -> Result<ImportJobId, AppError> {
    crate::api_fn!(
        "/api/people/import-upload",
        |ctx, actor, client| async move {
            super::server::jobs::upload(
                &ctx.app, &actor, &client, building, &source, &file_name, content,
            )
            .await
        }
    )
}

/// The mapping step: columns with samples and what the rows would do. `mapping` (field codes
/// separated by commas) and `encoding` change the job while it has not started.
#[server(endpoint = "people/import-preview")]
pub async fn get_import_preview(
    id: ImportJobId,
    #[server(default)] mapping: Option<String>,
    #[server(default)] encoding: Option<String>,
) -> Result<ImportPreview, AppError> {
    crate::api_fn!(
        "/api/people/import-preview",
        |ctx, actor, client| async move {
            let encoding = match encoding.as_deref() {
                None | Some("") => None,
                Some(e) => Some(
                    super::model::Encoding::from_db(e)
                        .ok_or_else(|| AppError::validation("encoding", crate::Invalid::Unknown))?,
                ),
            };
            super::server::jobs::preview(&ctx.app, &actor, id, mapping.as_deref(), encoding).await
        }
    )
}

/// Starts the background apply. Errors: `Conflict` when already started or another import of
/// the company is running.
#[server(endpoint = "people/import-start")]
pub async fn import_start(id: ImportJobId, valid_only: bool) -> Result<(), AppError> {
    crate::api_fn!(
        "/api/people/import-start",
        |ctx, actor, client| async move {
            super::server::jobs::start(ctx.db(), &actor, &client, id, valid_only).await?;
            tokio::spawn(super::server::jobs::run(
                ctx.db().clone(),
                ctx.app.readers.clone(),
                id,
            ));
            Ok(())
        }
    )
}

/// A job's state and counts (polled for the progress bar).
#[server(endpoint = "people/import-status")]
pub async fn import_status(id: ImportJobId) -> Result<ImportJob, AppError> {
    crate::api_fn!("/api/people/import-status", |ctx, actor, client| {
        super::server::jobs::status(ctx.db(), &actor, id)
    })
}

/// One page of a job's report, optionally of one outcome.
#[server(endpoint = "people/import-report")]
pub async fn import_report(
    id: ImportJobId,
    #[server(default)] outcome: Option<RowOutcome>,
    page: u32,
) -> Result<ReportPage, AppError> {
    crate::api_fn!("/api/people/import-report", |ctx, actor, client| {
        super::server::jobs::report(ctx.db(), &actor, id, outcome, page)
    })
}
