//! Resident sign-in by one-time code: a resident types their phone, gets a 6-digit code by SMS
//! (valid [`CODE_TTL_MINUTES`], single use, at most [`MAX_ATTEMPTS`] guesses) and signs in with it.
//!
//! Neither step reveals whether the phone has an account: asking for a code always answers the
//! same, and a wrong code, an unknown phone and an expired code all answer `Unauthenticated`.
//! Sending is limited per phone and per IP (SMS cost and pumping), guessing by the sign-in
//! throttle, and a new code is sent at most every [`RESEND_AFTER_SECS`] seconds per phone.

use crate::AppError;
use crate::Invalid;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::{self, ClientInfo, SessionKind};
use crate::api::AppContext;
use crate::auth::model::{CodeSent, SignedIn};
use crate::sms::Sms;
use crate::values::Phone;
use crate::{on_db, on_tx};
use chrono::{DateTime, Duration, Utc};
use rand::Rng as _;
use sha2::{Digest, Sha256};

/// How long a code is valid.
pub const CODE_TTL_MINUTES: i64 = 10;
/// Wrong guesses a code survives; then it is dead and a new one must be asked for.
pub const MAX_ATTEMPTS: i64 = 5;
/// The least time between two codes for one phone.
pub const RESEND_AFTER_SECS: u64 = 60;

fn code_hash(phone: &Phone, code: &str) -> String {
    let digest = Sha256::digest(format!("{}:{code}", phone.as_str()).as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A code is exactly six digits (spaces typed between them are dropped).
fn parse_code(raw: &str) -> Result<String, AppError> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(AppError::validation("code", Invalid::Format))
    }
}

/// Sends a code to the phone if it belongs to an active resident; answers the same either way.
pub async fn request_code(
    app: &AppContext,
    client: &ClientInfo,
    phone: &str,
) -> Result<CodeSent, AppError> {
    let phone = Phone::parse(phone)?;
    let answer = CodeSent {
        phone: phone.as_str().to_owned(),
        resend_after_secs: RESEND_AFTER_SECS,
        valid_minutes: CODE_TTL_MINUTES,
    };
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    let user: Option<i64> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT id FROM users WHERE phone = $1 AND kind = 'resident' AND is_active = TRUE")
        .bind(phone.as_str()).fetch_optional(pool).await)?;
    super::service::admit(app, &app.code_sends, client, phone.as_str(), user).await?;
    let now = Utc::now();
    let last: Option<DateTime<Utc>> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT MAX(created_at) FROM sign_in_codes WHERE phone = $1")
        .bind(phone.as_str()).fetch_one(pool).await)?;
    if let Some(last) = last
        && now - last < Duration::seconds(i64::try_from(RESEND_AFTER_SECS).unwrap_or(60))
    {
        // Asked again too soon: the code sent a moment ago is still on its way.
        return Ok(answer);
    }
    app.code_sends.failed(&ip, phone.as_str());
    // A phone staff invited to a unit gets a code too: its first sign-in creates the account.
    if user.is_none()
        && crate::residents::server::service::live_invitation(&app.db, &phone)
            .await?
            .is_none()
    {
        tracing::info!(ip = %ip, "sign-in code asked for a phone without an account");
        return Ok(answer);
    }
    let user_id = user;
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let mut tx = app.db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO sign_in_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(phone.as_str()).bind(code_hash(&phone, &code)).bind(now)
        .bind(now + Duration::minutes(CODE_TTL_MINUTES)).execute(conn).await.map(|_| ()))?;
    audit::record(
        &mut tx,
        Who::Named {
            user_id,
            name: phone.as_str(),
        },
        client,
        Entry {
            // A resident's account belongs to no company.
            company_id: None,
            action: "auth.code_sent",
            entity: "user",
            entity_id: user_id.map(|id| id.to_string()),
            changes: Vec::new(),
        },
    )
    .await?;
    tx.commit().await?;
    app.sms
        .send(&Sms {
            to: phone.as_str().to_owned(),
            text: format!(
                "Код для входа: {code}. Действует {CODE_TTL_MINUTES} минут. Никому его не сообщайте."
            ),
        })
        .await?;
    Ok(answer)
}

