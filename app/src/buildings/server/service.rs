//! Buildings, units and work areas: the use cases (scope, validation, the transaction, the
//! audit entry) over `repo`.
//!
//! Reads are limited to the buildings the actor's permission reaches ([`Reach`]): a building
//! outside it, or of another company, answers `NotFound` exactly like a missing id.

use super::repo::{self, EntranceRow, Spot, UnitCount, UnitRow};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::access::server::{Actor, Reach};
use crate::buildings::model::{
    BuildingGrid, BuildingId, BuildingPlan, BuildingSummary, EntranceKind, FloorAdd, GridEntrance,
    GridUnit, PlannedUnit, ScopeTargets, UnitBalance, UnitDetails, UnitId, UnitKind, UnitMerge,
    UnitSplit, UnitUpdate, WorkArea, WorkAreaUpdate, display_address, format_area,
    next_flat_number,
};
use crate::db::Db;
use chrono::Utc;
use std::collections::HashMap;

/// `Forbidden` unless the permission holds company-wide (creating buildings and work areas:
/// a grant for some buildings does not create others).
fn require_company_wide(actor: &Actor, p: Permission) -> Result<(), AppError> {
    if actor.building_reach(p) == Some(Reach::All) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The building's company if the actor's permission reaches it; otherwise `NotFound`.
pub async fn building_company(
    db: &Db,
    actor: &Actor,
    p: Permission,
    id: i64,
) -> Result<i64, AppError> {
    match repo::building_company(db, id).await? {
        Some(c) if actor.sees_company(c) => {
            actor.require_building(p, id)?;
            Ok(c)
        }
        _ => Err(AppError::NotFound),
    }
}

/// The unit's company and building if the actor's permission reaches its building.
pub async fn unit_place(
    db: &Db,
    actor: &Actor,
    p: Permission,
    id: i64,
) -> Result<(i64, i64), AppError> {
    match repo::unit_owner(db, id).await? {
        Some(o) if actor.sees_company(o.company_id) => {
            actor.require_building(p, o.building_id)?;
            Ok((o.company_id, o.building_id))
        }
        _ => Err(AppError::NotFound),
    }
}

/// Buildings the actor's `buildings.view` reaches, by name.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<BuildingSummary>, AppError> {
    let reach = actor
        .building_reach(Permission::BuildingsView)
        .ok_or(AppError::Forbidden)?;
    let filter = format!(
        "{} AND {}",
        actor.company_sql("b.company_id"),
        reach.sql("b.id")
    );
    Ok(repo::summaries(db, &filter)
        .await?
        .into_iter()
        .map(|r| BuildingSummary {
            id: BuildingId(r.id),
            address: display_address(&r.city, &r.street, &r.house, &r.block),
            name: r.name,
            year_built: r.year_built,
            entrances: r.entrances,
            floors: r.floors.map_or(0, i64::from),
            units: r.units,
            residents: r.residents,
        })
        .collect())
}

