//! SQL and rules for buildings, units and work areas. One query text serves both backends.
//!
//! Reads are limited to the buildings the actor's permission reaches ([`Reach`]): a building
//! outside it, or of another company, answers `NotFound` exactly like a missing id.

use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::access::server::{Actor, Reach};
use crate::buildings::model::{
    Address, BuildingGrid, BuildingId, BuildingPlan, BuildingSummary, EntranceKind, EventPerson,
    FloorAdd, GridEntrance, GridUnit, PlannedEntrance, PlannedUnit, ScopeTargets, UNIT_HISTORY,
    UnitBalance, UnitDetails, UnitEvent, UnitId, UnitKind, UnitMerge, UnitSplit, UnitUpdate,
    WorkArea, WorkAreaUpdate, display_address, format_area, next_flat_number,
};
use crate::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::Utc;

/// The company new buildings and work areas belong to: the actor's own.
pub(crate) fn own_company(actor: &Actor) -> Result<i64, AppError> {
    actor
        .company_id
        .ok_or_else(|| AppError::validation("company", Invalid::Required))
}

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
    let company: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT company_id FROM buildings WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?;
    match company {
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
    let row: Option<(i64, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT company_id, building_id FROM units WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?;
    match row {
        Some((c, b)) if actor.sees_company(c) => {
            actor.require_building(p, b)?;
            Ok((c, b))
        }
        _ => Err(AppError::NotFound),
    }
}

type SummaryRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<i32>,
    i64,
    Option<i32>,
    i64,
    i64,
);

/// Buildings the actor's `buildings.view` reaches, by name.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<BuildingSummary>, AppError> {
    let reach = actor
        .building_reach(Permission::BuildingsView)
        .ok_or(AppError::Forbidden)?;
    let sql = format!(
        "SELECT b.id, b.name, a.city, a.street, a.house, a.block, b.year_built, \
                (SELECT COUNT(*) FROM entrances e WHERE e.building_id = b.id AND e.kind = 'residential'), \
                (SELECT MAX(e.floor_to) FROM entrances e WHERE e.building_id = b.id), \
                (SELECT COUNT(*) FROM units u WHERE u.building_id = b.id), \
                (SELECT COUNT(*) FROM resident_units r JOIN units u ON u.id = r.unit_id \
                  WHERE u.building_id = b.id AND r.status = 'active') \
         FROM buildings b JOIN addresses a ON a.id = b.address_id \
         WHERE {} AND {} ORDER BY b.name, b.id",
        actor.company_sql("b.company_id"),
        reach.sql("b.id")
    );
    let rows: Vec<SummaryRow> = on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, city, street, house, block, year, entrances, floors, units, residents)| {
                BuildingSummary {
                    id: BuildingId(id),
                    name,
                    address: display_address(&city, &street, &house, &block),
                    year_built: year,
                    entrances,
                    floors: floors.map_or(0, i64::from),
                    units,
                    residents,
                }
            },
        )
        .collect())
}

/// Finds or creates the address row and records that the company serves it.
pub(crate) async fn upsert_address(
    tx: &mut Tx,
    company: i64,
    a: &Address,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let existing: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT id FROM addresses WHERE normalized = $1")
        .bind(&a.normalized).fetch_optional(conn).await)?;
    let id = match existing {
        Some(id) => id,
        None => on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO addresses (region, city, street, house, block, normalized, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(&a.region).bind(&a.city).bind(&a.street).bind(&a.house).bind(&a.block)
            .bind(&a.normalized).bind(now).fetch_one(conn).await)?,
    };
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO company_addresses (company_id, address_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (company_id, address_id) DO NOTHING")
        .bind(company).bind(id).bind(now).execute(conn).await.map(|_| ()))?;
    Ok(id)
}

