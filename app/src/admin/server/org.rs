//! The company's organisation: groups (departments) that carry roles, the hierarchy of
//! positions, and each account's access (direct roles with scopes, groups, position).
//!
//! Reads and writes are limited to the actor's company like everything in administration: an id
//! of another company answers `NotFound`. Every change is audited in its own transaction.

use super::repo::{company_filter, staff_role_company, user_company, visible_company};
use crate::AppError;
use crate::Invalid;
use crate::access::Scope;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::admin::model::{
    AccessChoices, GrantSpec, GroupSummary, GroupUpdate, PositionInfo, PositionUpdate, UserAccess,
    position_tree,
};
use crate::db::{Db, Tx};
use crate::values::parse_name;
use crate::{on_db, on_tx};
use chrono::Utc;
use std::collections::HashMap;

/// The company new groups and positions belong to: the actor's own.
fn own_company(actor: &Actor) -> Result<i64, AppError> {
    actor
        .company_id
        .ok_or_else(|| AppError::validation("company", Invalid::Required))
}

async fn group_company(db: &Db, actor: &Actor, id: i64) -> Result<i64, AppError> {
    visible_company(
        db,
        actor,
        "SELECT company_id FROM user_groups WHERE id = $1",
        id,
    )
    .await
}

async fn position_company(db: &Db, actor: &Actor, id: i64) -> Result<i64, AppError> {
    visible_company(
        db,
        actor,
        "SELECT company_id FROM positions WHERE id = $1",
        id,
    )
    .await
}

/// Checks that every role of `grants` and every building or work area they name belongs to
/// `company`; an unknown one is a field error.
async fn check_grants(
    db: &Db,
    actor: &Actor,
    company: i64,
    grants: &[GrantSpec],
) -> Result<(), AppError> {
    for g in grants {
        match staff_role_company(db, actor, g.role_id).await {
            Ok(c) if c == company => {}
            _ => return Err(AppError::validation("role_id", Invalid::Unknown)),
        }
        let sql = match g.scope {
            Scope::Buildings => "SELECT company_id FROM buildings WHERE id = $1",
            Scope::WorkAreas => "SELECT company_id FROM work_areas WHERE id = $1",
            _ => continue,
        };
        for t in &g.targets {
            let owner: Option<i64> = on_db!(db, pool => sqlx::query_scalar(sql)
                .bind(*t).fetch_optional(pool).await)?;
            if owner != Some(company) {
                return Err(AppError::validation("targets", Invalid::Unknown));
            }
        }
    }
    Ok(())
}

fn describe_grants(grants: &[GrantSpec]) -> String {
    let mut parts: Vec<String> = grants
        .iter()
        .map(|g| {
            let s = format!("{}@{}", g.role_id, g.scope.as_db());
            if g.targets.is_empty() {
                s
            } else {
                let t: Vec<String> = g.targets.iter().map(i64::to_string).collect();
                format!("{s}[{}]", t.join(" "))
            }
        })
        .collect();
    parts.sort();
    parts.join(", ")
}

/// The grants held by users (`holder` = `user_id`) or groups (`group_id`), with targets, by
/// holder: two queries whatever the number of holders.
async fn grants_of(
    db: &Db,
    holder: &'static str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(String, GrantSpec)>>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Ids come from the database and are integers: written inline.
    let list = crate::db::id_list(ids);
    let sql = format!(
        "SELECT g.{holder}, g.id, g.role_id, r.name, g.scope FROM role_grants g JOIN roles r ON r.id = g.role_id \
         WHERE g.{holder} IN ({list}) ORDER BY r.name, g.id"
    );
    let rows: Vec<(i64, i64, i64, String, String)> =
        on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
    let tsql = format!(
        "SELECT t.grant_id, COALESCE(t.building_id, t.work_area_id) FROM role_grant_targets t \
         JOIN role_grants g ON g.id = t.grant_id WHERE g.{holder} IN ({list})"
    );
    let targets: Vec<(i64, i64)> = on_db!(db, pool => sqlx::query_as(&tsql).fetch_all(pool).await)?;
    let mut out: HashMap<i64, Vec<(String, GrantSpec)>> = HashMap::new();
    for (owner, gid, role_id, name, scope) in rows {
        let Some(scope) = Scope::from_db(&scope) else {
            continue;
        };
        let mut targets: Vec<i64> = targets.iter().filter(|t| t.0 == gid).map(|t| t.1).collect();
        targets.sort_unstable();
        out.entry(owner).or_default().push((
            name,
            GrantSpec {
                role_id,
                scope,
                targets,
            },
        ));
    }
    Ok(out)
}

