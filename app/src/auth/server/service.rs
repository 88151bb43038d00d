//! Sign-in, sign-out and the current user (plain async functions, testable without Leptos).

use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::{self, ClientInfo, SessionKind};
use crate::access::server::{Actor, actor::UserKind};
use crate::api::AppContext;
use crate::auth::model::{Me, SignInMode, SignedIn};
use crate::{on_db, on_tx};
use std::sync::OnceLock;

/// A hash to verify against when the login does not exist, so a wrong login costs as much time
/// as a wrong password and timing reveals nothing.
async fn dummy_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return h.clone();
    }
    let h = crate::access::server::password::hash(session::new_token())
        .await
        .unwrap_or_default();
    HASH.get_or_init(|| h).clone()
}

/// Lets a sign-in attempt for `account` (of `user`, when it exists) past `throttle`, or answers
/// `TooManyRequests`. When only the account-wide limit is reached, a known device of the account
/// goes ahead (see `access::server::throttle`).
pub(super) async fn admit(
    app: &AppContext,
    throttle: &crate::access::server::throttle::Throttle,
    client: &ClientInfo,
    account: &str,
    user: Option<i64>,
) -> Result<(), AppError> {
    let ip = client.ip.as_deref().unwrap_or("unknown");
    match throttle.check(ip, account) {
        Ok(()) => Ok(()),
        Err(r) if r.known_device_passes => {
            let known = match (user, client.device.as_deref()) {
                (Some(u), Some(d)) => {
                    crate::access::server::devices::is_known(&app.db, u, d).await?
                }
                _ => false,
            };
            if known {
                Ok(())
            } else {
                Err(AppError::TooManyRequests(r.wait))
            }
        }
        Err(r) => Err(AppError::TooManyRequests(r.wait)),
    }
}

/// The cookies of a successful sign-in: the session, and the device cookie when the browser had
/// none (the account knows this device from now on).
pub(super) async fn sign_in_cookies(
    app: &AppContext,
    client: &ClientInfo,
    user_id: i64,
    session_cookie: String,
) -> Result<Vec<String>, AppError> {
    let mut cookies = vec![session_cookie];
    cookies.extend(
        crate::access::server::devices::remember(
            &app.db,
            &app.sessions,
            user_id,
            client.device.as_deref(),
        )
        .await?,
    );
    Ok(cookies)
}

/// Checks the credentials, opens a session and returns where to go and the cookies to set.
pub async fn sign_in(
    app: &AppContext,
    client: &ClientInfo,
    login: &str,
    password: &str,
    mode: SignInMode,
) -> Result<(SignedIn, Vec<String>), AppError> {
    let login = if mode == SignInMode::Resident {
        crate::values::Phone::parse(login)?.as_str().to_owned()
    } else {
        login.trim().to_lowercase()
    };
    if login.is_empty() {
        return Err(AppError::validation("login", Invalid::Required));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", Invalid::Required));
    }
    if password.len() > 1024 || login.len() > 200 {
        return Err(AppError::Unauthenticated);
    }
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    let sql = if mode == SignInMode::Resident {
        "SELECT id, password_hash, company_id FROM users WHERE phone = $1 AND kind = 'resident' AND is_active = TRUE"
    } else {
        "SELECT id, password_hash, company_id FROM users WHERE login = $1 AND kind = 'staff' AND is_active = TRUE"
    };
    let row: Option<(i64, Option<String>, Option<i64>)> = on_db!(&app.db, pool => sqlx::query_as(sql)
        .bind(&login).fetch_optional(pool).await)?;
    admit(
        app,
        &app.throttle,
        client,
        &login,
        row.as_ref().map(|r| r.0),
    )
    .await?;
    let hash = match &row {
        Some((_, Some(h), _)) => h.clone(),
        _ => dummy_hash().await,
    };
    let ok = crate::access::server::password::verify(password.to_owned(), hash).await?
        && row.as_ref().is_some_and(|r| r.1.is_some());
    let Some((user_id, _, company_id)) = row.filter(|_| ok) else {
        app.throttle.failed(&ip, &login);
        let tx = app.db.begin_write().await?;
        return refuse_sign_in(tx, client, &login, "auth.sign_in_failed").await;
    };
    app.throttle.succeeded(&ip, &login);

    let kind = match mode {
        SignInMode::Staff => SessionKind::Staff,
        SignInMode::GuardPost => SessionKind::Guard,
        SignInMode::Resident => {
            return super::code::open_resident_session(app, client, user_id, "auth.sign_in").await;
        }
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
        sign_in_cookies(app, client, user_id, app.sessions.cookie(&token, kind)).await?,
    ))
}

