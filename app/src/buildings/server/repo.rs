//! SQL of buildings, units and work areas, with named rows. One query text serves both
//! backends. No permission checks here: the service decides who may call what and passes only
//! trusted SQL filters.

use crate::AppError;
use crate::Invalid;
use crate::buildings::model::{Address, CheckedUnit, PlannedEntrance, PlannedUnit};
use crate::db::{Db, Tx, is_unique_violation};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// The company of a building.
pub async fn building_company(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT company_id FROM buildings WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

/// Where a unit belongs.
#[derive(sqlx::FromRow)]
pub struct UnitOwner {
    pub company_id: i64,
    pub building_id: i64,
}

pub async fn unit_owner(db: &Db, id: i64) -> Result<Option<UnitOwner>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT company_id, building_id FROM units WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

/// A building in the list.
#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub street: String,
    pub house: String,
    pub block: String,
    pub year_built: Option<i32>,
    pub entrances: i64,
    pub floors: Option<i32>,
    pub units: i64,
    pub residents: i64,
}

/// Buildings (`b`) matching the filter, by name.
pub async fn summaries(db: &Db, filter: &str) -> Result<Vec<SummaryRow>, AppError> {
    let sql = format!(
        "SELECT b.id, b.name, a.city, a.street, a.house, a.block, b.year_built, \
                (SELECT COUNT(*) FROM entrances e WHERE e.building_id = b.id AND e.kind = 'residential') AS entrances, \
                (SELECT MAX(e.floor_to) FROM entrances e WHERE e.building_id = b.id) AS floors, \
                (SELECT COUNT(*) FROM units u WHERE u.building_id = b.id) AS units, \
                (SELECT COUNT(*) FROM resident_units r JOIN units u ON u.id = r.unit_id \
                  WHERE u.building_id = b.id AND r.status = 'active') AS residents \
         FROM buildings b JOIN addresses a ON a.id = b.address_id \
         WHERE {filter} ORDER BY b.name, b.id"
    );
    Ok(on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
}

/// Finds or creates the address row and records that the company serves it.
pub async fn upsert_address(tx: &mut Tx, company: i64, a: &Address) -> Result<i64, AppError> {
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
pub async fn insert_grid(
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

/// Writes a building; `Validation` on `address` when the company has a building there already.
pub async fn insert_building(
    tx: &mut Tx,
    (company, address): (i64, i64),
    name: &str,
    year_built: Option<i32>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let res: Result<i64, sqlx::Error> = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO buildings (company_id, address_id, name, year_built, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
        .bind(company).bind(address).bind(name).bind(year_built).bind(now)
        .fetch_one(conn).await);
    match res {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e, "buildings_address_key", "buildings.") => {
            Err(AppError::validation("address", Invalid::Taken))
        }
        Err(e) => Err(e.into()),
    }
}

/// A unit as the grid shows it, with its residents' links counted.
#[derive(sqlx::FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub entrance_id: i64,
    pub floor: i32,
    pub position: i32,
    pub number: String,
    pub kind: String,
    pub area_dm2: Option<i64>,
    pub account: Option<String>,
    pub residents: i64,
    pub pending: i64,
}

const UNIT_SQL: &str = "SELECT u.id, u.entrance_id, u.floor, u.position, u.number, u.kind, u.area_dm2, u.account, \
        (SELECT COUNT(*) FROM resident_units r WHERE r.unit_id = u.id AND r.status = 'active') AS residents, \
        (SELECT COUNT(*) FROM resident_units r WHERE r.unit_id = u.id AND r.status = 'pending') AS pending \
     FROM units u";

/// The units on the same floor of the same entrance as `unit`, by place.
pub async fn floor_units(db: &Db, building: i64, unit: i64) -> Result<Vec<UnitRow>, AppError> {
    let sql = format!(
        "{UNIT_SQL} WHERE u.building_id = $1 AND u.entrance_id = (SELECT entrance_id FROM units WHERE id = $2) \
         AND u.floor = (SELECT floor FROM units WHERE id = $2) ORDER BY u.position"
    );
    Ok(on_db!(db, pool => sqlx::query_as(&sql).bind(building).bind(unit).fetch_all(pool).await)?)
}

pub async fn unit_row(db: &Db, id: i64) -> Result<Option<UnitRow>, AppError> {
    let sql = format!("{UNIT_SQL} WHERE u.id = $1");
    Ok(on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
}

/// A building's units without counts (the grid counts links in one grouped query).
#[derive(sqlx::FromRow)]
pub struct BareUnitRow {
    pub id: i64,
    pub entrance_id: i64,
    pub floor: i32,
    pub position: i32,
    pub number: String,
    pub kind: String,
    pub area_dm2: Option<i64>,
    pub account: Option<String>,
}

/// Every unit of a building, top floor first.
pub async fn building_units(db: &Db, building: i64) -> Result<Vec<BareUnitRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, entrance_id, floor, position, number, kind, area_dm2, account FROM units \
         WHERE building_id = $1 ORDER BY floor DESC, position")
        .bind(building).fetch_all(pool).await)?)
}