/// The grants of one user or group (see [`grants_of`]).
async fn load_grants(db: &Db, holder: &'static str, id: i64) -> Result<Vec<GrantSpec>, AppError> {
    Ok(grants_of(db, holder, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default()
        .into_iter()
        .map(|(_, g)| g)
        .collect())
}

/// Groups of the company with their roles and members.
pub async fn list_groups(db: &Db, actor: &Actor) -> Result<Vec<GroupSummary>, AppError> {
    let company = company_filter(actor);
    let groups: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM user_groups WHERE ($1 IS NULL OR company_id = $1) ORDER BY name")
        .bind(company).fetch_all(pool).await)?;
    let ids: Vec<i64> = groups.iter().map(|g| g.0).collect();
    let mut grants = grants_of(db, "group_id", &ids).await?;
    let members: Vec<(i64, i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT m.group_id, u.id, u.display_name FROM user_group_members m JOIN users u ON u.id = m.user_id \
         JOIN user_groups gr ON gr.id = m.group_id WHERE ($1 IS NULL OR gr.company_id = $1) ORDER BY u.display_name")
        .bind(company).fetch_all(pool).await)?;
    Ok(groups
        .into_iter()
        .map(|(id, name)| GroupSummary {
            id,
            name,
            grants: grants.remove(&id).unwrap_or_default(),
            members: members
                .iter()
                .filter(|m| m.0 == id)
                .map(|m| (m.1, m.2.clone()))
                .collect(),
        })
        .collect())
}

async fn replace_group_grants(
    tx: &mut Tx,
    company: i64,
    group_id: i64,
    grants: &[GrantSpec],
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM role_grants WHERE group_id = $1")
        .bind(group_id).execute(conn).await.map(|_| ()))?;
    let now = Utc::now();
    for g in grants {
        let grant_id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO role_grants (company_id, role_id, group_id, scope, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(company).bind(g.role_id).bind(group_id).bind(g.scope.as_db()).bind(now)
            .fetch_one(conn).await)?;
        crate::access::server::repo::add_grant_targets(tx, grant_id, g.scope, &g.targets).await?;
    }
    Ok(())
}

