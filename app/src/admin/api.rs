//! Server functions of administration. Each checks its permission first (see `access::POLICY`);
//! ids of another company answer `NotFound`.

use super::model::{
    AccessChoices, AuditEntry, AuditFilter, CreatedUser, GroupSummary, GroupUpdate, NewUser,
    PositionInfo, PositionUpdate, RoleDetail, RoleSummary, RoleUpdate, SessionInfo, UserAccess,
    UserSummary,
};
use crate::AppError;
use leptos::prelude::*;

/// Roles of the company. Needs `admin.roles`.
#[server(endpoint = "admin/roles")]
pub async fn admin_roles() -> Result<Vec<RoleSummary>, AppError> {
    crate::api_fn!("/api/admin/roles", |ctx, actor, client| {
        super::server::repo::list_roles(ctx.db(), &actor)
    })
}

/// One role with its own and effective permissions. Needs `admin.roles`.
#[server(endpoint = "admin/role")]
pub async fn admin_role(id: i64) -> Result<RoleDetail, AppError> {
    crate::api_fn!("/api/admin/role", |ctx, actor, client| {
        super::server::repo::role_detail(ctx.db(), &actor, id)
    })
}

/// Saves a role (name, description, parent, permissions). Needs `admin.roles`.
/// Errors: `NotFound`, `Validation` (name empty or taken, parent unknown or a cycle).
#[server(endpoint = "admin/role-save")]
pub async fn admin_role_save(update: RoleUpdate) -> Result<RoleDetail, AppError> {
    crate::api_fn!("/api/admin/role-save", |ctx, actor, client| {
        super::server::repo::save_role(ctx.db(), &actor, &client, update)
    })
}

/// Staff accounts of the company. Needs `admin.users`.
#[server(endpoint = "admin/users")]
pub async fn admin_users() -> Result<Vec<UserSummary>, AppError> {
    crate::api_fn!("/api/admin/users", |ctx, actor, client| {
        super::server::repo::list_users(ctx.db(), &actor)
    })
}

/// Creates a staff account with a role and a temporary password (returned once). Needs `admin.users`.
#[server(endpoint = "admin/user-create")]
pub async fn admin_user_create(user: NewUser) -> Result<CreatedUser, AppError> {
    crate::api_fn!("/api/admin/user-create", |ctx, actor, client| {
        super::server::repo::create_user(ctx.db(), &actor, &client, user)
    })
}

/// Activates or deactivates an account (deactivation ends its sessions). Needs `admin.users`.
#[server(endpoint = "admin/user-active")]
pub async fn admin_user_active(id: i64, active: bool) -> Result<(), AppError> {
    crate::api_fn!("/api/admin/user-active", |ctx, actor, client| {
        super::server::repo::set_active(ctx.db(), &actor, &client, id, active)
    })
}

/// Sets a new temporary password (returned once) and ends the user's sessions. Needs `admin.users`.
#[server(endpoint = "admin/user-reset-password")]
pub async fn admin_user_reset_password(id: i64) -> Result<String, AppError> {
    crate::api_fn!("/api/admin/user-reset-password", |ctx, actor, client| {
        super::server::repo::reset_password(ctx.db(), &actor, &client, id)
    })
}

/// Open sessions of a user. Needs `admin.users`.
#[server(endpoint = "admin/user-sessions")]
pub async fn admin_user_sessions(id: i64) -> Result<Vec<SessionInfo>, AppError> {
    crate::api_fn!("/api/admin/user-sessions", |ctx, actor, client| {
        super::server::repo::user_sessions(ctx.db(), &actor, id)
    })
}

/// Ends one session of a user. Needs `admin.users`.
#[server(endpoint = "admin/session-revoke")]
pub async fn admin_session_revoke(user_id: i64, session: String) -> Result<(), AppError> {
    crate::api_fn!("/api/admin/session-revoke", |ctx, actor, client| {
        super::server::repo::revoke_session(ctx.db(), &actor, &client, user_id, &session)
    })
}

/// The newest audit entries matching the filter. Needs `admin.audit`.
#[server(endpoint = "admin/audit")]
pub async fn admin_audit(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    crate::api_fn!("/api/admin/audit", |ctx, actor, client| {
        super::server::service::audit(ctx.db(), &actor, &filter)
    })
}

/// Groups (departments) of the company with their roles and members. Needs `admin.users`.
#[server(endpoint = "admin/groups")]
pub async fn admin_groups() -> Result<Vec<GroupSummary>, AppError> {
    crate::api_fn!("/api/admin/groups", |ctx, actor, client| {
        super::server::org::list_groups(ctx.db(), &actor)
    })
}

/// Creates or changes a group (name, roles with scopes); returns the groups. Needs `admin.users`.
/// Errors: `NotFound`, `Validation` (name empty or taken, unknown role).
#[server(endpoint = "admin/group-save")]
pub async fn admin_group_save(update: GroupUpdate) -> Result<Vec<GroupSummary>, AppError> {
    crate::api_fn!("/api/admin/group-save", |ctx, actor, client| {
        super::server::org::save_group(ctx.db(), &actor, &client, update)
    })
}

/// Positions of the company (a hierarchy). Needs `admin.users`.
#[server(endpoint = "admin/positions")]
pub async fn admin_positions() -> Result<Vec<PositionInfo>, AppError> {
    crate::api_fn!("/api/admin/positions", |ctx, actor, client| {
        super::server::org::list_positions(ctx.db(), &actor)
    })
}

/// Creates, renames or moves a position; returns the positions. Needs `admin.users`.
/// Errors: `NotFound`, `Validation` (name empty or taken, parent unknown or a cycle).
#[server(endpoint = "admin/position-save")]
pub async fn admin_position_save(update: PositionUpdate) -> Result<Vec<PositionInfo>, AppError> {
    crate::api_fn!("/api/admin/position-save", |ctx, actor, client| {
        super::server::org::save_position(ctx.db(), &actor, &client, update)
    })
}

/// An account's direct roles, groups and position, with the choices. Needs `admin.users`.
#[server(endpoint = "admin/user-access")]
pub async fn admin_user_access(id: i64) -> Result<(UserAccess, AccessChoices), AppError> {
    crate::api_fn!("/api/admin/user-access", |ctx, actor, client| {
        super::server::org::user_access(ctx.db(), &actor, id)
    })
}

/// Replaces an account's direct roles, groups and position (effective on its next request).
/// Needs `admin.users`. Errors: `NotFound`, `Validation` (unknown role/group/position, or
/// removing one's own right to administer accounts).
#[server(endpoint = "admin/user-access-save")]
pub async fn admin_user_access_save(access: UserAccess) -> Result<(), AppError> {
    crate::api_fn!("/api/admin/user-access-save", |ctx, actor, client| {
        super::server::org::save_user_access(ctx.db(), &actor, &client, access)
    })
}
