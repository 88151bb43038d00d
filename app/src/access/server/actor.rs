//! The actor of a request: who is signed in and what they may do, resolved fresh on every
//! request (a role change takes effect on the next request).
//!
//! Effective permissions are the union over the user's grants (direct and through groups); each
//! grant gives its role's permissions and those of the role's ancestors, in the grant's scope.
//! A guard-tablet session keeps only the permissions a guard post needs.

use super::session::{SessionConfig, SessionKind, lookup};
use crate::AppError;
use crate::access::{Permission, Scope};
use crate::db::Db;
use crate::on_db;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a guard tablet may do, whatever roles the person who signed it in holds.
pub const GUARD_ALLOWLIST: &[Permission] = &[Permission::PassesCheck];

/// Whether the person is staff or a resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UserKind {
    Staff,
    Resident,
}

/// A signed-in user and their effective permissions.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub company_id: Option<i64>,
    pub name: String,
    pub kind: UserKind,
    pub session_id: String,
    pub session_kind: SessionKind,
    pub is_platform_admin: bool,
    /// Each permission with the scopes it holds in.
    pub permissions: BTreeMap<Permission, BTreeSet<Scope>>,
    /// Codes or names of the roles granted (for display).
    pub roles: Vec<String>,
}

impl Actor {
    /// The installation itself acting (command-line tools, demo data, background jobs): a
    /// platform administrator without a session.
    pub fn system() -> Self {
        Self {
            user_id: 0,
            company_id: None,
            name: "system".into(),
            kind: UserKind::Staff,
            session_id: String::new(),
            session_kind: SessionKind::Staff,
            is_platform_admin: true,
            permissions: BTreeMap::new(),
            roles: Vec::new(),
        }
    }

    /// True when the actor holds the permission in any scope.
    pub fn has(&self, p: Permission) -> bool {
        self.is_platform_admin && self.session_kind != SessionKind::Guard
            || self.permissions.contains_key(&p)
    }

    /// The scopes a permission holds in (empty when not held).
    pub fn scopes(&self, p: Permission) -> BTreeSet<Scope> {
        if self.is_platform_admin && self.session_kind != SessionKind::Guard {
            return BTreeSet::from([Scope::Company]);
        }
        self.permissions.get(&p).cloned().unwrap_or_default()
    }

    /// `Forbidden` unless the actor holds the permission.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.has(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// `Forbidden` for a guard-tablet session: account settings belong to the person, not to the
    /// tablet they signed in.
    pub fn require_person(&self) -> Result<(), AppError> {
        if self.session_kind == SessionKind::Guard {
            Err(AppError::Forbidden)
        } else {
            Ok(())
        }
    }

    /// True when a company-owned row of `company_id` is visible to this actor at all.
    pub fn sees_company(&self, company_id: i64) -> bool {
        self.is_platform_admin || self.company_id == Some(company_id)
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    company_id: Option<i64>,
    kind: String,
    display_name: String,
    is_platform_admin: bool,
    is_active: bool,
}

/// Resolves a session token to an actor; `None` when the session or the user is not valid.
pub async fn from_token(
    db: &Db,
    cfg: &SessionConfig,
    token: &str,
) -> Result<Option<Actor>, AppError> {
    let Some(session) = lookup(db, cfg, token).await? else {
        return Ok(None);
    };
    let user: Option<UserRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, company_id, kind, display_name, is_platform_admin, is_active FROM users WHERE id = $1")
        .bind(session.user_id).fetch_optional(pool).await)?;
    let Some(user) = user.filter(|u| u.is_active) else {
        return Ok(None);
    };
    let kind = if user.kind == "resident" {
        UserKind::Resident
    } else {
        UserKind::Staff
    };
    let (mut permissions, roles) = match user.company_id {
        Some(company_id) => effective_permissions(db, company_id, user.id).await?,
        None => (BTreeMap::new(), Vec::new()),
    };
    if session.kind == SessionKind::Guard {
        permissions.retain(|p, _| GUARD_ALLOWLIST.contains(p));
    }
    Ok(Some(Actor {
        user_id: user.id,
        company_id: user.company_id,
        name: user.display_name,
        kind,
        session_id: session.id,
        session_kind: session.kind,
        is_platform_admin: user.is_platform_admin,
        permissions,
        roles,
    }))
}

/// Permissions granted to a user in their company, with scopes, and the names of the roles.
pub async fn effective_permissions(
    db: &Db,
    company_id: i64,
    user_id: i64,
) -> Result<(BTreeMap<Permission, BTreeSet<Scope>>, Vec<String>), AppError> {
    let grants: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT g.role_id, g.scope FROM role_grants g WHERE g.user_id = $1 AND g.company_id = $2 \
         UNION \
         SELECT g.role_id, g.scope FROM role_grants g JOIN user_group_members m ON m.group_id = g.group_id \
         WHERE m.user_id = $1 AND g.company_id = $2")
        .bind(user_id).bind(company_id).fetch_all(pool).await)?;
    if grants.is_empty() {
        return Ok((BTreeMap::new(), Vec::new()));
    }
    let roles: Vec<(i64, Option<i64>, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, parent_id, name FROM roles WHERE company_id = $1")
        .bind(company_id).fetch_all(pool).await)?;
    let perms: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT rp.role_id, rp.permission FROM role_permissions rp JOIN roles r ON r.id = rp.role_id WHERE r.company_id = $1")
        .bind(company_id).fetch_all(pool).await)?;
    let parent: HashMap<i64, Option<i64>> = roles.iter().map(|(id, p, _)| (*id, *p)).collect();
    let names: HashMap<i64, &str> = roles.iter().map(|(id, _, n)| (*id, n.as_str())).collect();
    let mut own: HashMap<i64, Vec<Permission>> = HashMap::new();
    for (role, code) in &perms {
        if let Some(p) = Permission::from_code(code) {
            own.entry(*role).or_default().push(p);
        }
    }
    let mut out: BTreeMap<Permission, BTreeSet<Scope>> = BTreeMap::new();
    let mut role_names = Vec::new();
    for (role_id, scope) in grants {
        let Some(scope) = Scope::from_db(&scope) else {
            continue;
        };
        if let Some(n) = names.get(&role_id) {
            role_names.push((*n).to_owned());
        }
        for r in ancestry(role_id, &parent) {
            for p in own.get(&r).into_iter().flatten() {
                out.entry(*p).or_default().insert(scope);
            }
        }
    }
    role_names.sort();
    role_names.dedup();
    Ok((out, role_names))
}

/// The role and its ancestors, stopping at a cycle (which the role editor refuses anyway).
pub fn ancestry<S: std::hash::BuildHasher>(
    role: i64,
    parent: &HashMap<i64, Option<i64>, S>,
) -> Vec<i64> {
    let mut chain = vec![role];
    let mut at = role;
    while let Some(Some(p)) = parent.get(&at) {
        if chain.contains(p) {
            break;
        }
        chain.push(*p);
        at = *p;
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestry_follows_parents_and_survives_cycles() {
        let parent = HashMap::from([
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (4, Some(5)),
            (5, Some(4)),
        ]);
        assert_eq!(ancestry(3, &parent), vec![3, 2, 1]);
        assert_eq!(ancestry(1, &parent), vec![1]);
        assert_eq!(ancestry(4, &parent), vec![4, 5]);
    }
}