/// Inserts the planned entrances and units of a building, many rows per statement.
pub(crate) async fn insert_grid(
    tx: &mut Tx,
    company: i64,
    building: i64,
    grid: &[PlannedEntrance],
) -> Result<usize, AppError> {
    const ROWS: usize = 100;
    let now = Utc::now();
    let mut count = 0;
    for (pos, e) in grid.iter().enumerate() {
        let entrance: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO entrances (company_id, building_id, position, name, kind, floor_from, floor_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(company).bind(building).bind(i32::try_from(pos + 1).unwrap_or(i32::MAX))
            .bind(&e.name).bind(e.kind.as_db()).bind(e.floor_from).bind(e.floor_to)
            .fetch_one(conn).await)?;
        for chunk in e.units.chunks(ROWS) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = i * 5;
                    format!(
                        "($1, $2, $3, ${}, ${}, ${}, ${}, ${}, $4, $4)",
                        b + 5,
                        b + 6,
                        b + 7,
                        b + 8,
                        b + 9
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO units (company_id, building_id, entrance_id, floor, position, number, kind, area_dm2, created_at, updated_at) VALUES {}",
                values.join(", ")
            );
            on_tx!(tx, conn => {
                let mut q = sqlx::query(&sql).bind(company).bind(building).bind(entrance).bind(now);
                for u in chunk {
                    q = q.bind(u.floor).bind(u.position).bind(&u.number).bind(u.kind.as_db()).bind(None::<i64>);
                }
                q.execute(conn).await.map(|_| ())
            })?;
            count += chunk.len();
        }
    }
    Ok(count)
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
    let company = own_company(actor)?;
    let (address, grid) = plan.generate()?;
    let name = plan.display_name(&address);
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let address_id = upsert_address(&mut tx, company, &address).await?;
    let res: Result<i64, sqlx::Error> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "INSERT INTO buildings (company_id, address_id, name, year_built, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
        .bind(company).bind(address_id).bind(&name).bind(plan.year_built).bind(now)
        .fetch_one(conn).await);
    let id = match res {
        Ok(id) => id,
        Err(e) if crate::db::is_unique_violation(&e, "buildings_address_key", "buildings.") => {
            return Err(AppError::validation("address", Invalid::Taken));
        }
        Err(e) => return Err(e.into()),
    };
    let units = insert_grid(&mut tx, company, id, &grid).await?;
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

type UnitRow = (
    i64,
    i64,
    i32,
    i32,
    String,
    String,
    Option<i64>,
    Option<String>,
    i64,
    i64,
);

type BareUnitRow = (
    i64,
    i64,
    i32,
    i32,
    String,
    String,
    Option<i64>,
    Option<String>,
);

const UNIT_SQL: &str = "SELECT u.id, u.entrance_id, u.floor, u.position, u.number, u.kind, u.area_dm2, u.account, \
        (SELECT COUNT(*) FROM resident_units r WHERE r.unit_id = u.id AND r.status = 'active'), \
        (SELECT COUNT(*) FROM resident_units r WHERE r.unit_id = u.id AND r.status = 'pending') \
     FROM units u";

fn unit_from_row(r: UnitRow) -> Result<GridUnit, AppError> {
    let kind = UnitKind::from_db(&r.5).ok_or_else(|| {
        tracing::error!(unit = r.0, kind = %r.5, "unknown unit kind in the database");
        AppError::Internal
    })?;
    Ok(GridUnit {
        id: UnitId(r.0),
        entrance_id: r.1,
        floor: r.2,
        position: r.3,
        number: r.4,
        kind,
        area_dm2: r.6,
        account: r.7,
        residents: r.8,
        pending: r.9,
        owners: 0,
        tenants: 0,
        arrears: None,
    })
}

/// Fills the units' current owners and tenants from the people registry (one grouped count;
/// ended tenancies and merged-away people do not count) and their imported arrears. With
/// `whole_building` the counts cover the building (the grid); otherwise only `units` (a floor,
/// one saved unit) are read.
async fn fill_occupancy(
    db: &Db,
    building: i64,
    units: &mut [GridUnit],
    whole_building: bool,
) -> Result<(), AppError> {
    // Ids are integers from the database, so the list is safe to inline.
    let only = if whole_building {
        String::new()
    } else {
        let ids: Vec<String> = units.iter().map(|u| u.id.0.to_string()).collect();
        format!(
            " AND u.id IN ({})",
            if ids.is_empty() {
                "0".to_owned()
            } else {
                ids.join(", ")
            }
        )
    };
    let rows: Vec<(i64, String, i64)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT pu.unit_id, pu.relation, COUNT(*) FROM person_units pu JOIN units u ON u.id = pu.unit_id \
         JOIN people p ON p.id = pu.person_id \
         WHERE u.building_id = $1{only} AND p.merged_into IS NULL AND pu.relation IN ('owner', 'tenant') \
           AND (pu.valid_to IS NULL OR pu.valid_to >= $2) GROUP BY pu.unit_id, pu.relation"))
        .bind(building).bind(Utc::now().date_naive()).fetch_all(pool).await)?;
    let mut by_unit: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for (unit, relation, n) in rows {
        let c = by_unit.entry(unit).or_default();
        if relation == "owner" {
            c.0 = n;
        } else {
            c.1 = n;
        }
    }
    let balances: Vec<(i64, i64, chrono::NaiveDate)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT b.unit_id, b.amount, b.as_of FROM unit_balances b JOIN units u ON u.id = b.unit_id WHERE u.building_id = $1{only}"))
        .bind(building).fetch_all(pool).await)?;
    let balances: std::collections::HashMap<i64, (i64, chrono::NaiveDate)> = balances
        .into_iter()
        .map(|(unit, amount, as_of)| (unit, (amount, as_of)))
        .collect();
    for u in units {
        let (owners, tenants) = by_unit.get(&u.id.0).copied().unwrap_or_default();
        u.owners = owners;
        u.tenants = tenants;
        u.arrears = balances.get(&u.id.0).copied();
    }
    Ok(())
}

