//! Who may call what. Every server function and HTTP route is listed in [`POLICY`] with the access
//! it needs; a server function asks `Ctx::authorize` before doing anything else, and a test fails
//! when a registered server function is missing from the table.

use super::Permission;
use serde::{Deserialize, Serialize};

/// What a caller needs to reach an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    /// Anyone, signed in or not. Only for data that is public anyway.
    Public,
    /// Any signed-in user (their own data only).
    Authenticated,
    /// A signed-in user holding this permission (in the scope of the object touched).
    Permission(Permission),
    /// A resident signed in to the cabinet (their own data only).
    Resident,
    /// The platform operator (a platform administrator): installation-wide settings.
    Operator,
    /// Monitoring: this machine, the addresses in `security.metrics_allow`, or a caller with
    /// `security.metrics_token` (checked by the server crate's `/metrics` handler).
    Monitoring,
}

/// Every server function (by its `/api/...` path) and HTTP route, with the access it needs.
pub const POLICY: &[(&str, Access)] = &[
    // Accounts and sessions.
    ("/api/auth/sign-in", Access::Public),
    ("/api/auth/sign-out", Access::Authenticated),
    ("/api/auth/me", Access::Authenticated),
    ("/api/auth/code-request", Access::Public),
    ("/api/auth/code-sign-in", Access::Public),
    ("/api/auth/sign-out-everywhere", Access::Authenticated),
    ("/api/auth/password-change", Access::Authenticated),
    ("/api/auth/my-sessions", Access::Authenticated),
    // The staff home (each part checks its own permission).
    ("/api/home/today", Access::Authenticated),
    // The installation.
    (
        "/api/system/overview",
        Access::Permission(Permission::SystemView),
    ),
    ("/api/companies/public-contacts", Access::Public),
    (
        "/api/companies/list",
        Access::Permission(Permission::CompaniesView),
    ),
    (
        "/api/companies/types",
        Access::Permission(Permission::CompaniesView),
    ),
    (
        "/api/companies/save",
        Access::Permission(Permission::AdminCompanies),
    ),
    ("/api/companies/type-save", Access::Operator),
    // Buildings, units, work areas.
    (
        "/api/buildings/list",
        Access::Permission(Permission::BuildingsView),
    ),
    (
        "/api/buildings/grid",
        Access::Permission(Permission::BuildingsView),
    ),
    (
        "/api/buildings/unit",
        Access::Permission(Permission::BuildingsView),
    ),
    (
        "/api/history/unit",
        Access::Permission(Permission::BuildingsView),
    ),
    (
        "/api/buildings/work-areas",
        Access::Permission(Permission::BuildingsView),
    ),
    (
        "/api/buildings/create",
        Access::Permission(Permission::BuildingsManage),
    ),
    (
        "/api/buildings/unit-save",
        Access::Permission(Permission::BuildingsManage),
    ),
    (
        "/api/buildings/work-area-save",
        Access::Permission(Permission::BuildingsManage),
    ),
    (
        "/api/buildings/floor-add",
        Access::Permission(Permission::BuildingsManage),
    ),
    (
        "/api/buildings/unit-split",
        Access::Permission(Permission::BuildingsManage),
    ),
    (
        "/api/buildings/unit-merge",
        Access::Permission(Permission::BuildingsManage),
    ),
    // Residents' links to units.
    // The people registry, the client card and search.
    (
        "/api/people/list",
        Access::Permission(Permission::PeopleView),
    ),
    (
        "/api/people/of-unit",
        Access::Permission(Permission::PeopleView),
    ),
    (
        "/api/people/card",
        Access::Permission(Permission::PeopleView),
    ),
    (
        "/api/people/by-phone",
        Access::Permission(Permission::PeopleView),
    ),
    (
        "/api/people/create",
        Access::Permission(Permission::PeopleCreate),
    ),
    (
        "/api/people/update",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/unit-link",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/unit-unlink",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/vehicle-add",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/vehicle-remove",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/consent-set",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/consent-withdraw",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/note-add",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/merge",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/duplicates",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/people/search",
        Access::Permission(Permission::PeopleView),
    ),
    // The phonebook.
    (
        "/api/phonebook/list",
        Access::Permission(Permission::PhonebookView),
    ),
    (
        "/api/phonebook/save",
        Access::Permission(Permission::PhonebookManage),
    ),
    (
        "/api/phonebook/delete",
        Access::Permission(Permission::PhonebookManage),
    ),
    (
        "/api/residents/unit",
        Access::Permission(Permission::PeopleView),
    ),
    (
        "/api/residents/invite",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/residents/invitation-revoke",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/residents/claims",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/residents/claim-decide",
        Access::Permission(Permission::PeopleManage),
    ),
    (
        "/api/residents/link-end",
        Access::Permission(Permission::PeopleManage),
    ),
    // The resident cabinet.
    ("/api/residents/my-units", Access::Resident),
    ("/api/residents/claim-buildings", Access::Resident),
    ("/api/residents/claim", Access::Resident),
    ("/api/residents/my-invitations", Access::Resident),
    ("/api/residents/invitations-accept", Access::Resident),
    // Administration of access.
    (
        "/api/buildings/scope-targets",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/roles",
        Access::Permission(Permission::AdminRoles),
    ),
    (
        "/api/admin/role",
        Access::Permission(Permission::AdminRoles),
    ),
    (
        "/api/admin/role-save",
        Access::Permission(Permission::AdminRoles),
    ),
    (
        "/api/admin/users",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/user-create",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/user-active",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/user-reset-password",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/user-sessions",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/session-revoke",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/groups",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/group-save",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/positions",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/position-save",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/user-access",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/user-access-save",
        Access::Permission(Permission::AdminUsers),
    ),
    (
        "/api/admin/audit",
        Access::Permission(Permission::AdminAudit),
    ),
    // Imports from accounting systems.
    (
        "/api/imports/sources",
        Access::Permission(Permission::PeopleImport),
    ),
    (
        "/api/imports/list",
        Access::Permission(Permission::PeopleImport),
    ),
    (
        "/api/imports/upload",
        Access::Permission(Permission::PeopleImport),
    ),
    (
        "/api/imports/preview",
        Access::Permission(Permission::PeopleImport),
    ),
    (
        "/api/imports/start",
        Access::Permission(Permission::PeopleImport),
    ),
    (
        "/api/imports/status",
        Access::Permission(Permission::PeopleImport),
    ),
    (
        "/api/imports/report",
        Access::Permission(Permission::PeopleImport),
    ),
    // Operational HTTP routes (answered by the server crate, not by server functions).
    ("/healthz", Access::Public),
    ("/readyz", Access::Public),
    ("/metrics", Access::Monitoring),
    // Redirects to the staff page, which checks `people.view` itself.
    ("/people/by-phone/{number}", Access::Public),
];

