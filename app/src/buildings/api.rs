//! Server functions of the buildings registry. Each checks its permission first (see
//! `access::POLICY`); a building outside the caller's scope answers `NotFound`.

use super::model::{
    BuildingGrid, BuildingId, BuildingPlan, BuildingSummary, FloorAdd, GridUnit, ScopeTargets,
    UnitDetails, UnitId, UnitMerge, UnitSplit, UnitUpdate, WorkArea, WorkAreaUpdate,
};
use crate::AppError;
use leptos::prelude::*;

/// Buildings the caller's `buildings.view` reaches.
#[server(endpoint = "buildings/list")]
pub async fn buildings_list() -> Result<Vec<BuildingSummary>, AppError> {
    crate::api_fn!("/api/buildings/list", |ctx, actor, client| {
        super::server::service::list(ctx.db(), &actor)
    })
}

/// Creates a building and generates its grid. Needs `buildings.manage` company-wide.
/// Errors: `Validation` (a field of the plan; `address` taken), `Forbidden`.
#[server(endpoint = "buildings/create")]
pub async fn building_create(plan: BuildingPlan) -> Result<BuildingId, AppError> {
    crate::api_fn!("/api/buildings/create", |ctx, actor, client| {
        super::server::service::create(ctx.db(), &actor, &client, &plan)
    })
}

/// A building with its whole grid (the шахматка). Needs `buildings.view` reaching it.
#[server(endpoint = "buildings/grid")]
pub async fn get_building_grid(id: BuildingId) -> Result<BuildingGrid, AppError> {
    crate::api_fn!("/api/buildings/grid", |ctx, actor, client| {
        super::server::service::grid(ctx.db(), &actor, id.0)
    })
}

/// The unit page: the unit, its neighbours on the floor, its imported balance and history.
/// Needs `buildings.view` reaching the building (people in the history need `people.view`).
#[server(endpoint = "buildings/unit")]
pub async fn get_unit_page(id: UnitId) -> Result<UnitDetails, AppError> {
    crate::api_fn!("/api/buildings/unit", |ctx, actor, client| {
        super::server::service::unit_page(ctx.db(), &actor, id)
    })
}

/// Changes a unit (number, kind, area, personal account); its id stays. Needs
/// `buildings.manage` reaching the building. Errors: `Validation`, `NotFound`.
#[server(endpoint = "buildings/unit-save")]
pub async fn unit_save(update: UnitUpdate) -> Result<GridUnit, AppError> {
    crate::api_fn!("/api/buildings/unit-save", |ctx, actor, client| {
        super::server::service::save_unit(ctx.db(), &actor, &client, &update)
    })
}

/// Work areas of the company. Needs `buildings.view`.
#[server(endpoint = "buildings/work-areas")]
pub async fn work_areas() -> Result<Vec<WorkArea>, AppError> {
    crate::api_fn!("/api/buildings/work-areas", |ctx, actor, client| {
        super::server::service::list_work_areas(ctx.db(), &actor)
    })
}

/// Creates or changes a work area; returns its id. Needs `buildings.manage` company-wide.
#[server(endpoint = "buildings/work-area-save")]
pub async fn work_area_save(update: WorkAreaUpdate) -> Result<i64, AppError> {
    crate::api_fn!("/api/buildings/work-area-save", |ctx, actor, client| {
        super::server::service::save_work_area(ctx.db(), &actor, &client, &update)
    })
}

/// The buildings and work areas an access scope may name (the access editor). Needs
/// `admin.users`.
#[server(endpoint = "buildings/scope-targets")]
pub async fn admin_scope_targets() -> Result<ScopeTargets, AppError> {
    crate::api_fn!("/api/buildings/scope-targets", |ctx, actor, client| {
        super::server::service::scope_targets(ctx.db(), &actor)
    })
}

/// Adds a floor on top of an entrance with new flats. Needs `buildings.manage` reaching the
/// building. Errors: `Validation` (`units` 1–40, `floors` past 100), `NotFound`.
#[server(endpoint = "buildings/floor-add")]
pub async fn add_floor(add: FloorAdd) -> Result<(), AppError> {
    crate::api_fn!("/api/buildings/floor-add", |ctx, actor, client| {
        super::server::service::add_floor(ctx.db(), &actor, &client, &add)
    })
}

/// Splits a unit in two (it keeps its id; the new one takes `new_number`). Needs
/// `buildings.manage` reaching the building. Errors: `Validation` (`number`), `NotFound`.
#[server(endpoint = "buildings/unit-split")]
pub async fn split_unit(split: UnitSplit) -> Result<UnitId, AppError> {
    crate::api_fn!("/api/buildings/unit-split", |ctx, actor, client| {
        super::server::service::split_unit(ctx.db(), &actor, &client, &split)
    })
}

/// Merges two neighbouring units on a floor (`id` stays). Needs `buildings.manage` reaching the
/// building. Errors: `Validation` (`with` not a neighbour), `Conflict` (`unit_in_use`), `NotFound`.
#[server(endpoint = "buildings/unit-merge")]
pub async fn merge_units(merge: UnitMerge) -> Result<(), AppError> {
    crate::api_fn!("/api/buildings/unit-merge", |ctx, actor, client| {
        super::server::service::merge_units(ctx.db(), &actor, &client, &merge)
    })
}
