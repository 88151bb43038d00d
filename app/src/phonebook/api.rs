//! Server functions of the phonebook. Each checks its permission first (see `access::POLICY`).

use super::model::{Entry, EntryForm, PhonebookFilter};
use crate::AppError;
use leptos::prelude::*;

/// The phonebook, filtered. Needs `phonebook.view`.
#[server(endpoint = "phonebook/list")]
pub async fn phonebook_list(filter: PhonebookFilter) -> Result<Vec<Entry>, AppError> {
    crate::api_fn!("/api/phonebook/list", |ctx, actor, client| {
        super::server::service::list(ctx.db(), &actor, &filter)
    })
}

/// Creates or updates an entry; returns its id. Needs `phonebook.manage` covering the entry.
/// Errors: `Validation` (`name`, `phones.N`, `email`, `buildings`), `NotFound`.
#[server(endpoint = "phonebook/save")]
pub async fn phonebook_save(entry: EntryForm) -> Result<i64, AppError> {
    crate::api_fn!("/api/phonebook/save", |ctx, actor, client| {
        super::server::service::save(ctx.db(), &actor, &client, &entry)
    })
}

/// Deletes an entry. Needs `phonebook.manage` covering it. Errors: `NotFound`.
#[server(endpoint = "phonebook/delete")]
pub async fn phonebook_delete(id: i64) -> Result<(), AppError> {
    crate::api_fn!("/api/phonebook/delete", |ctx, actor, client| {
        super::server::service::delete(ctx.db(), &actor, &client, id)
    })
}