/// id, name, kind, first and last floor
type EntranceRow = (i64, String, String, i32, i32);

fn entrance_from_row((id, name, kind, floor_from, floor_to): EntranceRow) -> GridEntrance {
    GridEntrance {
        id,
        name,
        kind: EntranceKind::from_db(&kind).unwrap_or(EntranceKind::Residential),
        floor_from,
        floor_to,
    }
}

/// A building with its whole grid. Needs `buildings.view` reaching the building.
pub async fn grid(db: &Db, actor: &Actor, id: i64) -> Result<BuildingGrid, AppError> {
    building_company(db, actor, Permission::BuildingsView, id).await?;
    let head: (String, String, String, String, String, Option<i32>) = on_db!(db, pool => sqlx::query_as(
        "SELECT b.name, a.city, a.street, a.house, a.block, b.year_built FROM buildings b \
         JOIN addresses a ON a.id = b.address_id WHERE b.id = $1")
        .bind(id).fetch_one(pool).await)?;
    let entrances: Vec<EntranceRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, kind, floor_from, floor_to FROM entrances WHERE building_id = $1 ORDER BY position, id")
        .bind(id).fetch_all(pool).await)?;
    // One pass over the units and one grouped count of residents' links, not two subqueries per
    // unit: the tower's 1,320 cells are one page.
    let units: Vec<BareUnitRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, entrance_id, floor, position, number, kind, area_dm2, account FROM units \
         WHERE building_id = $1 ORDER BY floor DESC, position")
        .bind(id).fetch_all(pool).await)?;
    let links: Vec<(i64, String, i64)> = on_db!(db, pool => sqlx::query_as(
        "SELECT r.unit_id, r.status, COUNT(*) FROM resident_units r JOIN units u ON u.id = r.unit_id \
         WHERE u.building_id = $1 AND r.status IN ('active', 'pending') GROUP BY r.unit_id, r.status")
        .bind(id).fetch_all(pool).await)?;
    let mut counts: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for (unit, status, n) in links {
        let c = counts.entry(unit).or_default();
        if status == "active" {
            c.0 = n;
        } else {
            c.1 = n;
        }
    }
    let units: Vec<UnitRow> = units
        .into_iter()
        .map(|(id, e, f, p, n, k, a, acc)| {
            let (active, pending) = counts.get(&id).copied().unwrap_or_default();
            (id, e, f, p, n, k, a, acc, active, pending)
        })
        .collect();
    let can_edit = actor
        .building_reach(Permission::BuildingsManage)
        .is_some_and(|r| r.contains(id));
    let mut units = units
        .into_iter()
        .map(unit_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    fill_occupancy(db, id, &mut units, true).await?;
    Ok(BuildingGrid {
        id: BuildingId(id),
        name: head.0,
        address: display_address(&head.1, &head.2, &head.3, &head.4),
        year_built: head.5,
        entrances: entrances.into_iter().map(entrance_from_row).collect(),
        units,
        can_edit,
    })
}

type AuditRow = (
    chrono::DateTime<Utc>,
    String,
    String,
    String,
    String,
    Option<String>,
);
type ImportRowRef = (
    chrono::DateTime<Utc>,
    Option<String>,
    i64,
    String,
    i32,
    String,
    String,
);