/// Signs a resident in with the code sent to their phone; returns where to go and the cookie.
pub async fn sign_in_with_code(
    app: &AppContext,
    client: &ClientInfo,
    phone: &str,
    code: &str,
) -> Result<(SignedIn, Vec<String>), AppError> {
    let phone = Phone::parse(phone)?;
    let code = parse_code(code)?;
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    let user: Option<i64> = on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT id FROM users WHERE phone = $1 AND kind = 'resident' AND is_active = TRUE")
        .bind(phone.as_str()).fetch_optional(pool).await)?;
    super::service::admit(app, &app.throttle, client, phone.as_str(), user).await?;
    let now = Utc::now();
    let row: Option<(i64, String, i64)> = on_db!(&app.db, pool => sqlx::query_as(
        "SELECT id, code_hash, attempts FROM sign_in_codes \
         WHERE phone = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id DESC LIMIT 1")
        .bind(phone.as_str()).bind(now).fetch_optional(pool).await)?;
    // Without an account, an invitation to a unit stands in for one (created below).
    let invited = match user {
        Some(_) => None,
        None => crate::residents::server::service::live_invitation(&app.db, &phone).await?,
    };
    let matched = row
        .as_ref()
        .filter(|(_, _, attempts)| *attempts < MAX_ATTEMPTS)
        .filter(|(_, hash, _)| *hash == code_hash(&phone, &code))
        .map(|(id, _, _)| *id);
    let (Some(code_id), true) = (matched, user.is_some() || invited.is_some()) else {
        app.throttle.failed(&ip, phone.as_str());
        let mut tx = app.db.begin_write().await?;
        if let Some((id, _, _)) = row {
            on_tx!(&mut tx, conn => sqlx::query("UPDATE sign_in_codes SET attempts = attempts + 1 WHERE id = $1")
                .bind(id).execute(conn).await.map(|_| ()))?;
        }
        return super::service::refuse_sign_in(
            tx,
            client,
            phone.as_str(),
            "auth.code_sign_in_failed",
        )
        .await;
    };
    // Single use: the code (and any older one still open) is spent before the session exists, and
    // only one of two racing requests can spend it.
    let mut tx = app.db.begin_write().await?;
    let spent: u64 = on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE sign_in_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now).bind(code_id).execute(conn).await.map(|r| r.rows_affected()))?;
    if spent != 1 {
        return Err(AppError::Unauthenticated);
    }
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE sign_in_codes SET used_at = $1 WHERE phone = $2 AND used_at IS NULL")
        .bind(now).bind(phone.as_str()).execute(conn).await.map(|_| ()))?;
    let user_id = match (user, invited) {
        (Some(id), _) => id,
        (None, Some(name)) => {
            let id =
                crate::residents::server::service::create_invited_account(&mut tx, &phone, &name)
                    .await?;
            audit::record(
                &mut tx,
                Who::Named {
                    user_id: Some(id),
                    name: phone.as_str(),
                },
                client,
                Entry {
                    company_id: None,
                    action: "user.create_invited",
                    entity: "user",
                    entity_id: Some(id.to_string()),
                    changes: vec![("display_name", None, Some(name.clone()))],
                },
            )
            .await?;
            id
        }
        (None, None) => return Err(AppError::Unauthenticated),
    };
    tx.commit().await?;
    app.throttle.succeeded(&ip, phone.as_str());
    open_resident_session(app, client, user_id, "auth.sign_in_code").await
}

/// Opens a resident session after a successful check and records it.
pub async fn open_resident_session(
    app: &AppContext,
    client: &ClientInfo,
    user_id: i64,
    action: &str,
) -> Result<(SignedIn, Vec<String>), AppError> {
    // The sign-in proved the phone: units staff invited it to become the resident's now.
    crate::residents::server::service::accept_invitations(&app.db, client, user_id).await?;
    let token = session::create(
        &app.db,
        &app.sessions,
        user_id,
        SessionKind::Resident,
        client,
    )
    .await?;
    let actor: Actor = crate::access::server::actor::from_token(&app.db, &app.sessions, &token)
        .await?
        .ok_or(AppError::Internal)?;
    let mut tx = app.db.begin_write().await?;
    audit::record(
        &mut tx,
        Who::Actor(&actor),
        client,
        Entry {
            company_id: actor.company_id,
            action,
            entity: "user",
            entity_id: Some(user_id.to_string()),
            changes: Vec::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        SignedIn {
            home: super::service::home_of(&actor).to_owned(),
        },
        super::service::sign_in_cookies(
            app,
            client,
            user_id,
            app.sessions.cookie(&token, SessionKind::Resident),
        )
        .await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(parse_code(" 123 456 "), Ok("123456".into()));
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert!(parse_code(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hashes_bind_the_code_to_the_phone() {
        let a = Phone::parse("+79001234567").expect("valid");
        let b = Phone::parse("+79001234568").expect("valid");
        assert_ne!(code_hash(&a, "123456"), code_hash(&b, "123456"));
        assert_eq!(code_hash(&a, "123456"), code_hash(&a, "123456"));
        assert_eq!(code_hash(&a, "000000").len(), 64);
    }
}
