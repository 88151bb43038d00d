//! Server functions of the home.

use super::model::Today;
use crate::AppError;
use leptos::prelude::*;

/// Today's home for the signed-in staff member: each part needs its own permission (see
/// `model::Today`); a guard post is refused, a resident gets no parts.
#[server(endpoint = "home/today")]
pub async fn home_today() -> Result<Today, AppError> {
    crate::api_fn!("/api/home/today", |ctx, actor, client| {
        super::server::service::today(ctx.db(), &actor)
    })
}