/// Records a failed sign-in (inside `tx`, which may hold other writes of the failure) and answers
/// `Unauthenticated`: the one answer for every kind of failure.
pub(super) async fn refuse_sign_in<T>(
    mut tx: crate::db::Tx,
    client: &ClientInfo,
    name: &str,
    action: &str,
) -> Result<T, AppError> {
    audit::record(
        &mut tx,
        Who::Named {
            user_id: None,
            name,
        },
        client,
        Entry {
            company_id: None,
            action,
            entity: "user",
            entity_id: None,
            changes: Vec::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Err(AppError::Unauthenticated)
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

/// Changes the actor's own password. The current password is required when the account has one
/// (a resident who signed in by code may set a first password without it). Other sessions of the
/// user end; this one stays. Errors: `Validation` on `current` (wrong) or `password` (too short or
/// long), `TooManyRequests` after repeated wrong current passwords.
pub async fn change_password(
    app: &AppContext,
    actor: &Actor,
    client: &ClientInfo,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let key = format!("user:{}", actor.user_id);
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    app.throttle
        .check(&ip, &key)
        .map_err(|r| AppError::TooManyRequests(r.wait))?;
    let new = crate::auth::model::NewPassword::parse(new)?;
    let stored: Option<String> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT password_hash FROM users WHERE id = $1")
        .bind(actor.user_id).fetch_one(pool).await)?;
    if let Some(hash) = stored {
        if current.is_empty() {
            return Err(AppError::validation("current", Invalid::Required));
        }
        if current.len() > 1024
            || !crate::access::server::password::verify(current.to_owned(), hash).await?
        {
            app.throttle.failed(&ip, &key);
            return Err(AppError::validation("current", Invalid::Wrong));
        }
    }
    let hash = crate::access::server::password::hash(new.expose().to_owned()).await?;
    let now = chrono::Utc::now();
    let mut tx = app.db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash).bind(now).bind(actor.user_id).execute(conn).await.map(|_| ()))?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL")
        .bind(now).bind(actor.user_id).bind(&actor.session_id).execute(conn).await.map(|_| ()))?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: actor.company_id,
            action: "auth.password_changed",
            entity: "user",
            entity_id: Some(actor.user_id.to_string()),
            changes: vec![("password", Some("***".into()), Some("***".into()))],
        },
    )
    .await?;
    tx.commit().await?;
    app.throttle.succeeded(&ip, &key);
    Ok(())
}

/// Ends every session of the actor, this one included ("sign out everywhere").
pub async fn sign_out_everywhere(
    app: &AppContext,
    actor: &Actor,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let now = chrono::Utc::now();
    let mut tx = app.db.begin_write().await?;
    session::revoke_all(&mut tx, actor.user_id, now).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: actor.company_id,
            action: "auth.sign_out_everywhere",
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
    let (has_password, company, time_zone): (bool, Option<String>, Option<String>) =
        on_db!(db, pool => sqlx::query_as(
        "SELECT u.password_hash IS NOT NULL, c.short_name, c.time_zone FROM users u \
         LEFT JOIN companies c ON c.id = u.company_id WHERE u.id = $1")
        .bind(actor.user_id).fetch_optional(pool).await)?
        .unwrap_or((false, None, None));
    Ok(Me {
        name: actor.name.clone(),
        company,
        is_resident: actor.kind == UserKind::Resident,
        guard_post: actor.session_kind == SessionKind::Guard,
        is_platform_admin: actor.is_platform_admin,
        has_password,
        roles: actor.roles.clone(),
        permissions: Permission::ALL
            .iter()
            .copied()
            .filter(|p| actor.has(*p))
            .collect(),
        home: home_of(actor).to_owned(),
        time_zone: time_zone.unwrap_or_else(|| crate::i18n::DEFAULT_ZONE.to_owned()),
    })
}
