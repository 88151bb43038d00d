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
    /// For permissions held in a building or work-area scope: the buildings they reach (a work
    /// area reaches the buildings it covers, whole or in part).
    pub buildings: BTreeMap<Permission, BTreeSet<i64>>,
    /// Codes or names of the roles granted (for display).
    pub roles: Vec<String>,
    /// The time zone of the actor's company: "today" for dates the actor records (a consent, a
    /// tenancy) is the company's local day, not UTC's.
    pub zone: &'static crate::i18n::Zone,
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
            buildings: BTreeMap::new(),
            roles: Vec::new(),
            zone: crate::i18n::Zone::or_default(crate::i18n::DEFAULT_ZONE),
        }
    }

    /// Today in the actor's company's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.zone.date(chrono::Utc::now())
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

    /// `Forbidden` unless a resident is signed in to the cabinet.
    pub fn require_resident(&self) -> Result<(), AppError> {
        if self.kind == UserKind::Resident && self.session_kind == SessionKind::Resident {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Which of the company's buildings a permission reaches; `None` when it is not held.
    /// Company-wide grants reach every building; building and work-area grants their targets;
    /// "own assignments" grants reach no building as such (the rows assigned to the user are
    /// checked where they are read).
    pub fn building_reach(&self, p: Permission) -> Option<Reach> {
        let scopes = self.scopes(p);
        if scopes.is_empty() {
            None
        } else if scopes.contains(&Scope::Company) {
            Some(Reach::All)
        } else {
            Some(Reach::Only(
                self.buildings.get(&p).cloned().unwrap_or_default(),
            ))
        }
    }

    /// `NotFound` unless the permission reaches the building (an unreachable building answers
    /// like a missing one); `Forbidden` when the permission is not held at all.
    pub fn require_building(&self, p: Permission, building_id: i64) -> Result<(), AppError> {
        match self.building_reach(p) {
            None => Err(AppError::Forbidden),
            Some(r) if r.contains(building_id) => Ok(()),
            Some(_) => Err(AppError::NotFound),
        }
    }

    /// Whether the permission reaches the building (for what a screen may offer there).
    pub fn reaches(&self, p: Permission, building_id: i64) -> bool {
        self.building_reach(p)
            .is_some_and(|r| r.contains(building_id))
    }

    /// True when a company-owned row of `company_id` is visible to this actor at all.
    pub fn sees_company(&self, company_id: i64) -> bool {
        self.is_platform_admin || self.company_id == Some(company_id)
    }

    /// The company filter of a list query on `column`: the actor's company (a platform
    /// administrator sees all, an actor without a company nothing).
    pub fn company_sql(&self, column: &str) -> String {
        match self.company_id {
            _ if self.is_platform_admin => "1 = 1".to_owned(),
            Some(c) => format!("{column} = {c}"),
            None => "1 = 0".to_owned(),
        }
    }

    /// The company new records belong to: the actor's own (`Validation` on `company` for an
    /// actor without one, such as a platform administrator outside any company).
    pub fn own_company(&self) -> Result<i64, AppError> {
        self.company_id
            .ok_or_else(|| AppError::validation("company", crate::Invalid::Required))
    }
}

/// The buildings a permission reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    All,
    Only(BTreeSet<i64>),
}

impl Reach {
    pub fn contains(&self, building_id: i64) -> bool {
        match self {
            Self::All => true,
            Self::Only(set) => set.contains(&building_id),
        }
    }

    /// A SQL condition limiting `column` to the reachable buildings (ids are integers, so the
    /// list is written inline).
    pub fn sql(&self, column: &str) -> String {
        match self {
            Self::All => "1 = 1".to_owned(),
            Self::Only(set) if set.is_empty() => "1 = 0".to_owned(),
            Self::Only(set) => {
                let ids: Vec<String> = set.iter().map(i64::to_string).collect();
                format!("{column} IN ({})", ids.join(", "))
            }
        }
    }
}