/// Whether the permission reaches the building.
fn reaches(actor: &Actor, p: Permission, building: i64) -> bool {
    actor
        .building_reach(p)
        .is_some_and(|r| r.contains(building))
}

/// The unit page: the unit with its place in the building, its neighbours on the floor, the
/// imported balance and the history (the unit's own audit entries, entries about people and
/// residents linked to it, and import rows that wrote it). Needs `buildings.view` reaching the
/// building; entries about people need `people.view`, and their details
/// `people.view_personal_data`.
pub async fn unit_page(db: &Db, actor: &Actor, id: UnitId) -> Result<UnitDetails, AppError> {
    let (_, building) = unit_place(db, actor, Permission::BuildingsView, id.0).await?;
    let sql = format!(
        "{UNIT_SQL} WHERE u.building_id = $1 AND u.entrance_id = (SELECT entrance_id FROM units WHERE id = $2) \
         AND u.floor = (SELECT floor FROM units WHERE id = $2) ORDER BY u.position"
    );
    let rows: Vec<UnitRow> = on_db!(db, pool => sqlx::query_as(&sql)
        .bind(building).bind(id.0).fetch_all(pool).await)?;
    let mut floor = rows
        .into_iter()
        .map(unit_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    fill_occupancy(db, building, &mut floor, false).await?;
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
    let head: (String, String, String, String, String) = on_db!(db, pool => sqlx::query_as(
        "SELECT b.name, a.city, a.street, a.house, a.block FROM buildings b \
         JOIN addresses a ON a.id = b.address_id WHERE b.id = $1")
        .bind(building).fetch_one(pool).await)?;
    let entrance: EntranceRow = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, kind, floor_from, floor_to FROM entrances WHERE id = $1")
        .bind(unit.entrance_id).fetch_one(pool).await)?;
    let balance: Option<(i64, chrono::NaiveDate, Option<i64>, Option<String>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT b.amount, b.as_of, b.job_id, s.name FROM unit_balances b \
         LEFT JOIN import_jobs j ON j.id = b.job_id LEFT JOIN import_sources s ON s.id = j.source_id \
         WHERE b.unit_id = $1")
        .bind(id.0).fetch_optional(pool).await)?;
    let people = reaches(actor, Permission::PeopleView, building);
    let personal = reaches(actor, Permission::PeopleViewPersonalData, building);
    let history = unit_history(db, actor, id, people, personal).await?;
    Ok(UnitDetails {
        unit,
        building_id: BuildingId(building),
        building_name: head.0,
        address: display_address(&head.1, &head.2, &head.3, &head.4),
        entrance: entrance_from_row(entrance),
        neighbours,
        can_edit: reaches(actor, Permission::BuildingsManage, building),
        can_see_people: people,
        balance: balance.map(|(amount, as_of, job, source)| UnitBalance {
            amount,
            as_of,
            job,
            source,
        }),
        history,
    })
}