/// How many rows of a kind (`what`: a status or a relation) a unit has.
#[derive(sqlx::FromRow)]
pub struct UnitCount {
    pub unit_id: i64,
    pub what: String,
    pub n: i64,
}

/// Active and pending residents' links per unit of a building.
pub async fn link_counts(db: &Db, building: i64) -> Result<Vec<UnitCount>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT r.unit_id, r.status AS what, COUNT(*) AS n FROM resident_units r JOIN units u ON u.id = r.unit_id \
         WHERE u.building_id = $1 AND r.status IN ('active', 'pending') GROUP BY r.unit_id, r.status")
        .bind(building).fetch_all(pool).await)?)
}

/// `AND u.id IN (…)` for `only` (ids from the database), or nothing for the whole building.
fn only_units(only: Option<&[i64]>) -> String {
    only.map_or_else(String::new, |ids| {
        format!(" AND u.id IN ({})", crate::db::id_list(ids))
    })
}

/// Current owners and tenants in the people registry per unit of a building (ended tenancies
/// and merged-away people do not count); `only` limits it to some units.
pub async fn relation_counts(
    db: &Db,
    building: i64,
    only: Option<&[i64]>,
    today: NaiveDate,
) -> Result<Vec<UnitCount>, AppError> {
    let only = only_units(only);
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT pu.unit_id, pu.relation AS what, COUNT(*) AS n FROM person_units pu JOIN units u ON u.id = pu.unit_id \
         JOIN people p ON p.id = pu.person_id \
         WHERE u.building_id = $1{only} AND p.merged_into IS NULL AND pu.relation IN ('owner', 'tenant') \
           AND (pu.valid_to IS NULL OR pu.valid_to >= $2) GROUP BY pu.unit_id, pu.relation"))
        .bind(building).bind(today).fetch_all(pool).await)?)
}

/// A unit's imported balance.
#[derive(sqlx::FromRow)]
pub struct BalanceRow {
    pub unit_id: i64,
    pub amount: i64,
    pub as_of: NaiveDate,
}

/// Imported balances of a building's units; `only` limits it to some units.
pub async fn balances(
    db: &Db,
    building: i64,
    only: Option<&[i64]>,
) -> Result<Vec<BalanceRow>, AppError> {
    let only = only_units(only);
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT b.unit_id, b.amount, b.as_of FROM unit_balances b JOIN units u ON u.id = b.unit_id WHERE u.building_id = $1{only}"))
        .bind(building).fetch_all(pool).await)?)
}

/// A unit's imported balance with the import and source that set it.
#[derive(sqlx::FromRow)]
pub struct BalanceSourceRow {
    pub amount: i64,
    pub as_of: NaiveDate,
    pub job_id: Option<i64>,
    pub source: Option<String>,
}

pub async fn unit_balance(db: &Db, unit: i64) -> Result<Option<BalanceSourceRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT b.amount, b.as_of, b.job_id, s.name AS source FROM unit_balances b \
         LEFT JOIN import_jobs j ON j.id = b.job_id LEFT JOIN import_sources s ON s.id = j.source_id \
         WHERE b.unit_id = $1")
        .bind(unit).fetch_optional(pool).await)?)
}

/// A building's name and address.
#[derive(sqlx::FromRow)]
pub struct HeadRow {
    pub name: String,
    pub city: String,
    pub street: String,
    pub house: String,
    pub block: String,
    pub year_built: Option<i32>,
}

pub async fn building_head(db: &Db, id: i64) -> Result<HeadRow, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT b.name, a.city, a.street, a.house, a.block, b.year_built FROM buildings b \
         JOIN addresses a ON a.id = b.address_id WHERE b.id = $1")
        .bind(id).fetch_one(pool).await)?)
}

