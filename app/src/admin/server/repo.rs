//! SQL and rules for administering roles, users, sessions and reading the audit log.
//!
//! Every query is limited to the actor's company (`company_filter`): a platform administrator
//! (no company) sees all companies; anyone else asking for another company's id gets `NotFound`,
//! exactly as for an id that does not exist.

use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::access::server::actor::ancestry;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::{self, ClientInfo};
use crate::admin::model::{
    CreatedUser, NewUser, PermissionSource, RoleDetail, RoleSummary, RoleUpdate, SessionInfo,
    UserSummary,
};
use crate::db::Db;
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The company an actor administers (`None`: a platform administrator, all companies).
pub(crate) fn company_filter(actor: &Actor) -> Option<i64> {
    if actor.is_platform_admin {
        None
    } else {
        Some(actor.company_id.unwrap_or(-1))
    }
}

/// The company of the row `sql` finds for `id` (a `SELECT company_id FROM … WHERE id = $1`), if
/// the actor may see it; another company's row answers exactly like a missing one: `NotFound`.
pub(crate) async fn visible_company(
    db: &Db,
    actor: &Actor,
    sql: &'static str,
    id: i64,
) -> Result<i64, AppError> {
    let company: Option<Option<i64>> = on_db!(db, pool => sqlx::query_scalar(sql)
        .bind(id).fetch_optional(pool).await)?;
    match company.flatten() {
        Some(c) if company_filter(actor).is_none_or(|own| own == c) => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

/// The company of a role, if the actor may see it.
pub(crate) async fn role_company(db: &Db, actor: &Actor, role_id: i64) -> Result<i64, AppError> {
    visible_company(
        db,
        actor,
        "SELECT company_id FROM roles WHERE id = $1",
        role_id,
    )
    .await
}

/// The company of a role that may be granted to staff: the residents' role is not (residents
/// reach their units through links, never through staff grants).
pub(crate) async fn staff_role_company(
    db: &Db,
    actor: &Actor,
    role_id: i64,
) -> Result<i64, AppError> {
    visible_company(
        db,
        actor,
        "SELECT company_id FROM roles WHERE id = $1 AND (code IS NULL OR code <> 'resident')",
        role_id,
    )
    .await
}

/// The company of a staff account, if the actor may see it. Staff administration covers staff
/// only: a resident's account (sessions, grants, password) answers `NotFound` like a missing one;
/// companies manage residents through their links to units.
pub(crate) async fn user_company(db: &Db, actor: &Actor, user_id: i64) -> Result<i64, AppError> {
    visible_company(
        db,
        actor,
        "SELECT company_id FROM users WHERE id = $1 AND kind = 'staff'",
        user_id,
    )
    .await
}

/// Roles of the actor's company.
pub async fn list_roles(db: &Db, actor: &Actor) -> Result<Vec<RoleSummary>, AppError> {
    type Row = (i64, String, Option<String>, Option<String>, i64, i64);
    let company = company_filter(actor);
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "SELECT r.id, r.name, r.code, p.name, \
                (SELECT COUNT(*) FROM role_permissions rp WHERE rp.role_id = r.id), \
                (SELECT COUNT(*) FROM role_grants g WHERE g.role_id = r.id) \
         FROM roles r LEFT JOIN roles p ON p.id = r.parent_id \
         WHERE ($1 IS NULL OR r.company_id = $1) ORDER BY r.company_id, r.id")
        .bind(company).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, code, parent, own, holders)| RoleSummary {
            id,
            name,
            code,
            parent,
            own_permissions: usize::try_from(own).unwrap_or(0),
            holders,
        })
        .collect())
}

