//! Server functions of accounts: sign in, sign out, who am I.

use super::model::{Me, SignInMode, SignedIn};
use crate::AppError;
use leptos::prelude::*;

/// Signs a staff member in with login and password (or a guard tablet for one shift, which needs
/// `passes.check`). Public. Never reveals whether the login exists: every failure is
/// `Unauthenticated`. Repeated failures from one IP or for one login answer `TooManyRequests`.
#[server(endpoint = "auth/sign-in")]
pub async fn sign_in(
    login: String,
    password: String,
    mode: SignInMode,
) -> Result<SignedIn, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/sign-in";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        ctx.authorize().await?;
        let (signed_in, cookie) =
            super::server::service::sign_in(&ctx.app, &ctx.client(), &login, &password, mode)
                .await?;
        set_cookie(&cookie);
        Ok(signed_in)
    };
    finish(EP, result.await)
}

/// Ends the current session. Needs a signed-in user.
#[server(endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/sign-out";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize_actor().await?;
        super::server::service::sign_out(&ctx.app, &actor, &ctx.client()).await?;
        set_cookie(&ctx.app.sessions.clear_cookie());
        Ok(())
    };
    finish(EP, result.await)
}

/// The signed-in user, their roles and permissions. Needs a signed-in user.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Me, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/me";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize_actor().await?;
        super::server::service::me(ctx.db(), &actor).await
    };
    finish(EP, result.await)
}

#[cfg(feature = "ssr")]
fn set_cookie(value: &str) {
    if let (Some(opts), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        opts.append_header(http::header::SET_COOKIE, v);
    }
}
