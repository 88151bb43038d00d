//! Demo buildings: real-looking Moscow-region addresses for both demo management companies,
//! including a 25-floor, 6-entrance, 8-flats-per-floor tower (1,200 flats), work areas, the
//! and the building targets of the demo grants scoped to buildings. Residents' links to these
//! units are the residents module's demo, run in the same step.

use crate::AppError;
use crate::buildings::model::{AddressInput, BuildingPlan, Numbering};
use crate::db::Tx;
use crate::fake::DemoRng;
use crate::on_tx;
use chrono::Utc;

struct DemoBuilding {
    company: &'static str,
    name: &'static str,
    city: &'static str,
    street: &'static str,
    house: &'static str,
    block: &'static str,
    year: i32,
    entrances: u32,
    floors: u32,
    per_floor: u32,
    commercial: u32,
    parking: u32,
}

const NORTH: &str = "УК «Северный квартал»";
const RIVER: &str = "УК «Речной берег»";

const DEMO_BUILDINGS: &[DemoBuilding] = &[
    DemoBuilding {
        company: NORTH,
        name: "ЖК «Северный квартал», корпус 1",
        city: "Москва",
        street: "Дмитровское шоссе",
        house: "107",
        block: "1",
        year: 2019,
        entrances: 6,
        floors: 25,
        per_floor: 8,
        commercial: 0,
        parking: 120,
    },
    DemoBuilding {
        company: NORTH,
        name: "Лесная, 12",
        city: "Москва",
        street: "улица Лесная",
        house: "12",
        block: "",
        year: 1978,
        entrances: 4,
        floors: 9,
        per_floor: 4,
        commercial: 2,
        parking: 0,
    },
    DemoBuilding {
        company: NORTH,
        name: "Садовая, 3",
        city: "Москва",
        street: "Садовая улица",
        house: "3",
        block: "",
        year: 1962,
        entrances: 2,
        floors: 5,
        per_floor: 3,
        commercial: 0,
        parking: 0,
    },
    DemoBuilding {
        company: RIVER,
        name: "Набережная, 7",
        city: "Химки",
        street: "Набережная улица",
        house: "7",
        block: "",
        year: 2012,
        entrances: 3,
        floors: 12,
        per_floor: 6,
        commercial: 3,
        parking: 40,
    },
    DemoBuilding {
        company: RIVER,
        name: "Речная, 2",
        city: "Химки",
        street: "Речная улица",
        house: "2",
        block: "",
        year: 1985,
        entrances: 2,
        floors: 9,
        per_floor: 4,
        commercial: 0,
        parking: 0,
    },
];

async fn company_id(tx: &mut Tx, short_name: &str) -> Result<i64, AppError> {
    let id: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM companies WHERE short_name = $1")
        .bind(short_name).fetch_optional(conn).await)?;
    id.ok_or_else(|| {
        tracing::error!(company = short_name, "demo company is missing");
        AppError::Conflict(crate::Conflict::DemoIncomplete)
    })
}

pub async fn seed(tx: &mut Tx, _rng: &mut DemoRng) -> Result<String, AppError> {
    let now = Utc::now();
    let mut ids = Vec::new();
    let mut units = 0;
    for b in DEMO_BUILDINGS {
        let company = company_id(tx, b.company).await?;
        let plan = BuildingPlan {
            name: b.name.to_owned(),
            address: AddressInput {
                region: if b.city == "Москва" {
                    String::new()
                } else {
                    "Московская область".into()
                },
                city: b.city.into(),
                street: b.street.into(),
                house: b.house.into(),
                block: b.block.into(),
            },
            year_built: Some(b.year),
            entrances: b.entrances,
            floors: b.floors,
            units_per_floor: b.per_floor,
            commercial_per_entrance: b.commercial,
            parking_spaces: b.parking,
            first_number: 1,
            numbering: Numbering::Continuous,
        };
        let (address, grid) = plan.generate()?;
        let address_id = super::repo::upsert_address(tx, company, &address).await?;
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO buildings (company_id, address_id, name, year_built, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
            .bind(company).bind(address_id).bind(b.name).bind(b.year).bind(now).fetch_one(conn).await)?;
        units += super::repo::insert_grid(tx, company, id, &grid).await?;
        ids.push((b.company, company, id));
    }
    // Areas and personal accounts, as an accounting export would give them (deterministic).
    on_tx!(tx, conn => sqlx::query(
        "UPDATE units SET area_dm2 = CASE kind WHEN 'parking' THEN 1325 WHEN 'non_residential' THEN 6000 + (id * 7919) % 9000 \
                                      ELSE 3200 + (id * 7919) % 6400 END, \
                          account = '77' || CAST(10000000 + id * 37 AS TEXT)")
        .execute(conn).await.map(|_| ()))?;
    // Work areas: the north company splits its buildings into two districts.
    let north: Vec<(i64, i64)> = ids
        .iter()
        .filter(|b| b.0 == NORTH)
        .map(|b| (b.1, b.2))
        .collect();
    let mut areas = 0;
    if let [(company, tower), (_, lesnaya), (_, sadovaya)] = north[..] {
        for (name, description, buildings) in [
            ("Северный участок", "ЖК «Северный квартал»", vec![tower]),
            ("Старый фонд", "Лесная и Садовая", vec![lesnaya, sadovaya]),
        ] {
            let area: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                "INSERT INTO work_areas (company_id, name, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(company).bind(name).bind(description).bind(now).fetch_one(conn).await)?;
            for b in buildings {
                on_tx!(tx, conn => sqlx::query("INSERT INTO work_area_parts (work_area_id, building_id) VALUES ($1, $2)")
                    .bind(area).bind(b).execute(conn).await.map(|_| ()))?;
            }
            areas += 1;
        }
        // Grants scoped to buildings get targets: object managers run the old buildings, others
        // (customer service, concierges) the whole company's.
        let grants: Vec<(i64, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT g.id, r.code FROM role_grants g JOIN roles r ON r.id = g.role_id \
             WHERE g.company_id = $1 AND g.scope = 'buildings'")
            .bind(company).fetch_all(conn).await)?;
        for (grant, code) in grants {
            let targets = if code.as_deref() == Some("object_manager") {
                vec![lesnaya, sadovaya]
            } else {
                vec![tower, lesnaya, sadovaya]
            };
            crate::access::server::repo::add_grant_targets(
                tx,
                grant,
                crate::access::Scope::Buildings,
                &targets,
            )
            .await?;
        }
    }
    let river: Vec<i64> = ids.iter().filter(|b| b.0 == RIVER).map(|b| b.2).collect();
    if !river.is_empty() {
        let company = ids.iter().find(|b| b.0 == RIVER).map_or(0, |b| b.1);
        let grants: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT id FROM role_grants WHERE company_id = $1 AND scope = 'buildings'")
            .bind(company).fetch_all(conn).await)?;
        for grant in grants {
            crate::access::server::repo::add_grant_targets(
                tx,
                grant,
                crate::access::Scope::Buildings,
                &river,
            )
            .await?;
        }
    }
    Ok(format!(
        "{} buildings, {units} units, {areas} work areas",
        DEMO_BUILDINGS.len()
    ))
}
