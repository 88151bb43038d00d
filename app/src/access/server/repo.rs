//! SQL for roles, grants and accounts.

use crate::AppError;
use crate::Invalid;
use crate::access::Scope;
use crate::access::roles::DEFAULT_ROLES;
use crate::db::Tx;
use crate::on_tx;
use std::collections::HashMap;

/// Creates the default roles in a company (parents first); returns role ids by code.
pub async fn seed_default_roles(
    tx: &mut Tx,
    company_id: i64,
) -> Result<HashMap<&'static str, i64>, AppError> {
    let now = chrono::Utc::now();
    let mut ids: HashMap<&'static str, i64> = HashMap::new();
    for role in DEFAULT_ROLES {
        let parent = role.parent.and_then(|p| ids.get(p).copied());
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO roles (company_id, code, name, parent_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
            .bind(company_id).bind(role.code).bind(role.name_ru).bind(parent).bind(now)
            .fetch_one(conn).await)?;
        for p in role.permissions {
            on_tx!(tx, conn => sqlx::query("INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)")
                .bind(id).bind(p.code()).execute(conn).await.map(|_| ()))?;
        }
        ids.insert(role.code, id);
    }
    Ok(ids)
}

/// A staff account to create.
pub struct NewStaff<'a> {
    pub company_id: i64,
    pub login: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
}

/// Inserts a staff user; a taken login is a `Validation` error on `login`.
pub async fn insert_staff(tx: &mut Tx, u: &NewStaff<'_>) -> Result<i64, AppError> {
    let now = chrono::Utc::now();
    let res: Result<i64, sqlx::Error> = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO users (company_id, kind, login, display_name, password_hash, created_at, updated_at) \
         VALUES ($1, 'staff', $2, $3, $4, $5, $5) RETURNING id")
        .bind(u.company_id).bind(u.login).bind(u.display_name).bind(u.password_hash).bind(now)
        .fetch_one(conn).await);
    match res {
        Ok(id) => Ok(id),
        Err(e) if crate::db::is_unique_violation(&e, "users_login_key", "users.login") => {
            Err(AppError::validation("login", Invalid::Taken))
        }
        Err(e) => Err(e.into()),
    }
}

/// Gives a role to a user in a scope.
pub async fn grant_to_user(
    tx: &mut Tx,
    company_id: i64,
    role_id: i64,
    user_id: i64,
    scope: Scope,
) -> Result<i64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO role_grants (company_id, role_id, user_id, scope, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(company_id).bind(role_id).bind(user_id).bind(scope.as_db()).bind(chrono::Utc::now())
        .fetch_one(conn).await)?)
}

/// Names the buildings (scope `Buildings`) or work areas (scope `WorkAreas`) a grant holds in.
/// The caller has checked that the targets belong to the grant's company.
pub async fn add_grant_targets(
    tx: &mut Tx,
    grant_id: i64,
    scope: Scope,
    targets: &[i64],
) -> Result<(), AppError> {
    let sql = match scope {
        Scope::Buildings => {
            "INSERT INTO role_grant_targets (grant_id, building_id) VALUES ($1, $2)"
        }
        Scope::WorkAreas => {
            "INSERT INTO role_grant_targets (grant_id, work_area_id) VALUES ($1, $2)"
        }
        _ => return Ok(()),
    };
    for t in targets {
        on_tx!(tx, conn => sqlx::query(sql).bind(grant_id).bind(*t).execute(conn).await.map(|_| ()))?;
    }
    Ok(())
}

/// Creates a group (department) and gives it a role in a scope; returns the group id.
pub async fn create_group_with_role(
    tx: &mut Tx,
    company_id: i64,
    name: &str,
    role_id: i64,
    scope: Scope,
) -> Result<i64, AppError> {
    let now = chrono::Utc::now();
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO user_groups (company_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(company_id).bind(name).bind(now).fetch_one(conn).await)?;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO role_grants (company_id, role_id, group_id, scope, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(company_id).bind(role_id).bind(id).bind(scope.as_db()).bind(now)
        .execute(conn).await.map(|_| ()))?;
    Ok(id)
}

/// Adds a user to a group.
pub async fn add_to_group(tx: &mut Tx, group_id: i64, user_id: i64) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("INSERT INTO user_group_members (group_id, user_id) VALUES ($1, $2)")
        .bind(group_id).bind(user_id).execute(conn).await.map(|_| ()))?;
    Ok(())
}

/// A resident account to create (by an invitation or demo data). It belongs to the person, not to
/// a company: units of any company link to it.
pub struct NewResident<'a> {
    pub phone: &'a crate::values::Phone,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
}

/// Inserts a resident user; a taken phone is a `Validation` error on `phone`.
pub async fn insert_resident(tx: &mut Tx, u: &NewResident<'_>) -> Result<i64, AppError> {
    let now = chrono::Utc::now();
    let res: Result<i64, sqlx::Error> = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO users (company_id, kind, phone, display_name, password_hash, created_at, updated_at) \
         VALUES (NULL, 'resident', $1, $2, $3, $4, $4) RETURNING id")
        .bind(u.phone.as_str()).bind(u.display_name).bind(u.password_hash).bind(now)
        .fetch_one(conn).await);
    match res {
        Ok(id) => Ok(id),
        Err(e) if crate::db::is_unique_violation(&e, "users_phone_key", "users.phone") => {
            Err(AppError::validation("phone", Invalid::Taken))
        }
        Err(e) => Err(e.into()),
    }
}
