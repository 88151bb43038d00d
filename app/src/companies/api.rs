//! Server functions of the company registry.

use super::model::{Company, CompanyContacts};
use crate::AppError;
use leptos::prelude::*;

/// Lists companies matching `q` (name, INN or phone; case- and ё-insensitive).
/// Public for now (legal-entity data; see `access::POLICY`). Errors: `Validation` (query too long).
#[server(endpoint = "companies/list")]
pub async fn list_companies(q: String) -> Result<Vec<Company>, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/companies/list";
    finish(
        EP,
        async {
            let ctx = Ctx::from_request(EP)?;
            ctx.authorize()?;
            let q = super::model::CompanyQuery::parse(&q)?;
            super::server::repo::list(ctx.db(), &q).await
        }
        .await,
    )
}

/// The public contacts of every management company on this installation (dispatch phone, e-mail,
/// office address), for residents who need to reach their УК. Public.
#[server(endpoint = "companies/public-contacts")]
pub async fn public_contacts() -> Result<Vec<CompanyContacts>, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/companies/public-contacts";
    finish(
        EP,
        async {
            let ctx = Ctx::from_request(EP)?;
            ctx.authorize()?;
            super::server::repo::public_contacts(ctx.db()).await
        }
        .await,
    )
}
