//! The signed-in user as the interface sees them, and the helpers pages use to show only the
//! actions the user may perform (the server checks every call itself).

use super::Permission;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user as the interface needs them.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts the interface reads, not a state machine"
)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub company: Option<String>,
    pub is_resident: bool,
    pub guard_post: bool,
    pub is_platform_admin: bool,
    /// Whether the account has a password (a resident signing in by code may have none yet).
    pub has_password: bool,
    pub roles: Vec<String>,
    pub permissions: Vec<Permission>,
    /// The user's home page: `/staff`, `/guard` or `/cabinet`.
    pub home: String,
    /// The IANA zone times are shown in: the company's (see `i18n::Zone`).
    pub time_zone: String,
}

impl Me {
    pub fn can(&self, p: Permission) -> bool {
        self.is_platform_admin && !self.guard_post || self.permissions.contains(&p)
    }
}

/// The signed-in user, loaded once by the staff layout.
pub type MeResource = Resource<Result<Me, crate::AppError>>;

/// Whether the signed-in staff member holds a permission (false until the user has loaded, and
/// outside the staff layout). For showing actions only: the server checks every call itself.
/// Read it inside a `Transition`, so the server renders with the user loaded and the hydrated
/// page matches (a bare read renders differently on the server and in the browser).
pub fn can(p: Permission) -> Signal<bool> {
    let me = use_context::<MeResource>();
    Signal::derive(move || {
        me.and_then(|m| m.get())
            .and_then(Result::ok)
            .is_some_and(|m| m.can(p))
    })
}

/// Whether the signed-in staff member is the platform operator.
pub fn is_operator() -> Signal<bool> {
    let me = use_context::<MeResource>();
    Signal::derive(move || {
        me.and_then(|m| m.get())
            .and_then(Result::ok)
            .is_some_and(|m| m.is_platform_admin && !m.guard_post)
    })
}

/// An open session of a user (the user's own list, or an administrator's view of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The first 16 characters of the stored (hashed) id: enough to name it, useless to steal.
    pub id: String,
    pub kind: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session this request came with.
    pub current: bool,
}
