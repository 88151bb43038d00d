//! Server functions of the company registry.

use super::model::{Company, CompanyContacts};
use crate::AppError;
use leptos::prelude::*;

/// Lists the companies the caller may see (their own and its child companies; every company for
/// a platform administrator) matching `q` (name, INN or phone; case- and ё-insensitive).
/// Needs `companies.view`. Errors: `Unauthenticated`, `Forbidden`, `Validation` (query too long).
#[server(endpoint = "companies/list")]
pub async fn list_companies(q: String) -> Result<Vec<Company>, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/companies/list";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize_actor().await?;
        let q = super::model::CompanyQuery::parse(&q)?;
        super::server::repo::list(ctx.db(), &actor, &q).await
    };
    finish(EP, result.await)
}

/// The public contacts of the management companies on this installation (dispatch phone, e-mail,
/// office address): information an УК must publish anyway. Public; a signed-in user gets only
/// their own company's.
#[server(endpoint = "companies/public-contacts")]
pub async fn public_contacts() -> Result<Vec<CompanyContacts>, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/companies/public-contacts";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize().await?;
        super::server::repo::public_contacts(ctx.db(), actor.and_then(|a| a.company_id)).await
    };
    finish(EP, result.await)
}
