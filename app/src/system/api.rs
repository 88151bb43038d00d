//! Server functions of the system feature.

use super::model::SystemInfo;
use crate::AppError;
use leptos::prelude::*;

/// The installation's state: version, database, migrations, uptime. Needs `system.view`.
#[server(endpoint = "system/overview")]
pub async fn system_overview() -> Result<SystemInfo, AppError> {
    use crate::api::{Ctx, finish};
    const EP: &str = "/api/system/overview";
    let result = async {
        let ctx = Ctx::from_request(EP)?;
        let actor = ctx.authorize_actor().await?;
        overview(&ctx.app, &actor).await
    };
    finish(EP, result.await)
}

/// Builds the overview (plain async fn, testable without Leptos). The company count is the
/// registry's: the companies this actor sees (every one for the platform operator).
#[cfg(feature = "ssr")]
pub async fn overview(
    app: &crate::api::AppContext,
    actor: &crate::access::server::actor::Actor,
) -> Result<SystemInfo, AppError> {
    let db = &app.db;
    let database_ok = db.ping().await.is_ok();
    let applied = db.applied_migrations().await?;
    let pending = db
        .known_migrations()
        .iter()
        .filter(|k| !applied.iter().any(|a| a.version == k.version))
        .count();
    let companies = i64::try_from(
        crate::companies::server::service::list(
            db,
            actor,
            &crate::companies::model::CompanyQuery::default(),
        )
        .await?
        .len(),
    )
    .unwrap_or(i64::MAX);
    let now = chrono::Utc::now();
    Ok(SystemInfo {
        version: app.version.to_owned(),
        database: db.backend().name().to_owned(),
        database_ok,
        migrations: applied
            .into_iter()
            .map(|m| (m.version, m.description))
            .collect(),
        pending_migrations: pending,
        companies,
        started_at: app.started_at,
        uptime_secs: (now - app.started_at).num_seconds(),
    })
}