/// Creates or changes a group. Errors: `Validation` (name empty, too long or taken; unknown
/// role), `NotFound` (another company's group).
pub async fn save_group(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    update: GroupUpdate,
) -> Result<Vec<GroupSummary>, AppError> {
    let name = parse_name(&update.name)?;
    let mut grants = update.grants;
    GrantSpec::normalize(&mut grants)?;
    let company = match update.id {
        Some(id) => group_company(db, actor, id).await?,
        None => own_company(actor)?,
    };
    check_grants(db, actor, company, &grants).await?;
    let before: Option<(String, Vec<GrantSpec>)> = match update.id {
        Some(id) => {
            let old_name: String = on_db!(db, pool => sqlx::query_scalar("SELECT name FROM user_groups WHERE id = $1")
                .bind(id).fetch_one(pool).await)?;
            let old = load_grants(db, "group_id", id).await?;
            Some((old_name, old))
        }
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let res: Result<i64, sqlx::Error> = match update.id {
        Some(id) => {
            on_tx!(&mut tx, conn => sqlx::query("UPDATE user_groups SET name = $1 WHERE id = $2")
            .bind(&name).bind(id).execute(conn).await.map(|_| id))
        }
        None => on_tx!(&mut tx, conn => sqlx::query_scalar(
            "INSERT INTO user_groups (company_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(company).bind(&name).bind(Utc::now()).fetch_one(conn).await),
    };
    let id = match res {
        Ok(id) => id,
        Err(e)
            if crate::db::is_unique_violation(
                &e,
                "user_groups_name_key",
                "user_groups.company_id",
            ) =>
        {
            return Err(AppError::validation("name", Invalid::Taken));
        }
        Err(e) => return Err(e.into()),
    };
    replace_group_grants(&mut tx, company, id, &grants).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: if before.is_some() {
                "group.update"
            } else {
                "group.create"
            },
            entity: "group",
            entity_id: Some(id.to_string()),
            changes: vec![
                (
                    "name",
                    before.as_ref().map(|b| b.0.clone()),
                    Some(name.clone()),
                ),
                (
                    "roles",
                    before.as_ref().map(|b| describe_grants(&b.1)),
                    Some(describe_grants(&grants)),
                ),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    list_groups(db, actor).await
}

/// Positions of the company.
pub async fn list_positions(db: &Db, actor: &Actor) -> Result<Vec<PositionInfo>, AppError> {
    let company = company_filter(actor);
    let rows: Vec<(i64, String, Option<i64>, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT p.id, p.name, p.parent_id, (SELECT COUNT(*) FROM users u WHERE u.position_id = p.id) \
         FROM positions p WHERE ($1 IS NULL OR p.company_id = $1) ORDER BY p.name")
        .bind(company).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, parent_id, holders)| PositionInfo {
            id,
            name,
            parent_id,
            holders,
        })
        .collect())
}

/// Creates, renames or moves a position. Errors: `Validation` (name empty, long or taken;
/// parent unknown or a cycle), `NotFound` (another company's position).
pub async fn save_position(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    update: PositionUpdate,
) -> Result<Vec<PositionInfo>, AppError> {
    let name = parse_name(&update.name)?;
    let company = match update.id {
        Some(id) => position_company(db, actor, id).await?,
        None => own_company(actor)?,
    };
    if let Some(parent) = update.parent_id {
        match position_company(db, actor, parent).await {
            Ok(c) if c == company => {}
            _ => return Err(AppError::validation("parent_id", Invalid::Unknown)),
        }
        // Walk up from the new parent: meeting the position itself means a cycle.
        if let Some(id) = update.id {
            let mut at = Some(parent);
            let mut steps = 0;
            while let Some(p) = at {
                if p == id || steps > 1000 {
                    return Err(AppError::validation("parent_id", Invalid::Cycle));
                }
                at = on_db!(db, pool => sqlx::query_scalar("SELECT parent_id FROM positions WHERE id = $1")
                    .bind(p).fetch_one(pool).await)?;
                steps += 1;
            }
        }
    }
    let before: Option<(String, Option<i64>)> = match update.id {
        Some(id) => Some(
            on_db!(db, pool => sqlx::query_as("SELECT name, parent_id FROM positions WHERE id = $1")
            .bind(id).fetch_one(pool).await)?,
        ),
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let res: Result<i64, sqlx::Error> = match update.id {
        Some(id) => {
            on_tx!(&mut tx, conn => sqlx::query("UPDATE positions SET name = $1, parent_id = $2 WHERE id = $3")
            .bind(&name).bind(update.parent_id).bind(id).execute(conn).await.map(|_| id))
        }
        None => on_tx!(&mut tx, conn => sqlx::query_scalar(
            "INSERT INTO positions (company_id, name, parent_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(company).bind(&name).bind(update.parent_id).bind(Utc::now()).fetch_one(conn).await),
    };
    let id = match res {
        Ok(id) => id,
        Err(e)
            if crate::db::is_unique_violation(&e, "positions_name_key", "positions.company_id") =>
        {
            return Err(AppError::validation("name", Invalid::Taken));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: if before.is_some() {
                "position.update"
            } else {
                "position.create"
            },
            entity: "position",
            entity_id: Some(id.to_string()),
            changes: vec![
                (
                    "name",
                    before.as_ref().map(|b| b.0.clone()),
                    Some(name.clone()),
                ),
                (
                    "parent_id",
                    before.as_ref().and_then(|b| b.1.map(|p| p.to_string())),
                    update.parent_id.map(|p| p.to_string()),
                ),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    list_positions(db, actor).await
}

/// An account's direct roles, groups and position as stored.
async fn current_access(db: &Db, user_id: i64) -> Result<UserAccess, AppError> {
    let grants = load_grants(db, "user_id", user_id).await?;
    let groups: Vec<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT group_id FROM user_group_members WHERE user_id = $1 ORDER BY group_id")
        .bind(user_id).fetch_all(pool).await)?;
    let position_id: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT position_id FROM users WHERE id = $1")
        .bind(user_id).fetch_one(pool).await)?;
    Ok(UserAccess {
        user_id,
        grants,
        groups,
        position_id,
    })
}

/// An account's direct roles, groups and position, with the choices the editor offers.
pub async fn user_access(
    db: &Db,
    actor: &Actor,
    user_id: i64,
) -> Result<(UserAccess, AccessChoices), AppError> {
    let company = user_company(db, actor, user_id).await?;
    let access = current_access(db, user_id).await?;
    let roles: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM roles WHERE company_id = $1 AND (code IS NULL OR code <> 'resident') ORDER BY id")
        .bind(company).fetch_all(pool).await)?;
    let all_groups: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM user_groups WHERE company_id = $1 ORDER BY name")
        .bind(company).fetch_all(pool).await)?;
    let positions: Vec<(i64, String, Option<i64>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, parent_id FROM positions WHERE company_id = $1")
        .bind(company).fetch_all(pool).await)?;
    let positions: Vec<PositionInfo> = positions
        .into_iter()
        .map(|(id, name, parent_id)| PositionInfo {
            id,
            name,
            parent_id,
            holders: 0,
        })
        .collect();
    Ok((
        access,
        AccessChoices {
            roles,
            groups: all_groups,
            positions: position_tree(&positions),
            targets: crate::buildings::server::service::company_scope_targets(db, company).await?,
        },
    ))
}

/// Replaces an account's direct roles, groups and position. Takes effect on the user's next
/// request. Errors: `NotFound` (another company's user), `Validation` (unknown role, group or
/// position; removing one's own administration rights).
pub async fn save_user_access(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    mut access: UserAccess,
) -> Result<(), AppError> {
    let company = user_company(db, actor, access.user_id).await?;
    GrantSpec::normalize(&mut access.grants)?;
    access.groups.sort_unstable();
    access.groups.dedup();
    check_grants(db, actor, company, &access.grants).await?;
    for g in &access.groups {
        match group_company(db, actor, *g).await {
            Ok(c) if c == company => {}
            _ => return Err(AppError::validation("groups", Invalid::Unknown)),
        }
    }
    if let Some(p) = access.position_id {
        match position_company(db, actor, p).await {
            Ok(c) if c == company => {}
            _ => return Err(AppError::validation("position_id", Invalid::Unknown)),
        }
    }
    let before = current_access(db, access.user_id).await?;
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM role_grants WHERE user_id = $1")
        .bind(access.user_id).execute(conn).await.map(|_| ()))?;
    let now = Utc::now();
    for g in &access.grants {
        let grant_id = crate::access::server::repo::grant_to_user(
            &mut tx,
            company,
            g.role_id,
            access.user_id,
            g.scope,
        )
        .await?;
        crate::access::server::repo::add_grant_targets(&mut tx, grant_id, g.scope, &g.targets)
            .await?;
    }
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM user_group_members WHERE user_id = $1")
        .bind(access.user_id).execute(conn).await.map(|_| ()))?;
    for g in &access.groups {
        crate::access::server::repo::add_to_group(&mut tx, *g, access.user_id).await?;
    }
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET position_id = $1, updated_at = $2 WHERE id = $3")
        .bind(access.position_id).bind(now).bind(access.user_id).execute(conn).await.map(|_| ()))?;
    let join = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "user.access",
            entity: "user",
            entity_id: Some(access.user_id.to_string()),
            changes: vec![
                (
                    "roles",
                    Some(describe_grants(&before.grants)),
                    Some(describe_grants(&access.grants)),
                ),
                (
                    "groups",
                    Some(join(&before.groups)),
                    Some(join(&access.groups)),
                ),
                (
                    "position_id",
                    before.position_id.map(|p| p.to_string()),
                    access.position_id.map(|p| p.to_string()),
                ),
            ],
        },
    )
    .await?;
    // Nobody takes away their own right to administer accounts (a company would lose its last
    // administrator): checked on the changed data before it is committed.
    if access.user_id == actor.user_id && !actor.is_platform_admin {
        let still: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
            "WITH RECURSIVE held(role_id) AS ( \
                 SELECT role_id FROM role_grants WHERE user_id = $1 \
                 UNION SELECT g.role_id FROM role_grants g \
                       JOIN user_group_members m ON m.group_id = g.group_id WHERE m.user_id = $1 \
                 UNION SELECT r.parent_id FROM roles r JOIN held h ON r.id = h.role_id \
                       WHERE r.parent_id IS NOT NULL) \
             SELECT COUNT(*) FROM role_permissions rp JOIN held h ON h.role_id = rp.role_id \
             WHERE rp.permission = 'admin.users'")
            .bind(access.user_id).fetch_one(conn).await)?;
        if still == 0 {
            return Err(AppError::validation("grants", Invalid::OwnAccess));
        }
    }
    tx.commit().await?;
    Ok(())
}