/// Creates a building and generates its grid. Needs `buildings.manage` company-wide.
/// Errors: `Validation` (the plan; `address` when the company already has a building there).
pub async fn create(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    plan: &BuildingPlan,
) -> Result<BuildingId, AppError> {
    require_company_wide(actor, Permission::BuildingsManage)?;
    let company = actor.own_company()?;
    let (address, grid) = plan.generate()?;
    let name = plan.display_name(&address);
    let mut tx = db.begin_write().await?;
    let address_id = repo::upsert_address(&mut tx, company, &address).await?;
    let id = repo::insert_building(
        &mut tx,
        (company, address_id),
        &name,
        plan.year_built,
        Utc::now(),
    )
    .await?;
    let units = repo::insert_grid(&mut tx, company, id, &grid).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "building.create",
            entity: "building",
            entity_id: Some(id.to_string()),
            changes: vec![
                ("name", None, Some(name.clone())),
                ("address", None, Some(address.display())),
                ("units", None, Some(units.to_string())),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(building = id, units, "building created");
    Ok(BuildingId(id))
}

fn unit_from_row(r: UnitRow) -> Result<GridUnit, AppError> {
    let kind = UnitKind::from_db(&r.kind).ok_or_else(|| {
        tracing::error!(unit = r.id, kind = %r.kind, "unknown unit kind in the database");
        AppError::Internal
    })?;
    Ok(GridUnit {
        id: UnitId(r.id),
        entrance_id: r.entrance_id,
        floor: r.floor,
        position: r.position,
        number: r.number,
        kind,
        area_dm2: r.area_dm2,
        account: r.account,
        residents: r.residents,
        pending: r.pending,
        owners: 0,
        tenants: 0,
        arrears: None,
    })
}

fn entrance_from_row(r: EntranceRow) -> GridEntrance {
    GridEntrance {
        id: r.id,
        name: r.name,
        kind: EntranceKind::from_db(&r.kind).unwrap_or(EntranceKind::Residential),
        floor_from: r.floor_from,
        floor_to: r.floor_to,
    }
}

/// Counts per unit of two kinds (`first`, everything else): active/pending links,
/// owners/tenants.
fn pairs(rows: Vec<UnitCount>, first: &str) -> HashMap<i64, (i64, i64)> {
    let mut by_unit: HashMap<i64, (i64, i64)> = HashMap::new();
    for r in rows {
        let c = by_unit.entry(r.unit_id).or_default();
        if r.what == first {
            c.0 = r.n;
        } else {
            c.1 = r.n;
        }
    }
    by_unit
}

/// Fills the units' current owners and tenants (on `today`, the company's day) from the people
/// registry and their imported arrears. With `whole_building` the counts cover the building (the grid); otherwise only
/// `units` (a floor, one saved unit) are read.
async fn fill_occupancy(
    db: &Db,
    (building, today): (i64, chrono::NaiveDate),
    units: &mut [GridUnit],
    whole_building: bool,
) -> Result<(), AppError> {
    let ids: Vec<i64> = units.iter().map(|u| u.id.0).collect();
    let only = (!whole_building).then_some(ids.as_slice());
    let relations = pairs(
        repo::relation_counts(db, building, only, today).await?,
        "owner",
    );
    let balances: HashMap<i64, (i64, chrono::NaiveDate)> = repo::balances(db, building, only)
        .await?
        .into_iter()
        .map(|b| (b.unit_id, (b.amount, b.as_of)))
        .collect();
    for u in units {
        let (owners, tenants) = relations.get(&u.id.0).copied().unwrap_or_default();
        u.owners = owners;
        u.tenants = tenants;
        u.arrears = balances.get(&u.id.0).copied();
    }
    Ok(())
}

/// A building with its whole grid. Needs `buildings.view` reaching the building.
pub async fn grid(db: &Db, actor: &Actor, id: i64) -> Result<BuildingGrid, AppError> {
    building_company(db, actor, Permission::BuildingsView, id).await?;
    let head = repo::building_head(db, id).await?;
    let entrances = repo::entrances(db, id).await?;
    // One pass over the units and one grouped count of residents' links, not two subqueries per
    // unit: the tower's 1,320 cells are one page.
    let bare = repo::building_units(db, id).await?;
    let counts = pairs(repo::link_counts(db, id).await?, "active");
    let mut units = bare
        .into_iter()
        .map(|u| {
            let (residents, pending) = counts.get(&u.id).copied().unwrap_or_default();
            unit_from_row(UnitRow {
                id: u.id,
                entrance_id: u.entrance_id,
                floor: u.floor,
                position: u.position,
                number: u.number,
                kind: u.kind,
                area_dm2: u.area_dm2,
                account: u.account,
                residents,
                pending,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    fill_occupancy(db, (id, actor.today()), &mut units, true).await?;
    Ok(BuildingGrid {
        id: BuildingId(id),
        address: display_address(&head.city, &head.street, &head.house, &head.block),
        name: head.name,
        year_built: head.year_built,
        entrances: entrances.into_iter().map(entrance_from_row).collect(),
        units,
        can_edit: actor.reaches(Permission::BuildingsManage, id),
    })
}

/// The unit page: the unit with its place in the building, its neighbours on the floor and the
/// imported balance (the history is the history module's). Needs `buildings.view` reaching the
/// building.
pub async fn unit_page(db: &Db, actor: &Actor, id: UnitId) -> Result<UnitDetails, AppError> {
    let (_, building) = unit_place(db, actor, Permission::BuildingsView, id.0).await?;
    let mut floor = repo::floor_units(db, building, id.0)
        .await?
        .into_iter()
        .map(unit_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    fill_occupancy(db, (building, actor.today()), &mut floor, false).await?;
    let at = floor
        .iter()
        .position(|u| u.id == id)
        .ok_or(AppError::NotFound)?;
    let unit = floor[at].clone();
    let neighbours: Vec<GridUnit> = floor
        .iter()
        .filter(|n| (n.position - unit.position).abs() == 1)
        .cloned()
        .collect();
    let head = repo::building_head(db, building).await?;
    let entrance = repo::entrance(db, unit.entrance_id).await?;
    let balance = repo::unit_balance(db, id.0).await?;
    Ok(UnitDetails {
        unit,
        building_id: BuildingId(building),
        address: display_address(&head.city, &head.street, &head.house, &head.block),
        building_name: head.name,
        entrance: entrance_from_row(entrance),
        neighbours,
        can_edit: actor.reaches(Permission::BuildingsManage, building),
        can_see_people: actor.reaches(Permission::PeopleView, building),
        balance: balance.map(|b| UnitBalance {
            amount: b.amount,
            as_of: b.as_of,
            job: b.job_id,
            source: b.source,
        }),
    })
}

/// Changes a unit's number, kind, area or personal account; its id (and everything that refers
/// to it) stays. Needs `buildings.manage` reaching the building. Errors: `Validation` (a field;
/// `number` or `account` already used), `NotFound`.
pub async fn save_unit(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    update: &UnitUpdate,
) -> Result<GridUnit, AppError> {
    let (company, building) =
        unit_place(db, actor, Permission::BuildingsManage, update.id.0).await?;
    let u = update.check()?;
    let mut tx = db.begin_write().await?;
    // The "before" of the audit entry is read under the same lock as the change: a concurrent
    // edit cannot slip between the two and make the recorded diff wrong. Gone since the check
    // (merged away at the same moment): answered like a missing unit.
    let before = repo::unit_fields_locked(&mut tx, update.id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::update_unit(&mut tx, update.id.0, &u, Utc::now()).await?;
    let area = |v: Option<i64>| v.map(format_area);
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "unit.update",
            entity: "unit",
            entity_id: Some(update.id.0.to_string()),
            changes: vec![
                ("number", Some(before.number), Some(u.number.clone())),
                ("kind", Some(before.kind), Some(u.kind.as_db().to_owned())),
                ("area", area(before.area_dm2), area(u.area_dm2)),
                ("account", before.account, u.account.clone()),
            ]
            .into_iter()
            .filter(|(_, a, b)| a != b)
            .collect(),
        },
    )
    .await?;
    tx.commit().await?;
    let row = repo::unit_row(db, update.id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut unit = [unit_from_row(row)?];
    fill_occupancy(db, (building, actor.today()), &mut unit, false).await?;
    let [unit] = unit;
    Ok(unit)
}

/// The buildings and work areas of the actor's company, as scope targets for the access editor.
pub async fn scope_targets(db: &Db, actor: &Actor) -> Result<ScopeTargets, AppError> {
    company_scope_targets(db, actor.own_company()?).await
}

/// The buildings and work areas of a company, as scope targets (the caller checked the company).
pub async fn company_scope_targets(db: &Db, company: i64) -> Result<ScopeTargets, AppError> {
    let pairs = |rows: Vec<repo::NamedRow>| rows.into_iter().map(|r| (r.id, r.name)).collect();
    Ok(ScopeTargets {
        buildings: pairs(repo::company_buildings(db, company).await?),
        work_areas: pairs(repo::company_work_areas(db, company).await?),
    })
}

/// Work areas of the actor's company with their buildings; with a building-scoped
/// `buildings.view`, only the buildings it reaches and the areas that have any of them.
pub async fn list_work_areas(db: &Db, actor: &Actor) -> Result<Vec<WorkArea>, AppError> {
    let reach = actor
        .building_reach(Permission::BuildingsView)
        .ok_or(AppError::Forbidden)?;
    let filter = actor.company_sql("w.company_id");
    let areas = repo::work_areas(db, &filter).await?;
    let parts = repo::work_area_parts(db, &filter, &reach.sql("b.id")).await?;
    let everything = reach == Reach::All;
    Ok(areas
        .into_iter()
        .filter(|a| everything || parts.iter().any(|p| p.work_area_id == a.id))
        .map(|a| WorkArea {
            buildings: parts
                .iter()
                .filter(|p| p.work_area_id == a.id)
                .map(|p| (BuildingId(p.building_id), p.building.clone()))
                .collect(),
            id: a.id,
            name: a.name,
            description: a.description,
        })
        .collect())
}

/// Creates or changes a work area (name, description, whole buildings). Needs
/// `buildings.manage` company-wide. Errors: `Validation` (name empty or taken, unknown
/// building), `NotFound` (another company's work area).
pub async fn save_work_area(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    update: &WorkAreaUpdate,
) -> Result<i64, AppError> {
    require_company_wide(actor, Permission::BuildingsManage)?;
    let name = crate::values::parse_name(&update.name)?;
    let description = update.description.trim().to_owned();
    if description.chars().count() > 500 {
        return Err(AppError::validation("description", Invalid::TooLong));
    }
    let company = match update.id {
        Some(id) => match repo::work_area_company(db, id).await? {
            Some(c) if actor.sees_company(c) => c,
            _ => return Err(AppError::NotFound),
        },
        None => actor.own_company()?,
    };
    let mut buildings: Vec<i64> = update.buildings.iter().map(|b| b.0).collect();
    buildings.sort_unstable();
    buildings.dedup();
    for b in &buildings {
        if repo::building_company(db, *b).await? != Some(company) {
            return Err(AppError::validation("buildings", Invalid::Unknown));
        }
    }
    let mut tx = db.begin_write().await?;
    let id = repo::save_work_area(
        &mut tx,
        (company, update.id),
        &name,
        &description,
        Utc::now(),
    )
    .await?;
    repo::set_work_area_buildings(&mut tx, id, &buildings).await?;
    let list: Vec<String> = buildings.iter().map(i64::to_string).collect();
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: if update.id.is_some() {
                "work_area.update"
            } else {
                "work_area.create"
            },
            entity: "work_area",
            entity_id: Some(id.to_string()),
            changes: vec![
                ("name", None, Some(name.clone())),
                ("buildings", None, Some(list.join(", "))),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a floor on top of an entrance with `units` new flats. Needs `buildings.manage`
/// reaching the building. Errors: `Validation` (`units` 1–40; `floors` past 100), `NotFound`.
pub async fn add_floor(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    add: &FloorAdd,
) -> Result<(), AppError> {
    let entrance = repo::entrance_top(db, add.entrance_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (building, top) = (entrance.building_id, entrance.floor_to);
    let company = building_company(db, actor, Permission::BuildingsManage, building).await?;
    if !(1..=BuildingPlan::MAX_UNITS_PER_FLOOR).contains(&add.units) {
        return Err(AppError::validation("units", Invalid::Range));
    }
    let floor = top + 1;
    if floor > i32::try_from(BuildingPlan::MAX_FLOORS).unwrap_or(i32::MAX) {
        return Err(AppError::validation("floors", Invalid::Range));
    }
    let numbers = repo::unit_numbers(db, building).await?;
    let first = next_flat_number(numbers.iter().map(String::as_str));
    let units: Vec<PlannedUnit> = (0..add.units)
        .map(|i| PlannedUnit {
            floor,
            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
            number: first.saturating_add(i).to_string(),
            kind: UnitKind::Apartment,
        })
        .collect();
    let mut tx = db.begin_write().await?;
    let place = (company, building, add.entrance_id);
    repo::add_floor(&mut tx, place, &units, floor, Utc::now()).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "building.floor_add",
            entity: "building",
            entity_id: Some(building.to_string()),
            changes: vec![
                ("entrance", None, Some(add.entrance_id.to_string())),
                ("floor", Some(top.to_string()), Some(floor.to_string())),
                ("units", None, Some(add.units.to_string())),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Splits a unit in two: it keeps its id and data; the new unit (same kind, no area) takes the
/// next place on the floor. Errors: `Validation` (`number` format or taken), `NotFound`.
pub async fn split_unit(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    split: &UnitSplit,
) -> Result<UnitId, AppError> {
    let (company, _) = unit_place(db, actor, Permission::BuildingsManage, split.id.0).await?;
    let number = crate::buildings::model::parse_unit_number(&split.new_number)?;
    let old = repo::spot(db, split.id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    repo::shift_places(&mut tx, old.entrance_id, old.floor, old.position, 1).await?;
    let old_number = old.number.clone();
    let next = Spot {
        position: old.position + 1,
        number: number.clone(),
        area_dm2: None,
        ..old
    };
    let id = repo::insert_unit(&mut tx, company, &next, &number, Utc::now()).await?;
    // The new unit's history starts with the split too.
    audit::record_for_unit(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "unit.split",
            entity: "unit",
            entity_id: Some(split.id.0.to_string()),
            changes: vec![(
                "new_unit",
                None,
                Some(format!("{id} ({old_number} → {old_number} + {number})")),
            )],
        },
        id,
    )
    .await?;
    tx.commit().await?;
    Ok(UnitId(id))
}

/// Merges two neighbouring units on one floor: `id` stays with the summed area, `with` is
/// removed. Errors: `Validation` (`with`: not a neighbour on the same floor), `Conflict`
/// (`unit_in_use`: someone is linked to or invited into `with`), `NotFound`.
pub async fn merge_units(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    merge: &UnitMerge,
) -> Result<(), AppError> {
    let (company, building) =
        unit_place(db, actor, Permission::BuildingsManage, merge.id.0).await?;
    let keep = repo::spot(db, merge.id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(gone) = repo::spot(db, merge.with.0).await?.filter(|g| {
        g.building_id == building
            && g.entrance_id == keep.entrance_id
            && g.floor == keep.floor
            && (g.position - keep.position).abs() == 1
    }) else {
        return Err(AppError::validation("with", Invalid::NotNeighbour));
    };
    let area = match (keep.area_dm2, gone.area_dm2) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    };
    let mut tx = db.begin_write().await?;
    // Checked inside the write transaction: a link or invitation added a moment ago must stop
    // the merge, not vanish with the unit.
    if repo::unit_uses(&mut tx, merge.with.0).await? > 0 {
        return Err(AppError::Conflict(crate::Conflict::UnitInUse));
    }
    repo::merge_units(&mut tx, (merge.id.0, merge.with.0), area, Utc::now()).await?;
    repo::shift_places(&mut tx, keep.entrance_id, keep.floor, gone.position, -1).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "unit.merge",
            entity: "unit",
            entity_id: Some(merge.id.0.to_string()),
            changes: vec![(
                "merged",
                None,
                Some(format!(
                    "{} ({}) + {} ({})",
                    merge.id.0, keep.number, merge.with.0, gone.number
                )),
            )],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
