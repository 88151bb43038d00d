//! Server-side sessions: a random token in an `HttpOnly` cookie, its SHA-256 in the database,
//! idle and absolute timeouts per kind of session.

use crate::AppError;
use crate::db::Db;
use crate::{on_db, on_tx};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The session cookie.
pub const COOKIE: &str = "platforma_session";

/// What kind of sign-in made the session; each has its own timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SessionKind {
    Staff,
    Resident,
    /// A guard tablet signed in by staff for one shift: guard permissions only.
    Guard,
}

impl SessionKind {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Resident => "resident",
            Self::Guard => "guard",
        }
    }

    pub fn from_db(s: &str) -> Option<Self> {
        [Self::Staff, Self::Resident, Self::Guard]
            .into_iter()
            .find(|k| k.as_db() == s)
    }
}

/// Idle and absolute lifetimes of one kind of session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub idle: Duration,
    pub absolute: Duration,
}

/// Session settings (from `[sessions]` in Leptos.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    pub staff: Timeouts,
    pub resident: Timeouts,
    pub guard: Timeouts,
    /// Mark the cookie `Secure` (the app is served over https).
    pub secure_cookie: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            staff: Timeouts {
                idle: Duration::hours(8),
                absolute: Duration::days(7),
            },
            resident: Timeouts {
                idle: Duration::days(30),
                absolute: Duration::days(90),
            },
            guard: Timeouts {
                idle: Duration::hours(4),
                absolute: Duration::hours(13),
            },
            secure_cookie: false,
        }
    }
}

impl SessionConfig {
    pub fn timeouts(&self, kind: SessionKind) -> Timeouts {
        match kind {
            SessionKind::Staff => self.staff,
            SessionKind::Resident => self.resident,
            SessionKind::Guard => self.guard,
        }
    }

    /// The `Set-Cookie` value that stores `token`.
    pub fn cookie(&self, token: &str, kind: SessionKind) -> String {
        let max_age = self.timeouts(kind).absolute.num_seconds();
        let secure = if self.secure_cookie { "; Secure" } else { "" };
        format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
    }

    /// The `Set-Cookie` value that removes the cookie.
    pub fn clear_cookie(&self) -> String {
        let secure = if self.secure_cookie { "; Secure" } else { "" };
        format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
    }
}

/// A new random token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The database id of a token: its SHA-256, so a leaked table does not leak sessions.
pub fn token_id(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Finds the session token in a `Cookie:` header.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, v)| v)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Where a request came from, for sessions and the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The browser's device token (`platforma_device` cookie), if it has one.
    pub device: Option<String>,
}

/// Creates a session and returns its token (to put in the cookie).
pub async fn create(
    db: &Db,
    cfg: &SessionConfig,
    user_id: i64,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<String, AppError> {
    let token = new_token();
    let now = Utc::now();
    let expires = now + cfg.timeouts(kind).absolute;
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO sessions (id, user_id, kind, created_at, last_seen_at, expires_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)")
        .bind(token_id(&token)).bind(user_id).bind(kind.as_db()).bind(now).bind(expires)
        .bind(&client.ip).bind(client.user_agent.as_deref().map(|ua| ua.chars().take(300).collect::<String>()))
        .execute(conn).await.map(|_| ()))?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now).bind(user_id).execute(conn).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(token)
}

/// id, user, kind, last seen, expires.
type SessionTuple = (String, i64, String, DateTime<Utc>, DateTime<Utc>);

/// A live session row.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub user_id: i64,
    pub kind: SessionKind,
    pub last_seen_at: DateTime<Utc>,
}

/// Looks a token up; `None` when unknown, revoked, expired (absolute) or idle too long.
/// Touches `last_seen_at` at most once a minute, so reads stay reads.
pub async fn lookup(
    db: &Db,
    cfg: &SessionConfig,
    token: &str,
) -> Result<Option<SessionRow>, AppError> {
    let id = token_id(token);
    let row: Option<SessionTuple> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, user_id, kind, last_seen_at, expires_at FROM sessions WHERE id = $1 AND revoked_at IS NULL")
        .bind(&id).fetch_optional(pool).await)?;
    let Some((id, user_id, kind, last_seen_at, expires_at)) = row else {
        return Ok(None);
    };
    let Some(kind) = SessionKind::from_db(&kind) else {
        return Ok(None);
    };
    let now = Utc::now();
    if now >= expires_at || now - last_seen_at > cfg.timeouts(kind).idle {
        return Ok(None);
    }
    if now - last_seen_at > Duration::seconds(60) {
        let mut tx = db.begin_write().await?;
        on_tx!(&mut tx, conn => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now).bind(&id).execute(conn).await.map(|_| ()))?;
        tx.commit().await?;
    }
    Ok(Some(SessionRow {
        id,
        user_id,
        kind,
        last_seen_at,
    }))
}

/// Revokes one session (sign-out).
pub async fn revoke(db: &Db, session_id: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(Utc::now()).bind(session_id).execute(conn).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// Revokes every open session of a user inside the caller's transaction (deactivation,
/// password reset).
pub async fn revoke_all(
    tx: &mut crate::db::Tx,
    user_id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(at).bind(user_id).execute(conn).await.map(|_| ()))?;
    Ok(())
}

/// Open sessions of a user, newest activity first; `current` marks `current_session_id`.
pub async fn open_sessions(
    db: &Db,
    user_id: i64,
    current_session_id: &str,
) -> Result<Vec<crate::access::SessionInfo>, AppError> {
    type Row = (
        String,
        String,
        DateTime<Utc>,
        DateTime<Utc>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, kind, created_at, last_seen_at, ip, user_agent FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY last_seen_at DESC")
        .bind(user_id).bind(Utc::now()).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, created_at, last_seen_at, ip, user_agent)| crate::access::SessionInfo {
                current: id == current_session_id,
                id: id.chars().take(16).collect(),
                kind,
                created_at,
                last_seen_at,
                ip,
                user_agent,
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_id(&a), a);
        assert_eq!(token_id(&a), token_id(&a));
    }

    #[test]
    fn cookie_parsing_accepts_only_well_formed_tokens() {
        let t = new_token();
        assert_eq!(
            token_from_cookie_header(&format!("lang=ru; {COOKIE}={t}")),
            Some(t.as_str())
        );
        assert_eq!(token_from_cookie_header(&format!("{COOKIE}=short")), None);
        assert_eq!(token_from_cookie_header("lang=ru"), None);
    }

    #[test]
    fn cookies_are_httponly_strict_and_secure_over_https() {
        let mut cfg = SessionConfig::default();
        let c = cfg.cookie("abc", SessionKind::Staff);
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"),
            "{c}"
        );
        cfg.secure_cookie = true;
        assert!(cfg.cookie("abc", SessionKind::Guard).ends_with("; Secure"));
    }
}
