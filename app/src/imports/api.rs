//! Server functions of imports. Each checks `people.import` first (see `access::POLICY`).

use super::model::{ImportJob, ImportJobId, ImportPreview, ImportSource, ReportPage, RowOutcome};
use crate::AppError;
use crate::buildings::model::BuildingId;
use leptos::prelude::*;

/// The company's import sources (accounting systems with a saved mapping).
#[server(endpoint = "imports/sources")]
pub async fn import_sources() -> Result<Vec<ImportSource>, AppError> {
    crate::api_fn!("/api/imports/sources", |ctx, actor, client| {
        super::server::service::sources(ctx.db(), &actor)
    })
}

/// The latest imports.
#[server(endpoint = "imports/list")]
pub async fn import_list() -> Result<Vec<ImportJob>, AppError> {
    crate::api_fn!("/api/imports/list", |ctx, actor, client| {
        super::server::service::list(ctx.db(), &actor)
    })
}

/// Uploads a file (its bytes in base64) for a building, optionally naming the accounting system
/// it came from; it is read at once (in a reader process with capped memory). Errors:
/// `Validation` on `file` (empty, broken, too large, too complex …), `source`; `NotFound` for a
/// building out of reach; `TooManyRequests` while the server reads other files.
#[server(endpoint = "imports/upload")]
pub async fn import_upload(
    building: BuildingId,
    source: String,
    file_name: String,
    content: String,
) -> Result<ImportJobId, AppError> {
    crate::api_fn!("/api/imports/upload", |ctx, actor, client| async move {
        super::server::service::upload(
            &ctx.app, &actor, &client, building, &source, &file_name, content,
        )
        .await
    })
}

/// The mapping step: columns with samples and what the rows would do. `mapping` (field codes
/// separated by commas) and `encoding` change the job while it has not started.
#[server(endpoint = "imports/preview")]
pub async fn get_import_preview(
    id: ImportJobId,
    #[server(default)] mapping: Option<String>,
    #[server(default)] encoding: Option<String>,
) -> Result<ImportPreview, AppError> {
    crate::api_fn!("/api/imports/preview", |ctx, actor, client| async move {
        let encoding = match encoding.as_deref() {
            None | Some("") => None,
            Some(e) => Some(
                super::model::Encoding::from_db(e)
                    .ok_or_else(|| AppError::validation("encoding", crate::Invalid::Unknown))?,
            ),
        };
        super::server::service::preview(&ctx.app, &actor, id, mapping.as_deref(), encoding).await
    })
}

/// Starts the background apply. Errors: `Conflict` when already started or another import of
/// the company is running.
#[server(endpoint = "imports/start")]
pub async fn import_start(id: ImportJobId, valid_only: bool) -> Result<(), AppError> {
    crate::api_fn!("/api/imports/start", |ctx, actor, client| {
        super::server::service::start_in_background(&ctx.app, &actor, &client, id, valid_only)
    })
}

/// A job's state and counts (polled for the progress bar).
#[server(endpoint = "imports/status")]
pub async fn import_status(id: ImportJobId) -> Result<ImportJob, AppError> {
    crate::api_fn!("/api/imports/status", |ctx, actor, client| {
        super::server::service::status(ctx.db(), &actor, id)
    })
}

/// One page of a job's report, optionally of one outcome.
#[server(endpoint = "imports/report")]
pub async fn import_report(
    id: ImportJobId,
    #[server(default)] outcome: Option<RowOutcome>,
    page: u32,
) -> Result<ReportPage, AppError> {
    crate::api_fn!("/api/imports/report", |ctx, actor, client| {
        super::server::service::report(ctx.db(), &actor, id, outcome, page)
    })
}