/// The unit's history, newest first. Without `people` only the unit's own changes are listed;
/// without `personal` the changes of entries about people are left out (names stay masked).
async fn unit_history(
    db: &Db,
    actor: &Actor,
    id: UnitId,
    people: bool,
    personal: bool,
) -> Result<Vec<UnitEvent>, AppError> {
    let limit = i64::try_from(UNIT_HISTORY).unwrap_or(100);
    let rows: Vec<AuditRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT at, actor_name, action, entity, changes, entity_id FROM audit_log \
         WHERE (entity = 'unit' AND entity_id = $1) OR unit_id = $2 ORDER BY at DESC, id DESC LIMIT $3")
        .bind(id.0.to_string()).bind(id.0).bind(limit).fetch_all(pool).await)?;
    let imports: Vec<ImportRowRef> = if people {
        on_db!(db, pool => sqlx::query_as(
            "SELECT COALESCE(j.finished_at, j.started_at, j.created_at), us.display_name, j.id, j.file_name, r.row_no, r.outcome, r.detail \
             FROM import_rows r JOIN import_jobs j ON j.id = r.job_id LEFT JOIN users us ON us.id = j.created_by \
             WHERE r.unit_id = $1 ORDER BY j.id DESC, r.row_no DESC LIMIT $2")
            .bind(id.0).bind(limit).fetch_all(pool).await)?
    } else {
        Vec::new()
    };
    // People named by entries about them: linked, unlinked, created with this unit.
    let person_ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.3 == "person")
        .filter_map(|r| r.5.as_deref()?.parse().ok())
        .collect();
    let names: std::collections::HashMap<i64, String> = if people {
        crate::people::server::registry::briefs(db, actor, &person_ids)
            .await?
            .into_iter()
            .map(|b| (b.id.0, b.name))
            .collect()
    } else {
        std::collections::HashMap::new()
    };
    let mut events: Vec<UnitEvent> = rows
        .into_iter()
        .filter(|r| people || r.3 == "unit")
        .map(|(at, actor, action, entity, changes, entity_id)| {
            let about_person = entity != "unit";
            let person = (entity == "person")
                .then(|| entity_id.as_deref().and_then(|e| e.parse::<i64>().ok()))
                .flatten()
                .and_then(|pid| {
                    names.get(&pid).map(|name| EventPerson {
                        id: pid,
                        name: name.clone(),
                    })
                });
            UnitEvent {
                at,
                actor,
                action,
                changes: if about_person && !personal {
                    String::new()
                } else {
                    changes
                },
                person,
                job: None,
            }
        })
        .collect();
    events.extend(
        imports
            .into_iter()
            .map(|(at, by, job, file, row, outcome, detail)| UnitEvent {
                at,
                actor: by.unwrap_or_default(),
                action: format!("import.{outcome}"),
                changes: format!("{file}\n{row}\n{detail}"),
                person: None,
                job: Some(job),
            }),
    );
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    events.truncate(UNIT_HISTORY);
    Ok(events)
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
    // edit cannot slip between the two and make the recorded diff wrong.
    let lock = tx.lock_rows();
    // Gone since the check (merged away at the same moment): answered like a missing unit.
    let before: (String, String, Option<i64>, Option<String>) =
        on_tx!(&mut tx, conn => sqlx::query_as(&format!(
        "SELECT number, kind, area_dm2, account FROM units WHERE id = $1{lock}"))
        .bind(update.id.0).fetch_optional(conn).await)?
        .ok_or(AppError::NotFound)?;
    let res: Result<(), sqlx::Error> = on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE units SET number = $1, kind = $2, area_dm2 = $3, account = $4, updated_at = $5 WHERE id = $6")
        .bind(&u.number).bind(u.kind.as_db()).bind(u.area_dm2).bind(&u.account).bind(Utc::now())
        .bind(update.id.0).execute(conn).await.map(|_| ()));
    match res {
        Ok(()) => {}
        Err(e) if crate::db::is_unique_violation(&e, "units_number_key", "units.number") => {
            return Err(AppError::validation("number", Invalid::Taken));
        }
        Err(e) if crate::db::is_unique_violation(&e, "units_account_key", "units.account") => {
            return Err(AppError::validation("account", Invalid::Taken));
        }
        Err(e) => return Err(e.into()),
    }
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
                ("number", Some(before.0), Some(u.number.clone())),
                ("kind", Some(before.1), Some(u.kind.as_db().to_owned())),
                ("area", area(before.2), area(u.area_dm2)),
                ("account", before.3, u.account.clone()),
            ]
            .into_iter()
            .filter(|(_, a, b)| a != b)
            .collect(),
        },
    )
    .await?;
    tx.commit().await?;
    let sql = format!("{UNIT_SQL} WHERE u.id = $1");
    let row: UnitRow =
        on_db!(db, pool => sqlx::query_as(&sql).bind(update.id.0).fetch_optional(pool).await)?
            .ok_or(AppError::NotFound)?;
    let mut unit = [unit_from_row(row)?];
    fill_occupancy(db, building, &mut unit, false).await?;
    let [unit] = unit;
    Ok(unit)
}

/// The buildings and work areas of a company, as scope targets for the access editor.
pub async fn scope_targets(db: &Db, company: i64) -> Result<ScopeTargets, AppError> {
    let buildings: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM buildings WHERE company_id = $1 ORDER BY name, id")
        .bind(company).fetch_all(pool).await)?;
    let work_areas: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM work_areas WHERE company_id = $1 ORDER BY name, id")
        .bind(company).fetch_all(pool).await)?;
    Ok(ScopeTargets {
        buildings,
        work_areas,
    })
}