/// A role with its own and effective permissions, explained.
pub async fn role_detail(db: &Db, actor: &Actor, role_id: i64) -> Result<RoleDetail, AppError> {
    let company = role_company(db, actor, role_id).await?;
    let roles: Vec<(i64, Option<i64>, String, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, parent_id, name, description FROM roles WHERE company_id = $1 ORDER BY id")
        .bind(company).fetch_all(pool).await)?;
    // The residents' role is no parent for a staff role.
    let residents: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM roles WHERE company_id = $1 AND code = 'resident'")
        .bind(company).fetch_optional(pool).await)?;
    let perms: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT rp.role_id, rp.permission FROM role_permissions rp JOIN roles r ON r.id = rp.role_id WHERE r.company_id = $1")
        .bind(company).fetch_all(pool).await)?;
    let parent: HashMap<i64, Option<i64>> = roles.iter().map(|(id, p, _, _)| (*id, *p)).collect();
    let name: HashMap<i64, &str> = roles
        .iter()
        .map(|(id, _, n, _)| (*id, n.as_str()))
        .collect();
    let mut own_of: HashMap<i64, Vec<Permission>> = HashMap::new();
    for (r, code) in &perms {
        if let Some(p) = Permission::from_code(code) {
            own_of.entry(*r).or_default().push(p);
        }
    }
    let mut effective: Vec<PermissionSource> = Vec::new();
    for r in ancestry(role_id, &parent) {
        for p in own_of.get(&r).into_iter().flatten() {
            if !effective.iter().any(|e| e.permission == *p) {
                effective.push(PermissionSource {
                    permission: *p,
                    from_role: name.get(&r).copied().unwrap_or("").to_owned(),
                    own: r == role_id,
                });
            }
        }
    }
    effective.sort_by_key(|e| (!e.own, e.permission));
    let mut own = own_of.remove(&role_id).unwrap_or_default();
    own.sort();
    // A parent must not be the role itself or one of its descendants.
    let parent_choices = roles
        .iter()
        .filter(|(id, ..)| !ancestry(*id, &parent).contains(&role_id) && Some(*id) != residents)
        .map(|(id, _, n, _)| (*id, n.clone()))
        .collect();
    let (_, parent_id, role_name, description) = roles
        .iter()
        .find(|(id, ..)| *id == role_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(RoleDetail {
        id: role_id,
        name: role_name,
        description,
        parent_id,
        own,
        effective,
        parent_choices,
    })
}

/// Saves a role's name, description, parent and permissions, and records what changed.
pub async fn save_role(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    update: RoleUpdate,
) -> Result<RoleDetail, AppError> {
    let update = update.parse()?;
    let before = role_detail(db, actor, update.id).await?;
    let company = role_company(db, actor, update.id).await?;
    if let Some(p) = update.parent_id {
        // A staff role never inherits the residents' role (nor is given it directly).
        if staff_role_company(db, actor, p).await.ok() != Some(company) {
            return Err(AppError::validation("parent_id", Invalid::Unknown));
        }
        if !before.parent_choices.iter().any(|(id, _)| *id == p) {
            return Err(AppError::validation("parent_id", Invalid::Cycle));
        }
    }
    let mut tx = db.begin_write().await?;
    let renamed: Result<(), sqlx::Error> = on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE roles SET name = $1, description = $2, parent_id = $3, updated_at = $4 WHERE id = $5")
        .bind(&update.name).bind(&update.description).bind(update.parent_id).bind(Utc::now()).bind(update.id)
        .execute(conn).await.map(|_| ()));
    match renamed {
        Err(e)
            if crate::db::is_unique_violation(
                &e,
                "roles_name_key",
                "roles.company_id, roles.name",
            ) =>
        {
            return Err(AppError::validation("name", Invalid::Taken));
        }
        other => other?,
    }
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM role_permissions WHERE role_id = $1")
        .bind(update.id).execute(conn).await.map(|_| ()))?;
    for p in &update.permissions {
        on_tx!(&mut tx, conn => sqlx::query("INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)")
            .bind(update.id).bind(p.code()).execute(conn).await.map(|_| ()))?;
    }
    let codes = |v: &[Permission]| v.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ");
    let mut changes = Vec::new();
    if before.name != update.name {
        changes.push(("name", Some(before.name.clone()), Some(update.name.clone())));
    }
    if before.description != update.description {
        changes.push((
            "description",
            Some(before.description.clone()),
            Some(update.description.clone()),
        ));
    }
    if before.parent_id != update.parent_id {
        changes.push((
            "parent_id",
            before.parent_id.map(|p| p.to_string()),
            update.parent_id.map(|p| p.to_string()),
        ));
    }
    if before.own != update.permissions {
        changes.push((
            "permissions",
            Some(codes(&before.own)),
            Some(codes(&update.permissions)),
        ));
    }
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "role.update",
            entity: "role",
            entity_id: Some(update.id.to_string()),
            changes,
        },
    )
    .await?;
    tx.commit().await?;
    role_detail(db, actor, update.id).await
}

