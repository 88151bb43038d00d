//! Server functions of administration. Each checks its permission first (see `access::POLICY`);
//! ids of another company answer `NotFound`.

use super::model::{
    AuditEntry, AuditFilter, CreatedUser, NewUser, RoleDetail, RoleSummary, RoleUpdate,
    SessionInfo, UserSummary,
};
use crate::AppError;
use leptos::prelude::*;

/// Runs an admin use case after the policy check: `$body` sees `ctx`, `actor` and `client`.
#[cfg(feature = "ssr")]
macro_rules! admin_fn {
    ($ep:literal, |$ctx:ident, $actor:ident, $client:ident| $body:expr) => {{
        use crate::api::{Ctx, finish};
        const EP: &str = $ep;
        let result = async {
            let $ctx = Ctx::from_request(EP)?;
            let $actor = $ctx.authorize_actor().await?;
            #[allow(unused_variables)]
            let $client = $ctx.client();
            $body.await
        };
        finish(EP, result.await)
    }};
}

/// Roles of the company. Needs `admin.roles`.
#[server(endpoint = "admin/roles")]
pub async fn admin_roles() -> Result<Vec<RoleSummary>, AppError> {
    admin_fn!("/api/admin/roles", |ctx, actor, client| {
        super::server::repo::list_roles(ctx.db(), &actor)
    })
}

/// One role with its own and effective permissions. Needs `admin.roles`.
#[server(endpoint = "admin/role")]
pub async fn admin_role(id: i64) -> Result<RoleDetail, AppError> {
    admin_fn!("/api/admin/role", |ctx, actor, client| {
        super::server::repo::role_detail(ctx.db(), &actor, id)
    })
}

/// Saves a role (name, description, parent, permissions). Needs `admin.roles`.
/// Errors: `NotFound`, `Validation` (name empty or taken, parent unknown or a cycle).
#[server(endpoint = "admin/role-save")]
pub async fn admin_role_save(update: RoleUpdate) -> Result<RoleDetail, AppError> {
    admin_fn!("/api/admin/role-save", |ctx, actor, client| {
        super::server::repo::save_role(ctx.db(), &actor, &client, update)
    })
}

/// Staff accounts of the company. Needs `admin.users`.
#[server(endpoint = "admin/users")]
pub async fn admin_users() -> Result<Vec<UserSummary>, AppError> {
    admin_fn!("/api/admin/users", |ctx, actor, client| {
        super::server::repo::list_users(ctx.db(), &actor)
    })
}

/// Creates a staff account with a role and a temporary password (returned once). Needs `admin.users`.
#[server(endpoint = "admin/user-create")]
pub async fn admin_user_create(user: NewUser) -> Result<CreatedUser, AppError> {
    admin_fn!("/api/admin/user-create", |ctx, actor, client| {
        super::server::repo::create_user(ctx.db(), &actor, &client, user)
    })
}

/// Activates or deactivates an account (deactivation ends its sessions). Needs `admin.users`.
#[server(endpoint = "admin/user-active")]
pub async fn admin_user_active(id: i64, active: bool) -> Result<(), AppError> {
    admin_fn!("/api/admin/user-active", |ctx, actor, client| {
        super::server::repo::set_active(ctx.db(), &actor, &client, id, active)
    })
}

/// Sets a new temporary password (returned once) and ends the user's sessions. Needs `admin.users`.
#[server(endpoint = "admin/user-reset-password")]
pub async fn admin_user_reset_password(id: i64) -> Result<String, AppError> {
    admin_fn!("/api/admin/user-reset-password", |ctx, actor, client| {
        super::server::repo::reset_password(ctx.db(), &actor, &client, id)
    })
}

/// Open sessions of a user. Needs `admin.users`.
#[server(endpoint = "admin/user-sessions")]
pub async fn admin_user_sessions(id: i64) -> Result<Vec<SessionInfo>, AppError> {
    admin_fn!("/api/admin/user-sessions", |ctx, actor, client| {
        super::server::repo::user_sessions(ctx.db(), &actor, id)
    })
}

/// Ends one session of a user. Needs `admin.users`.
#[server(endpoint = "admin/session-revoke")]
pub async fn admin_session_revoke(user_id: i64, session: String) -> Result<(), AppError> {
    admin_fn!("/api/admin/session-revoke", |ctx, actor, client| {
        super::server::repo::revoke_session(ctx.db(), &actor, &client, user_id, &session)
    })
}

/// The newest audit entries matching the filter. Needs `admin.audit`.
#[server(endpoint = "admin/audit")]
pub async fn admin_audit(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    admin_fn!("/api/admin/audit", |ctx, actor, client| {
        super::server::repo::audit_list(ctx.db(), &actor, &filter)
    })
}