/// An entrance: name, kind, first and last floor.
#[derive(sqlx::FromRow)]
pub struct EntranceRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub floor_from: i32,
    pub floor_to: i32,
}

pub async fn entrances(db: &Db, building: i64) -> Result<Vec<EntranceRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, kind, floor_from, floor_to FROM entrances WHERE building_id = $1 ORDER BY position, id")
        .bind(building).fetch_all(pool).await)?)
}

pub async fn entrance(db: &Db, id: i64) -> Result<EntranceRow, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, kind, floor_from, floor_to FROM entrances WHERE id = $1")
        .bind(id).fetch_one(pool).await)?)
}

/// A unit's editable fields.
#[derive(sqlx::FromRow)]
pub struct UnitFields {
    pub number: String,
    pub kind: String,
    pub area_dm2: Option<i64>,
    pub account: Option<String>,
}

/// The unit's fields, read under the row lock of the write that follows (PostgreSQL; SQLite's
/// write transaction holds the whole database).
pub async fn unit_fields_locked(tx: &mut Tx, id: i64) -> Result<Option<UnitFields>, AppError> {
    let lock = tx.lock_rows();
    Ok(on_tx!(tx, conn => sqlx::query_as(&format!(
        "SELECT number, kind, area_dm2, account FROM units WHERE id = $1{lock}"))
        .bind(id).fetch_optional(conn).await)?)
}

/// `Validation` on `number` or `account` for a unique violation of the unit's numbers.
fn unit_taken(e: sqlx::Error) -> AppError {
    if is_unique_violation(&e, "units_number_key", "units.number") {
        AppError::validation("number", Invalid::Taken)
    } else if is_unique_violation(&e, "units_account_key", "units.account") {
        AppError::validation("account", Invalid::Taken)
    } else {
        e.into()
    }
}

pub async fn update_unit(
    tx: &mut Tx,
    id: i64,
    u: &CheckedUnit,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE units SET number = $1, kind = $2, area_dm2 = $3, account = $4, updated_at = $5 WHERE id = $6")
        .bind(&u.number).bind(u.kind.as_db()).bind(u.area_dm2).bind(&u.account).bind(now)
        .bind(id).execute(conn).await.map(|_| ()))
    .map_err(unit_taken)
}

/// An id and a name.
#[derive(sqlx::FromRow)]
pub struct NamedRow {
    pub id: i64,
    pub name: String,
}

pub async fn company_buildings(db: &Db, company: i64) -> Result<Vec<NamedRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM buildings WHERE company_id = $1 ORDER BY name, id")
        .bind(company).fetch_all(pool).await)?)
}

pub async fn company_work_areas(db: &Db, company: i64) -> Result<Vec<NamedRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, name FROM work_areas WHERE company_id = $1 ORDER BY name, id")
        .bind(company).fetch_all(pool).await)?)
}

/// A work area.
#[derive(sqlx::FromRow)]
pub struct WorkAreaRow {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// Work areas (`w`) matching the filter, by name.
pub async fn work_areas(db: &Db, filter: &str) -> Result<Vec<WorkAreaRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT w.id, w.name, w.description FROM work_areas w WHERE {filter} ORDER BY w.name, w.id"))
        .fetch_all(pool).await)?)
}

/// A building of a work area.
#[derive(sqlx::FromRow)]
pub struct PartRow {
    pub work_area_id: i64,
    pub building_id: i64,
    pub building: String,
}

/// Buildings of the work areas (`w`) matching `filter`, limited by `reach` over `b.id`.
pub async fn work_area_parts(db: &Db, filter: &str, reach: &str) -> Result<Vec<PartRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT DISTINCT p.work_area_id, b.id AS building_id, b.name AS building FROM work_area_parts p \
         JOIN work_areas w ON w.id = p.work_area_id JOIN buildings b ON b.id = p.building_id \
         WHERE {filter} AND {reach} ORDER BY b.name"))
        .fetch_all(pool).await)?)
}