type UserRow = (
    i64,
    Option<String>,
    String,
    bool,
    Option<DateTime<Utc>>,
    i64,
);

/// Staff of the actor's company, with roles and groups.
pub async fn list_users(db: &Db, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
    let company = company_filter(actor);
    let now = Utc::now();
    let users: Vec<UserRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT u.id, u.login, u.display_name, u.is_active, u.last_sign_in_at, \
                (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > $2) \
         FROM users u WHERE u.kind = 'staff' AND u.company_id IS NOT NULL AND ($1 IS NULL OR u.company_id = $1) ORDER BY u.display_name")
        .bind(company).bind(now).fetch_all(pool).await)?;
    let roles: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT g.user_id, r.name FROM role_grants g JOIN roles r ON r.id = g.role_id \
         WHERE g.user_id IS NOT NULL AND ($1 IS NULL OR g.company_id = $1) \
         UNION \
         SELECT m.user_id, r.name FROM user_group_members m JOIN role_grants g ON g.group_id = m.group_id \
         JOIN roles r ON r.id = g.role_id WHERE ($1 IS NULL OR g.company_id = $1)")
        .bind(company).fetch_all(pool).await)?;
    let groups: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT m.user_id, gr.name FROM user_group_members m JOIN user_groups gr ON gr.id = m.group_id \
         WHERE ($1 IS NULL OR gr.company_id = $1)")
        .bind(company).fetch_all(pool).await)?;
    Ok(users
        .into_iter()
        .map(|(id, login, name, active, last, sessions)| {
            let mut r: Vec<String> = roles
                .iter()
                .filter(|(u, _)| *u == id)
                .map(|(_, n)| n.clone())
                .collect();
            r.sort();
            r.dedup();
            UserSummary {
                id,
                login,
                name,
                active,
                roles: r,
                groups: groups
                    .iter()
                    .filter(|(u, _)| *u == id)
                    .map(|(_, n)| n.clone())
                    .collect(),
                last_sign_in_at: last,
                active_sessions: sessions,
            }
        })
        .collect())
}

/// A random 14-character password from an unambiguous alphabet, shown once to the administrator.
fn temporary_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..14)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// Creates a staff account in the role's company with a temporary password.
pub async fn create_user(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    new: NewUser,
) -> Result<CreatedUser, AppError> {
    let login = crate::auth::model::Login::parse(&new.login)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::validation("name", Invalid::Required));
    }
    let company = staff_role_company(db, actor, new.role_id)
        .await
        .map_err(|_| AppError::validation("role_id", Invalid::Unknown))?;
    let password = temporary_password();
    let hash = crate::access::server::password::hash(password.clone()).await?;
    let mut tx = db.begin_write().await?;
    let id = crate::access::server::repo::insert_staff(
        &mut tx,
        &crate::access::server::repo::NewStaff {
            company_id: company,
            login: login.as_str(),
            display_name: name,
            password_hash: &hash,
        },
    )
    .await?;
    crate::access::server::repo::grant_to_user(&mut tx, company, new.role_id, id, new.scope)
        .await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "user.create",
            entity: "user",
            entity_id: Some(id.to_string()),
            changes: vec![
                ("login", None, Some(login.as_str().to_owned())),
                ("display_name", None, Some(name.to_owned())),
                ("role_id", None, Some(new.role_id.to_string())),
                ("scope", None, Some(new.scope.as_db().to_owned())),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedUser {
        id,
        login: login.as_str().to_owned(),
        password,
    })
}

/// Activates or deactivates an account; deactivation ends its sessions. Nobody deactivates
/// themselves (that is how a company loses its last administrator).
pub async fn set_active(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    user_id: i64,
    active: bool,
) -> Result<(), AppError> {
    let company = user_company(db, actor, user_id).await?;
    if user_id == actor.user_id && !active {
        return Err(AppError::validation("user_id", Invalid::OwnAccess));
    }
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let was: bool = on_tx!(&mut tx, conn => sqlx::query_scalar("SELECT is_active FROM users WHERE id = $1")
        .bind(user_id).fetch_one(conn).await)?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET is_active = $1, updated_at = $2 WHERE id = $3")
        .bind(active).bind(now).bind(user_id).execute(conn).await.map(|_| ()))?;
    if !active {
        session::revoke_all(&mut tx, user_id, now).await?;
    }
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: if active {
                "user.activate"
            } else {
                "user.deactivate"
            },
            entity: "user",
            entity_id: Some(user_id.to_string()),
            changes: vec![("is_active", Some(was.to_string()), Some(active.to_string()))],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new temporary password, ends the user's sessions and returns the password once.
