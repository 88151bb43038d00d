//! Known devices: browsers an account has signed in from before. A random token in a long-lived
//! `HttpOnly` cookie (`platforma_device`) marks the browser; the database keeps its SHA-256 per
//! account. When someone guesses an account's password from many addresses, the sign-in throttle
//! lets only the account's known devices keep trying (see `throttle`), so the real user at their
//! usual desk is not locked out. The cookie says nothing about who signed in; signing out leaves
//! it (it is not personal data: `Clear-Site-Data` clears caches and storage, not cookies).

use super::session::{SessionConfig, new_token, token_id};
use crate::AppError;
use crate::db::Db;
use crate::on_db;
use chrono::{Duration, Utc};

/// The device cookie.
pub const COOKIE: &str = "platforma_device";

/// How long a device stays known without a sign-in from it.
pub const KEEP_DAYS: i64 = 365;

/// The device token in a `Cookie` header, if well-formed.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, v)| v)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `device` is a known device of the account.
pub async fn is_known(db: &Db, user_id: i64, device: &str) -> Result<bool, AppError> {
    let since = Utc::now() - Duration::days(KEEP_DAYS);
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM known_devices WHERE user_id = $1 AND token_hash = $2 AND last_used_at > $3")
        .bind(user_id).bind(token_id(device)).bind(since).fetch_one(pool).await)?;
    Ok(n > 0)
}

/// Records a successful sign-in from this browser: the account knows the device from now on.
/// Returns the `Set-Cookie` value when the browser had no device cookie yet.
pub async fn remember(
    db: &Db,
    cfg: &SessionConfig,
    user_id: i64,
    device: Option<&str>,
) -> Result<Option<String>, AppError> {
    let (token, fresh) = match device {
        Some(t) => (t.to_owned(), false),
        None => (new_token(), true),
    };
    let now = Utc::now();
    on_db!(db, pool => sqlx::query(
        "INSERT INTO known_devices (user_id, token_hash, created_at, last_used_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (user_id, token_hash) DO UPDATE SET last_used_at = excluded.last_used_at")
        .bind(user_id).bind(token_id(&token)).bind(now).execute(pool).await.map(|_| ()))?;
    // Devices unused for a year are forgotten.
    on_db!(db, pool => sqlx::query("DELETE FROM known_devices WHERE user_id = $1 AND last_used_at < $2")
        .bind(user_id).bind(now - Duration::days(KEEP_DAYS)).execute(pool).await.map(|_| ()))?;
    Ok(fresh.then(|| cookie(cfg, &token)))
}

fn cookie(cfg: &SessionConfig, token: &str) -> String {
    let secure = if cfg.secure_cookie { "; Secure" } else { "" };
    let max_age = KEEP_DAYS * 24 * 3600;
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_cookie_is_read_only_when_well_formed() {
        let t = "ab".repeat(32);
        let header = format!("platforma_session=x; {COOKIE}={t}; lang=ru");
        assert_eq!(token_from_cookie_header(&header), Some(t.as_str()));
        assert_eq!(token_from_cookie_header("platforma_device=short"), None);
        assert_eq!(token_from_cookie_header("other=1"), None);
    }
}
