//! The company registry: management companies (УК), contractors and service providers.
//!
//! Every company-owned row in Platforma points at a company. Staff with `companies.view` see
//! the list (public legal-entity data); `admin.companies` creates and edits companies, the
//! platform operator their types. A signed-in resident sees the public contacts (dispatch phones)
//! of the management companies they have units with. Isolation: company-owned queries filter by
//! the actor's company (`Actor::company_sql`).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