/// Work areas of the actor's company with their buildings; with a building-scoped
/// `buildings.view`, only the buildings it reaches and the areas that have any of them.
pub async fn list_work_areas(db: &Db, actor: &Actor) -> Result<Vec<WorkArea>, AppError> {
    let reach = actor
        .building_reach(Permission::BuildingsView)
        .ok_or(AppError::Forbidden)?;
    let filter = actor.company_sql("w.company_id");
    let areas: Vec<(i64, String, String)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT w.id, w.name, w.description FROM work_areas w WHERE {filter} ORDER BY w.name, w.id"))
        .fetch_all(pool).await)?;
    let parts: Vec<(i64, i64, String)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT DISTINCT p.work_area_id, b.id, b.name FROM work_area_parts p \
         JOIN work_areas w ON w.id = p.work_area_id JOIN buildings b ON b.id = p.building_id \
         WHERE {filter} AND {} ORDER BY b.name", reach.sql("b.id")))
        .fetch_all(pool).await)?;
    let everything = reach == Reach::All;
    Ok(areas
        .into_iter()
        .filter(|(id, _, _)| everything || parts.iter().any(|p| p.0 == *id))
        .map(|(id, name, description)| WorkArea {
            id,
            name,
            description,
            buildings: parts
                .iter()
                .filter(|p| p.0 == id)
                .map(|p| (BuildingId(p.1), p.2.clone()))
                .collect(),
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
        Some(id) => {
            let c: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
                "SELECT company_id FROM work_areas WHERE id = $1")
                .bind(id).fetch_optional(pool).await)?;
            match c {
                Some(c) if actor.sees_company(c) => c,
                _ => return Err(AppError::NotFound),
            }
        }
        None => own_company(actor)?,
    };
    let mut buildings: Vec<i64> = update.buildings.iter().map(|b| b.0).collect();
    buildings.sort_unstable();
    buildings.dedup();
    for b in &buildings {
        let c: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
            "SELECT company_id FROM buildings WHERE id = $1")
            .bind(*b).fetch_optional(pool).await)?;
        if c != Some(company) {
            return Err(AppError::validation("buildings", Invalid::Unknown));
        }
    }
    let mut tx = db.begin_write().await?;
    let res: Result<i64, sqlx::Error> = match update.id {
        Some(id) => on_tx!(&mut tx, conn => sqlx::query(
            "UPDATE work_areas SET name = $1, description = $2 WHERE id = $3")
            .bind(&name).bind(&description).bind(id).execute(conn).await.map(|_| id)),
        None => on_tx!(&mut tx, conn => sqlx::query_scalar(
            "INSERT INTO work_areas (company_id, name, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(company).bind(&name).bind(&description).bind(Utc::now()).fetch_one(conn).await),
    };
    let id = match res {
        Ok(id) => id,
        Err(e) if crate::db::is_unique_violation(&e, "work_areas_name_key", "work_areas.") => {
            return Err(AppError::validation("name", Invalid::Taken));
        }
        Err(e) => return Err(e.into()),
    };
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM work_area_parts WHERE work_area_id = $1 AND entrance_id IS NULL")
        .bind(id).execute(conn).await.map(|_| ()))?;
    for b in &buildings {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO work_area_parts (work_area_id, building_id) VALUES ($1, $2)")
            .bind(id).bind(*b).execute(conn).await.map(|_| ()))?;
    }
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

/// Shifts the places of the units right of `position` on a floor by `delta`.
async fn shift_places(
    tx: &mut Tx,
    entrance: i64,
    floor: i32,
    position: i32,
    delta: i32,
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE units SET position = position + $1 WHERE entrance_id = $2 AND floor = $3 AND position > $4")
        .bind(delta).bind(entrance).bind(floor).bind(position).execute(conn).await.map(|_| ()))?;
    Ok(())
}

