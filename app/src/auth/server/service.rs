//! Sign-in, sign-out and the current user (plain async functions, testable without Leptos).

use crate::AppError;
use crate::access::Permission;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::{self, ClientInfo, SessionKind};
use crate::access::server::{Actor, actor::UserKind};
use crate::api::AppContext;
use crate::auth::model::{Me, SignInMode, SignedIn};
use crate::on_db;
use std::sync::OnceLock;

/// A hash to verify against when the login does not exist, so a wrong login costs as much time
/// as a wrong password and timing reveals nothing.
async fn dummy_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return h.clone();
    }
    let h = super::password::hash(session::new_token())
        .await
        .unwrap_or_default();
    HASH.get_or_init(|| h).clone()
}

/// Checks the credentials, opens a session and returns where to go and the cookie to set.
pub async fn sign_in(
    app: &AppContext,
    client: &ClientInfo,
    login: &str,
    password: &str,
    mode: SignInMode,
) -> Result<(SignedIn, String), AppError> {
    let login = login.trim().to_lowercase();
    if login.is_empty() {
        return Err(AppError::validation("login", "required"));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", "required"));
    }
    if password.len() > 1024 || login.len() > 200 {
        return Err(AppError::Unauthenticated);
    }
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    app.throttle
        .check(&ip, &login)
        .map_err(AppError::TooManyRequests)?;

    let row: Option<(i64, Option<String>, Option<i64>)> = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT id, password_hash, company_id FROM users WHERE login = $1 AND kind = 'staff' AND is_active = TRUE")
        .bind(&login).fetch_optional(pool).await)?;
    let hash = match &row {
        Some((_, Some(h), _)) => h.clone(),
        _ => dummy_hash().await,
    };
    let ok = super::password::verify(password.to_owned(), hash).await
        && row.as_ref().is_some_and(|r| r.1.is_some());
    let Some((user_id, _, company_id)) = row.filter(|_| ok) else {
        app.throttle.failed(&ip, &login);
        let mut tx = app.db.begin_write().await?;
        audit::record(
            &mut tx,
            Who::Named {
                user_id: None,
                name: &login,
            },
            client,
            Entry {
                company_id: None,
                action: "auth.sign_in_failed",
                entity: "user",
                entity_id: None,
                changes: Vec::new(),
            },
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::Unauthenticated);
    };
    app.throttle.succeeded(&login);

    let kind = match mode {
        SignInMode::Staff => SessionKind::Staff,
        SignInMode::GuardPost => SessionKind::Guard,
    };
    let token = session::create(&app.db, &app.sessions, user_id, kind, client).await?;
    // A guard post needs the person to hold `passes.check`; anything else is refused and the
    // fresh session revoked at once.
    let actor = crate::access::server::actor::from_token(&app.db, &app.sessions, &token)
        .await?
        .ok_or(AppError::Internal)?;
    if kind == SessionKind::Guard && !actor.has(Permission::PassesCheck) {
        session::revoke(&app.db, &actor.session_id).await?;
        return Err(AppError::Forbidden);
    }
    let mut tx = app.db.begin_write().await?;
    audit::record(
        &mut tx,
        Who::Actor(&actor),
        client,
        Entry {
            company_id,
            action: if kind == SessionKind::Guard {
                "auth.sign_in_guard_post"
            } else {
                "auth.sign_in"
            },
            entity: "user",
            entity_id: Some(user_id.to_string()),
            changes: Vec::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        SignedIn {
            home: home_of(&actor).to_owned(),
        },
        app.sessions.cookie(&token, kind),
    ))
}

/// Revokes the actor's session and records it.
pub async fn sign_out(
    app: &AppContext,
    actor: &Actor,
    client: &ClientInfo,
) -> Result<(), AppError> {
    session::revoke(&app.db, &actor.session_id).await?;
    let mut tx = app.db.begin_write().await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: actor.company_id,
            action: "auth.sign_out",
            entity: "user",
            entity_id: Some(actor.user_id.to_string()),
            changes: Vec::new(),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::from)
}

/// The home page of an actor.
pub fn home_of(actor: &Actor) -> &'static str {
    match (actor.session_kind, actor.kind) {
        (SessionKind::Guard, _) => "/guard",
        (_, UserKind::Resident) => "/cabinet",
        _ => "/staff",
    }
}

/// What the interface needs to know about the actor.
pub async fn me(db: &crate::db::Db, actor: &Actor) -> Result<Me, AppError> {
    let company: Option<String> = match actor.company_id {
        Some(id) => {
            on_db!(db, pool => sqlx::query_scalar("SELECT short_name FROM companies WHERE id = $1")
            .bind(id).fetch_optional(pool).await)?
        }
        None => None,
    };
    Ok(Me {
        name: actor.name.clone(),
        company,
        is_resident: actor.kind == UserKind::Resident,
        guard_post: actor.session_kind == SessionKind::Guard,
        is_platform_admin: actor.is_platform_admin,
        roles: actor.roles.clone(),
        permissions: Permission::ALL
            .iter()
            .copied()
            .filter(|p| actor.has(*p))
            .collect(),
        home: home_of(actor).to_owned(),
    })
}