pub async fn reset_password(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    user_id: i64,
) -> Result<String, AppError> {
    let company = user_company(db, actor, user_id).await?;
    let password = temporary_password();
    let hash = crate::access::server::password::hash(password.clone()).await?;
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash).bind(now).bind(user_id).execute(conn).await.map(|_| ()))?;
    session::revoke_all(&mut tx, user_id, now).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "user.reset_password",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            changes: vec![("password", Some("***".into()), Some("***".into()))],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(password)
}

/// Open sessions of a user.
pub async fn user_sessions(
    db: &Db,
    actor: &Actor,
    user_id: i64,
) -> Result<Vec<SessionInfo>, AppError> {
    user_company(db, actor, user_id).await?;
    crate::access::server::session::open_sessions(db, user_id, &actor.session_id).await
}

/// Revokes a user's session by the short id shown in the interface.
pub async fn revoke_session(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    user_id: i64,
    short_id: &str,
) -> Result<(), AppError> {
    let company = user_company(db, actor, user_id).await?;
    if short_id.len() != 16 || !short_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::validation("session", Invalid::Expired));
    }
    let pattern = format!("{short_id}%");
    let mut tx = db.begin_write().await?;
    let n = on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND id LIKE $3 AND revoked_at IS NULL")
        .bind(Utc::now()).bind(user_id).bind(&pattern).execute(conn).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "session.revoke",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            changes: vec![("session", Some(short_id.to_owned()), None)],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One audit row as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub changes: String,
    pub ip: Option<String>,
}

/// The newest audit rows of `company` (`None`: every company) with this action and entity
/// (empty: any), at most `limit`.
pub(crate) async fn audit_rows(
    db: &Db,
    company: Option<i64>,
    action: &str,
    entity: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, at, actor_name, action, entity, entity_id, changes, ip FROM audit_log \
         WHERE ($1 IS NULL OR company_id = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR entity = $3) \
         ORDER BY id DESC LIMIT $4")
        .bind(company).bind(action).bind(entity).bind(limit)
        .fetch_all(pool).await)?)
}

#[derive(sqlx::FromRow)]
struct NamedRow {
    id: i64,
    name: String,
}

/// The names of objects of one kind (`entity` as the audit log writes it) by id, limited to
/// `company` (`None`: any). Kinds without a name of their own (a resident's link) give none;
/// people are named by the caller (their names are personal data).
pub(crate) async fn object_names(
    db: &Db,
    company: Option<i64>,
    entity: &str,
    ids: &[i64],
) -> Result<HashMap<i64, String>, AppError> {
    let sql = match entity {
        "user" => "SELECT id, display_name AS name, company_id FROM users",
        "role" => "SELECT id, name, company_id FROM roles",
        "group" => "SELECT id, name, company_id FROM user_groups",
        "position" => "SELECT id, name, company_id FROM positions",
        "company" => "SELECT id, short_name AS name, id AS company_id FROM companies",
        "company_type" => "SELECT id, name, CAST(NULL AS BIGINT) AS company_id FROM company_types",
        "work_area" => "SELECT id, name, company_id FROM work_areas",
        "building" => "SELECT id, name, company_id FROM buildings",
        "unit" => {
            "SELECT u.id, b.name || ', ' || u.number AS name, u.company_id FROM units u \
             JOIN buildings b ON b.id = u.building_id"
        }
        "import_job" => "SELECT id, file_name AS name, company_id FROM import_jobs",
        "phonebook_entry" => "SELECT id, name, company_id FROM phonebook_entries",
        _ => return Ok(HashMap::new()),
    };
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Ids are integers parsed by the caller: the list is safe to inline.
    let list = crate::db::id_list(ids);
    let rows: Vec<NamedRow> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT id, name FROM ({sql}) o WHERE id IN ({list}) AND ($1 IS NULL OR company_id IS NULL OR company_id = $1)"))
        .bind(company).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}