pub async fn work_area_company(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT company_id FROM work_areas WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

/// Writes a work area (`id`: changes that one); `Validation` on `name` when the company has
/// one by that name.
pub async fn save_work_area(
    tx: &mut Tx,
    (company, id): (i64, Option<i64>),
    name: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let res: Result<i64, sqlx::Error> = match id {
        Some(id) => on_tx!(tx, conn => sqlx::query(
            "UPDATE work_areas SET name = $1, description = $2 WHERE id = $3")
            .bind(name).bind(description).bind(id).execute(conn).await.map(|_| id)),
        None => on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO work_areas (company_id, name, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(company).bind(name).bind(description).bind(now).fetch_one(conn).await),
    };
    match res {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e, "work_areas_name_key", "work_areas.") => {
            Err(AppError::validation("name", Invalid::Taken))
        }
        Err(e) => Err(e.into()),
    }
}

/// Makes the work area's whole buildings exactly `buildings` (parts naming an entrance stay).
pub async fn set_work_area_buildings(
    tx: &mut Tx,
    id: i64,
    buildings: &[i64],
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM work_area_parts WHERE work_area_id = $1 AND entrance_id IS NULL")
        .bind(id).execute(conn).await.map(|_| ()))?;
    for b in buildings {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO work_area_parts (work_area_id, building_id) VALUES ($1, $2)")
            .bind(id).bind(*b).execute(conn).await.map(|_| ()))?;
    }
    Ok(())
}

/// An entrance's building and top floor.
#[derive(sqlx::FromRow)]
pub struct EntranceTop {
    pub building_id: i64,
    pub floor_to: i32,
}

pub async fn entrance_top(db: &Db, id: i64) -> Result<Option<EntranceTop>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT building_id, floor_to FROM entrances WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

pub async fn unit_numbers(db: &Db, building: i64) -> Result<Vec<String>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT number FROM units WHERE building_id = $1")
        .bind(building).fetch_all(pool).await)?)
}

/// Adds a floor of flats on top of an entrance.
pub async fn add_floor(
    tx: &mut Tx,
    (company, building, entrance): (i64, i64, i64),
    units: &[PlannedUnit],
    floor: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for u in units {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO units (company_id, building_id, entrance_id, floor, position, number, kind, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'apartment', $7, $7)")
            .bind(company).bind(building).bind(entrance).bind(u.floor).bind(u.position).bind(&u.number).bind(now)
            .execute(conn).await.map(|_| ()))?;
    }
    on_tx!(tx, conn => sqlx::query("UPDATE entrances SET floor_to = $1 WHERE id = $2")
        .bind(floor).bind(entrance).execute(conn).await.map(|_| ()))?;
    Ok(())
}

/// Shifts the places of the units right of `position` on a floor by `delta`.
pub async fn shift_places(
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

/// Where a unit is and what it is (splits and merges).
#[derive(sqlx::FromRow)]
pub struct Spot {
    pub building_id: i64,
    pub entrance_id: i64,
    pub floor: i32,
    pub position: i32,
    pub kind: String,
    pub number: String,
    pub area_dm2: Option<i64>,
}

pub async fn spot(db: &Db, id: i64) -> Result<Option<Spot>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT building_id, entrance_id, floor, position, kind, number, area_dm2 FROM units WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

/// Writes a new unit at `spot` with `number`; `Validation` on `number` when taken.
pub async fn insert_unit(
    tx: &mut Tx,
    company: i64,
    at: &Spot,
    number: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO units (company_id, building_id, entrance_id, floor, position, number, kind, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id")
        .bind(company).bind(at.building_id).bind(at.entrance_id).bind(at.floor).bind(at.position).bind(number)
        .bind(&at.kind).bind(now)
        .fetch_one(conn).await)
    .map_err(unit_taken)
}

/// Residents' links and invitations of a unit, read inside the write transaction.
pub async fn unit_uses(tx: &mut Tx, id: i64) -> Result<i64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM resident_units WHERE unit_id = $1) + \
                (SELECT COUNT(*) FROM unit_invitations WHERE unit_id = $1)")
        .bind(id).fetch_one(conn).await)?)
}

/// Removes `gone` and gives `keep` the area.
pub async fn merge_units(
    tx: &mut Tx,
    (keep, gone): (i64, i64),
    area: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM units WHERE id = $1")
        .bind(gone).execute(conn).await.map(|_| ()))?;
    on_tx!(tx, conn => sqlx::query("UPDATE units SET area_dm2 = $1, updated_at = $2 WHERE id = $3")
        .bind(area).bind(now).bind(keep).execute(conn).await.map(|_| ()))?;
    Ok(())
}
