//! Server functions of accounts: sign in (staff password, guard post, resident code or password),
//! sign out (here or everywhere), who am I, my sessions, password change.

use super::model::{CodeSent, Me, SessionInfo, SignInMode, SignedIn};
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
        let (signed_in, cookies) =
            super::server::service::sign_in(&ctx.app, &ctx.client(), &login, &password, mode)
                .await?;
        for c in &cookies {
            set_cookie(c);
        }
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
        clear_site_data();
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

/// Sends a resident a one-time sign-in code by SMS. Public. Answers the same whether or not the
/// phone has an account. Errors: `Validation` on `phone`, `TooManyRequests`.
#[server(endpoint = "auth/code-request")]
pub async fn request_code(phone: String) -> Result<CodeSent, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/code-request";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        ctx.authorize().await?;
        super::server::code::request_code(&ctx.app, &ctx.client(), &phone).await
    };
    finish(EP, result.await)
}

/// Signs a resident in with phone and one-time code. Public. Every failure (unknown phone, wrong,
/// used or expired code) is `Unauthenticated`; `Validation` on `phone` or `code` for malformed input.
#[server(endpoint = "auth/code-sign-in")]
pub async fn code_sign_in(phone: String, code: String) -> Result<SignedIn, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/code-sign-in";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        ctx.authorize().await?;
        let (signed_in, cookies) =
            super::server::code::sign_in_with_code(&ctx.app, &ctx.client(), &phone, &code).await?;
        for c in &cookies {
            set_cookie(c);
        }
        Ok(signed_in)
    };
    finish(EP, result.await)
}

/// Ends every session of the signed-in user, this one included. Needs a signed-in person (not a
/// guard tablet, which can only sign itself out).
#[server(endpoint = "auth/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/sign-out-everywhere";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize_actor().await?;
        actor.require_person()?;
        super::server::service::sign_out_everywhere(&ctx.app, &actor, &ctx.client()).await?;
        set_cookie(&ctx.app.sessions.clear_cookie());
        clear_site_data();
        Ok(())
    };
    finish(EP, result.await)
}

/// Changes the signed-in user's password (`current` may be empty only when the account has no
/// password yet); other sessions end. Needs a signed-in person (not a guard tablet).
/// Errors: `Validation` on `current` or `password`, `TooManyRequests`.
#[server(endpoint = "auth/password-change")]
pub async fn change_password(current: String, password: String) -> Result<(), AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/password-change";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize_actor().await?;
        actor.require_person()?;
        super::server::service::change_password(
            &ctx.app,
            &actor,
            &ctx.client(),
            &current,
            &password,
        )
        .await
    };
    finish(EP, result.await)
}

/// The signed-in user's open sessions (devices). Needs a signed-in person.
#[server(endpoint = "auth/my-sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/auth/my-sessions";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize_actor().await?;
        actor.require_person()?;
        crate::access::server::session::open_sessions(ctx.db(), actor.user_id, &actor.session_id)
            .await
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

/// Tells the browser to drop what it kept for this site (HTTP cache, Cache Storage, local
/// storage, the service worker): after signing out, a shared concierge PC or guard tablet holds
/// nothing of the person. Cookies are left to `Set-Cookie` (the device cookie stays). Browsers
/// honour it on https and on localhost; the page also empties Cache Storage itself
/// (`auth::pages::forget_site_data`).
#[cfg(feature = "ssr")]
fn clear_site_data() {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.insert_header(
            http::HeaderName::from_static("clear-site-data"),
            http::HeaderValue::from_static("\"cache\", \"storage\""),
        );
    }
}
