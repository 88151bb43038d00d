//! Server functions of the unit history. Each checks its permission first (see `access::POLICY`).

use super::model::UnitEvent;
use crate::AppError;
use crate::buildings::model::UnitId;
use leptos::prelude::*;

/// The unit's history, newest first. Needs `buildings.view` reaching the building; entries
/// about people need `people.view`, and their details `people.view_personal_data`.
#[server(endpoint = "history/unit")]
pub async fn unit_history(unit: UnitId) -> Result<Vec<UnitEvent>, AppError> {
    crate::api_fn!("/api/history/unit", |ctx, actor, client| {
        super::server::service::unit_history(ctx.db(), &actor, unit)
    })
}
