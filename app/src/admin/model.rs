//! Administration types shared by the browser and the server.

use crate::Invalid;
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

impl RoleSummary {
    /// Whether staff may be given this role (not the residents' role).
    pub fn for_staff(&self) -> bool {
        self.code.as_deref() != Some("resident")
    }
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
            return Err(crate::AppError::validation("name", Invalid::Required));
        }
        if self.description.chars().count() > 500 {
            return Err(crate::AppError::validation("description", Invalid::TooLong));
        }
        if self.parent_id == Some(self.id) {
            return Err(crate::AppError::validation("parent_id", Invalid::Cycle));
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
    /// The object's current name (a person as the reader may see them), when it still exists.
    #[serde(default)]
    pub object: Option<String>,
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
            Err(crate::AppError::validation("parent_id", Invalid::Cycle))
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

/// A role held in a scope (by a user directly or by a group). `targets` are the building ids
/// of a `Buildings` scope or the work-area ids of a `WorkAreas` scope (empty for other scopes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantSpec {
    pub role_id: i64,
    pub scope: Scope,
    #[serde(default)]
    pub targets: Vec<i64>,
}

impl GrantSpec {
    /// A grant in a scope without targets.
    pub fn new(role_id: i64, scope: Scope) -> Self {
        Self {
            role_id,
            scope,
            targets: Vec::new(),
        }
    }

    /// Whether the scope names buildings or work areas.
    pub fn has_targets(&self) -> bool {
        matches!(self.scope, Scope::Buildings | Scope::WorkAreas)
    }

    /// Sorts and deduplicates grants and their targets; drops targets a scope does not use.
    /// A building or work-area scope without a target would reach nothing: a field error.
    pub fn normalize(grants: &mut Vec<GrantSpec>) -> Result<(), crate::AppError> {
        for g in grants.iter_mut() {
            if g.has_targets() {
                g.targets.sort_unstable();
                g.targets.dedup();
                if g.targets.is_empty() {
                    return Err(crate::AppError::validation("targets", Invalid::Required));
                }
            } else {
                g.targets.clear();
            }
        }
        grants.sort_by_key(|g| (g.role_id, g.scope));
        grants.dedup_by(|a, b| a.role_id == b.role_id && a.scope == b.scope);
        Ok(())
    }
}

/// A group (department) with its roles and members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: i64,
    pub name: String,
    /// Each grant with its role's name.
    pub grants: Vec<(String, GrantSpec)>,
    /// `(user id, name)`.
    pub members: Vec<(i64, String)>,
}

/// A group to create (`id` empty) or change: its name and the roles it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupUpdate {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub grants: Vec<GrantSpec>,
}

/// A position in the company's hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionInfo {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    /// How many accounts hold it.
    pub holders: i64,
}

/// A position to create (`id` empty) or change (rename, move under another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionUpdate {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// Positions ordered as a tree (parents before children) with their depth, for display.
pub fn position_tree(list: &[PositionInfo]) -> Vec<(usize, PositionInfo)> {
    fn walk(
        list: &[PositionInfo],
        parent: Option<i64>,
        depth: usize,
        out: &mut Vec<(usize, PositionInfo)>,
    ) {
        let mut level: Vec<&PositionInfo> = list.iter().filter(|p| p.parent_id == parent).collect();
        level.sort_by(|a, b| a.name.cmp(&b.name));
        for p in level {
            out.push((depth, p.clone()));
            // A corrupt cycle cannot recurse forever: depth is bounded by the list.
            if depth < list.len() {
                walk(list, Some(p.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(list.len());
    walk(list, None, 0, &mut out);
    // Positions whose parent is not in the list (should not happen) still show, at the top.
    for p in list {
        if !out.iter().any(|(_, q)| q.id == p.id) {
            out.push((0, p.clone()));
        }
    }
    out
}

/// What an account may do: its direct roles (with scopes), groups and position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAccess {
    pub user_id: i64,
    #[serde(default)]
    pub grants: Vec<GrantSpec>,
    #[serde(default)]
    pub groups: Vec<i64>,
    #[serde(default)]
    pub position_id: Option<i64>,
}

/// The choices the access editor offers: the company's roles, groups and positions, and the
/// buildings and work areas a scope may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessChoices {
    pub roles: Vec<(i64, String)>,
    pub groups: Vec<(i64, String)>,
    pub positions: Vec<(usize, PositionInfo)>,
    pub targets: crate::buildings::model::ScopeTargets,
}

#[cfg(test)]
mod org_tests {
    use super::*;

    fn p(id: i64, name: &str, parent: Option<i64>) -> PositionInfo {
        PositionInfo {
            id,
            name: name.into(),
            parent_id: parent,
            holders: 0,
        }
    }

    #[test]
    fn positions_print_as_a_tree() {
        let list = vec![
            p(3, "Диспетчер", Some(1)),
            p(1, "Директор", None),
            p(2, "Главный инженер", Some(1)),
            p(4, "Техник", Some(2)),
        ];
        let tree = position_tree(&list);
        let tree: Vec<(usize, &str)> = tree.iter().map(|(d, p)| (*d, p.name.as_str())).collect();
        assert_eq!(
            tree,
            vec![
                (0, "Директор"),
                (1, "Главный инженер"),
                (2, "Техник"),
                (1, "Диспетчер"),
            ]
        );
    }

    #[test]
    fn a_cycle_in_stored_data_still_terminates() {
        let list = vec![p(1, "А", Some(2)), p(2, "Б", Some(1))];
        assert_eq!(position_tree(&list).len(), 2);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        use crate::values::parse_name;
        assert_eq!(parse_name("  Диспетчерская "), Ok("Диспетчерская".into()));
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"я".repeat(101)).is_err());
    }
}