/// Adds a floor on top of an entrance with `units` new flats. Needs `buildings.manage`
/// reaching the building. Errors: `Validation` (`units` 1–40; `floors` past 100), `NotFound`.
pub async fn add_floor(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    add: &FloorAdd,
) -> Result<(), AppError> {
    let row: Option<(i64, i32)> = on_db!(db, pool => sqlx::query_as(
        "SELECT building_id, floor_to FROM entrances WHERE id = $1")
        .bind(add.entrance_id).fetch_optional(pool).await)?;
    let (building, top) = row.ok_or(AppError::NotFound)?;
    let company = building_company(db, actor, Permission::BuildingsManage, building).await?;
    if !(1..=BuildingPlan::MAX_UNITS_PER_FLOOR).contains(&add.units) {
        return Err(AppError::validation("units", Invalid::Range));
    }
    let floor = top + 1;
    if floor > i32::try_from(BuildingPlan::MAX_FLOORS).unwrap_or(i32::MAX) {
        return Err(AppError::validation("floors", Invalid::Range));
    }
    let numbers: Vec<String> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT number FROM units WHERE building_id = $1")
        .bind(building).fetch_all(pool).await)?;
    let first = next_flat_number(numbers.iter().map(String::as_str));
    let units: Vec<PlannedUnit> = (0..add.units)
        .map(|i| PlannedUnit {
            floor,
            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
            number: first.saturating_add(i).to_string(),
            kind: UnitKind::Apartment,
        })
        .collect();
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    for u in &units {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO units (company_id, building_id, entrance_id, floor, position, number, kind, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'apartment', $7, $7)")
            .bind(company).bind(building).bind(add.entrance_id).bind(u.floor).bind(u.position).bind(&u.number).bind(now)
            .execute(conn).await.map(|_| ()))?;
    }
    on_tx!(&mut tx, conn => sqlx::query("UPDATE entrances SET floor_to = $1 WHERE id = $2")
        .bind(floor).bind(add.entrance_id).execute(conn).await.map(|_| ()))?;
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
    let (company, building) =
        unit_place(db, actor, Permission::BuildingsManage, split.id.0).await?;
    let number = crate::buildings::model::parse_unit_number(&split.new_number)?;
    let (entrance, floor, position, kind, old): (i64, i32, i32, String, String) =
        on_db!(db, pool => sqlx::query_as(
        "SELECT entrance_id, floor, position, kind, number FROM units WHERE id = $1")
        .bind(split.id.0).fetch_optional(pool).await)?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    shift_places(&mut tx, entrance, floor, position, 1).await?;
    let res: Result<i64, sqlx::Error> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "INSERT INTO units (company_id, building_id, entrance_id, floor, position, number, kind, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id")
        .bind(company).bind(building).bind(entrance).bind(floor).bind(position + 1).bind(&number).bind(&kind).bind(now)
        .fetch_one(conn).await);
    let id = match res {
        Ok(id) => id,
        Err(e) if crate::db::is_unique_violation(&e, "units_number_key", "units.number") => {
            return Err(AppError::validation("number", Invalid::Taken));
        }
        Err(e) => return Err(e.into()),
    };
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
                Some(format!("{id} ({old} → {old} + {number})")),
            )],
        },
        id,
    )
    .await?;
    tx.commit().await?;
    Ok(UnitId(id))
}

/// building, entrance, floor, place, area, number
type Place = (i64, i64, i32, i32, Option<i64>, String);

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
    let place = |id: i64| async move {
        let row: Option<Place> = on_db!(db, pool => sqlx::query_as(
            "SELECT building_id, entrance_id, floor, position, area_dm2, number FROM units WHERE id = $1")
            .bind(id).fetch_optional(pool).await)?;
        Ok::<_, AppError>(row)
    };
    let keep = place(merge.id.0).await?.ok_or(AppError::NotFound)?;
    let gone = place(merge.with.0).await?;
    let Some(gone) = gone
        .filter(|g| g.0 == building && g.1 == keep.1 && g.2 == keep.2 && (g.3 - keep.3).abs() == 1)
    else {
        return Err(AppError::validation("with", Invalid::NotNeighbour));
    };
    let area = match (keep.4, gone.4) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    };
    let mut tx = db.begin_write().await?;
    // Checked inside the write transaction: a link or invitation added a moment ago must stop
    // the merge, not vanish with the unit.
    let used: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM resident_units WHERE unit_id = $1) + \
                (SELECT COUNT(*) FROM unit_invitations WHERE unit_id = $1)")
        .bind(merge.with.0).fetch_one(conn).await)?;
    if used > 0 {
        return Err(AppError::Conflict(crate::Conflict::UnitInUse));
    }
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM units WHERE id = $1")
        .bind(merge.with.0).execute(conn).await.map(|_| ()))?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE units SET area_dm2 = $1, updated_at = $2 WHERE id = $3")
        .bind(area).bind(Utc::now()).bind(merge.id.0).execute(conn).await.map(|_| ()))?;
    shift_places(&mut tx, keep.1, keep.2, gone.3, -1).await?;
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
                    merge.id.0, keep.5, merge.with.0, gone.5
                )),
            )],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