/// What a user may do in their company: permissions with scopes, the buildings scoped
/// permissions reach, and the names of the roles granted.
#[derive(Debug, Default)]
pub struct Effective {
    pub permissions: BTreeMap<Permission, BTreeSet<Scope>>,
    pub buildings: BTreeMap<Permission, BTreeSet<i64>>,
    pub roles: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    company_id: Option<i64>,
    kind: String,
    display_name: String,
    is_platform_admin: bool,
    is_active: bool,
    time_zone: Option<String>,
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
        "SELECT u.id, u.company_id, u.kind, u.display_name, u.is_platform_admin, u.is_active, c.time_zone \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id WHERE u.id = $1")
        .bind(session.user_id).fetch_optional(pool).await)?;
    let Some(user) = user.filter(|u| u.is_active) else {
        return Ok(None);
    };
    let kind = if user.kind == "resident" {
        UserKind::Resident
    } else {
        UserKind::Staff
    };
    let mut eff = match user.company_id {
        Some(company_id) => effective_permissions(db, company_id, user.id).await?,
        None => Effective::default(),
    };
    if session.kind == SessionKind::Guard {
        eff.permissions.retain(|p, _| GUARD_ALLOWLIST.contains(p));
        eff.buildings.retain(|p, _| GUARD_ALLOWLIST.contains(p));
    }
    Ok(Some(Actor {
        user_id: user.id,
        company_id: user.company_id,
        name: user.display_name,
        kind,
        session_id: session.id,
        session_kind: session.kind,
        is_platform_admin: user.is_platform_admin,
        permissions: eff.permissions,
        buildings: eff.buildings,
        roles: eff.roles,
        zone: crate::i18n::Zone::or_default(
            user.time_zone
                .as_deref()
                .unwrap_or(crate::i18n::DEFAULT_ZONE),
        ),
    }))
}

/// Permissions granted to a user in their company, with scopes and building targets, and the
/// names of the roles.
pub async fn effective_permissions(
    db: &Db,
    company_id: i64,
    user_id: i64,
) -> Result<Effective, AppError> {
    let grants: Vec<(i64, i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT g.id, g.role_id, g.scope FROM role_grants g WHERE g.user_id = $1 AND g.company_id = $2 \
         UNION \
         SELECT g.id, g.role_id, g.scope FROM role_grants g JOIN user_group_members m ON m.group_id = g.group_id \
         WHERE m.user_id = $1 AND g.company_id = $2")
        .bind(user_id).bind(company_id).fetch_all(pool).await)?;
    if grants.is_empty() {
        return Ok(Effective::default());
    }
    // Buildings named by the grants, directly or through a work area of the same company.
    let targets: Vec<(i64, Option<i64>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT t.grant_id, COALESCE(t.building_id, p.building_id) FROM role_grant_targets t \
         JOIN role_grants g ON g.id = t.grant_id \
         LEFT JOIN work_area_parts p ON p.work_area_id = t.work_area_id \
         LEFT JOIN buildings b ON b.id = COALESCE(t.building_id, p.building_id) \
         WHERE g.company_id = $2 AND b.company_id = $2 AND (g.user_id = $1 OR g.group_id IN \
               (SELECT group_id FROM user_group_members WHERE user_id = $1))")
        .bind(user_id).bind(company_id).fetch_all(pool).await)?;
    let mut grant_buildings: HashMap<i64, Vec<i64>> = HashMap::new();
    for (grant, building) in targets {
        if let Some(b) = building {
            grant_buildings.entry(grant).or_default().push(b);
        }
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
    let mut out = Effective::default();
    for (grant_id, role_id, scope) in grants {
        let Some(scope) = Scope::from_db(&scope) else {
            continue;
        };
        if let Some(n) = names.get(&role_id) {
            out.roles.push((*n).to_owned());
        }
        let targets = grant_buildings.get(&grant_id);
        for r in ancestry(role_id, &parent) {
            for p in own.get(&r).into_iter().flatten() {
                out.permissions.entry(*p).or_default().insert(scope);
                if matches!(scope, Scope::Buildings | Scope::WorkAreas) {
                    out.buildings
                        .entry(*p)
                        .or_default()
                        .extend(targets.into_iter().flatten());
                }
            }
        }
    }
    out.roles.sort();
    out.roles.dedup();
    Ok(out)
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
