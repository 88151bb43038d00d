//! Administration types shared by the browser and the server.

use crate::access::{Permission, Scope};
use serde::{Deserialize, Serialize};

/// A role in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSummary {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub parent: Option<String>,
    pub own_permissions: usize,
    pub holders: i64,
}

/// Where an effective permission of a role comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSource {
    pub permission: Permission,
    /// The role that grants it: the role itself or an ancestor.
    pub from_role: String,
    /// True when granted by the role itself, false when inherited.
    pub own: bool,
}

/// A role with its permissions, for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDetail {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub parent_id: Option<i64>,
    pub own: Vec<Permission>,
    /// Every effective permission with its source (own first, then inherited).
    pub effective: Vec<PermissionSource>,
    /// Other roles of the company that may be chosen as parent (no cycles).
    pub parent_choices: Vec<(i64, String)>,
}

/// Changes to a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleUpdate {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// Empty when absent: a form with no permission boxes ticked sends no field at all.
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

impl RoleUpdate {
    /// Trims the name (1–100 characters) and the description (at most 500), and removes
    /// duplicate permissions.
    pub fn parse(mut self) -> Result<Self, crate::AppError> {
        self.name = self.name.trim().to_owned();
        self.description = self.description.trim().to_owned();
        if self.name.is_empty() || self.name.chars().count() > 100 {
            return Err(crate::AppError::validation("name", "required"));
        }
        if self.description.chars().count() > 500 {
            return Err(crate::AppError::validation("description", "too_long"));
        }
        if self.parent_id == Some(self.id) {
            return Err(crate::AppError::validation("parent_id", "cycle"));
        }
        self.permissions.sort();
        self.permissions.dedup();
        Ok(self)
    }
}

/// A user in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub login: Option<String>,
    pub name: String,
    pub active: bool,
    pub roles: Vec<String>,
    pub groups: Vec<String>,
    pub last_sign_in_at: Option<chrono::DateTime<chrono::Utc>>,
    pub active_sessions: i64,
}

/// A staff account to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub login: String,
    pub name: String,
    pub role_id: i64,
    pub scope: Scope,
}

/// A created account and its one-time password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub id: i64,
    pub login: String,
    pub password: String,
}

pub use crate::auth::model::SessionInfo;

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub changes: String,
    pub ip: Option<String>,
}

/// Audit filters (all optional); at most 200 entries are returned, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Matches the actor's name (substring, case-insensitive).
    pub actor: String,
    /// Exact action, e.g. `auth.sign_in`.
    pub action: String,
    /// Exact entity, e.g. `role`.
    pub entity: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_updates_are_trimmed_and_checked() {
        let u = RoleUpdate {
            id: 1,
            name: "  Диспетчер  ".into(),
            description: String::new(),
            parent_id: None,
            permissions: vec![Permission::CallsTake, Permission::CallsTake],
        }
        .parse()
        .expect("valid");
        assert_eq!(u.name, "Диспетчер");
        assert_eq!(u.permissions, vec![Permission::CallsTake]);
        let self_parent = RoleUpdate {
            id: 1,
            name: "x".into(),
            description: String::new(),
            parent_id: Some(1),
            permissions: vec![],
        };
        assert_eq!(
            self_parent.parse(),
            Err(crate::AppError::validation("parent_id", "cycle"))
        );
        let empty = RoleUpdate {
            id: 1,
            name: " ".into(),
            description: String::new(),
            parent_id: None,
            permissions: vec![],
        };
        assert!(empty.parse().is_err());
    }
}
