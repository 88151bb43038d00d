//! Server functions of the company registry.

use super::model::{
    Company, CompanyContacts, CompanyId, CompanyType, CompanyTypeUpdate, CompanyUpdate,
};
use crate::AppError;
use leptos::prelude::*;

/// Lists the companies the caller may see (their own, and child companies that granted their
/// holding access; every company for a platform administrator) matching `q` (name, INN or phone; case- and ё-insensitive).
/// Needs `companies.view`. Errors: `Unauthenticated`, `Forbidden`, `Validation` (query too long).
#[server(endpoint = "companies/list")]
pub async fn list_companies(q: String) -> Result<Vec<Company>, AppError> {
    crate::api_fn!("/api/companies/list", |ctx, actor, client| {
        super::server::service::list_matching(ctx.db(), &actor, &q)
    })
}

/// The public contacts of the management companies on this installation (dispatch phone, e-mail,
/// office address): information an УК must publish anyway. Public (so not through `api_fn!`,
/// which needs a signed-in caller); a signed-in staff member gets only their own company's, a
/// resident those of the companies they live with.
#[server(endpoint = "companies/public-contacts")]
pub async fn public_contacts() -> Result<Vec<CompanyContacts>, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/companies/public-contacts";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize().await?;
        super::server::service::public_contacts(ctx.db(), actor.as_ref()).await
    };
    finish(EP, result.await)
}

/// Creates or changes a company; returns its id. Needs `admin.companies`: a company's own
/// administrator edits its own card, the platform operator any company and creates new ones.
/// Errors: `NotFound`, `Forbidden`, `Validation` (names, INN, phone, e-mail, type, holding).
#[server(endpoint = "companies/save")]
pub async fn company_save(update: CompanyUpdate) -> Result<CompanyId, AppError> {
    crate::api_fn!("/api/companies/save", |ctx, actor, client| {
        super::server::service::save(ctx.db(), &actor, &client, &update)
    })
}

/// The company types of the installation. Needs `companies.view`.
#[server(endpoint = "companies/types")]
pub async fn company_types() -> Result<Vec<CompanyType>, AppError> {
    crate::api_fn!("/api/companies/types", |ctx, actor, client| {
        super::server::service::types(ctx.db(), &actor)
    })
}

/// Creates or renames a company type; returns the types. Needs `admin.companies` and is the
/// platform operator's (types are shared by all companies). Errors: `Forbidden`, `Validation`.
#[server(endpoint = "companies/type-save")]
pub async fn company_type_save(update: CompanyTypeUpdate) -> Result<Vec<CompanyType>, AppError> {
    crate::api_fn!("/api/companies/type-save", |ctx, actor, client| {
        super::server::service::save_type(ctx.db(), &actor, &client, &update)
    })
}