/// The only endpoints a guard tablet may call: its own account and the pass check. A guard-post
/// session is refused everything else before the function runs, and what these answer must pass
/// the guard field allowlist (`access::server::guard_view`). The passes module adds its checks here.
pub const GUARD_ENDPOINTS: &[&str] = &["/api/auth/me", "/api/auth/sign-out"];

/// Who may open a page (checked by the server before rendering, so a page never flashes for
/// someone who may not see it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAccess {
    /// Anyone.
    Public,
    /// Signed-in staff at their workplace (not residents, not a guard tablet).
    Staff,
    /// A guard post: a guard-tablet session or staff holding `passes.check`.
    GuardPost,
    /// The resident cabinet: a signed-in resident.
    Resident,
    /// A sign-in page: signed-in users are sent to their home instead.
    SignIn,
}

/// Pages by path prefix (longest first wins); anything not listed is public.
pub const PAGES: &[(&str, PageAccess)] = &[
    ("/staff", PageAccess::Staff),
    ("/guard", PageAccess::GuardPost),
    ("/login", PageAccess::SignIn),
    ("/cabinet", PageAccess::Resident),
    ("/cabinet/login", PageAccess::SignIn),
];

/// Where an anonymous visitor of a page signs in: residents on their own page.
pub fn sign_in_page_for(path: &str) -> &'static str {
    if page_access(path) == PageAccess::Resident {
        "/cabinet/login"
    } else {
        "/login"
    }
}

/// The access a page path needs.
pub fn page_access(path: &str) -> PageAccess {
    PAGES
        .iter()
        .filter(|(prefix, _)| path == *prefix || path.starts_with(&format!("{prefix}/")))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or(PageAccess::Public, |(_, a)| *a)
}

/// The access an endpoint needs, or `None` when it is not in the table (which a test forbids).
pub fn access_for(path: &str) -> Option<Access> {
    POLICY.iter().find(|(p, _)| *p == path).map(|(_, a)| *a)
}
