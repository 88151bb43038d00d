//! Demo residents' links, written in the buildings' demo step (after its buildings): the demo
//! resident owns flat 5 of Лесная, 12 and claims parking space М1 of the tower (waiting for
//! staff); a neighbour's phone is invited to flat 6 (its first code sign-in creates the account);
//! with the second company the second resident owns flat 10 of Набережная, 7 and the first one
//! rents space М5 there: one account, units with two companies.

use super::service::INVITATION_DAYS;
use crate::AppError;
use crate::db::Tx;
use crate::on_tx;
use chrono::{DateTime, Duration, Utc};

/// The phone invited to a flat in the demo: its first code sign-in creates a resident account.
pub const DEMO_INVITED_PHONE: &str = "+79000000003";

/// A demo unit by company, building name and number.
async fn demo_unit(
    tx: &mut Tx,
    company: &str,
    building: &str,
    number: &str,
) -> Result<(i64, i64), AppError> {
    let row: Option<(i64, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT c.id, u.id FROM units u JOIN buildings b ON b.id = u.building_id \
         JOIN companies c ON c.id = b.company_id \
         WHERE c.short_name = $1 AND b.name = $2 AND u.number = $3")
        .bind(company).bind(building).bind(number).fetch_optional(conn).await)?;
    row.ok_or_else(|| {
        tracing::error!(building, unit = number, "demo unit is missing");
        AppError::Conflict(crate::Conflict::DemoIncomplete)
    })
}

/// A demo resident's account: id and name.
async fn resident(tx: &mut Tx, phone: &str) -> Result<Option<(i64, String)>, AppError> {
    Ok(
        on_tx!(tx, conn => sqlx::query_as("SELECT id, display_name FROM users WHERE phone = $1")
        .bind(phone).fetch_optional(conn).await)?,
    )
}

#[allow(clippy::too_many_arguments)]
async fn link(
    tx: &mut Tx,
    (company, unit): (i64, i64),
    (user, name): (i64, &str),
    relation: &str,
    status: &str,
    source: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO resident_units (company_id, user_id, unit_id, relation, status, source, note, display_name, requested_at, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(company).bind(user).bind(unit).bind(relation).bind(status).bind(source).bind(note).bind(name).bind(now)
        .bind((status == "active").then_some(now))
        .execute(conn).await.map(|_| ()))?)
}

pub async fn seed(tx: &mut Tx) -> Result<String, AppError> {
    const NORTH: &str = "УК «Северный квартал»";
    const RIVER: &str = "УК «Речной берег»";
    const TOWER: &str = "ЖК «Северный квартал», корпус 1";
    let now = Utc::now();
    let mut links = 0;
    if let Some((user, name)) = resident(tx, "+79000000001").await? {
        let flat = demo_unit(tx, NORTH, "Лесная, 12", "5").await?;
        let space = demo_unit(tx, NORTH, TOWER, "М1").await?;
        link(
            tx,
            flat,
            (user, &name),
            "owner",
            "active",
            "invitation",
            "",
            now,
        )
        .await?;
        let note = "Арендую место с прошлого года, договор у председателя совета дома";
        link(
            tx,
            space,
            (user, &name),
            "tenant",
            "pending",
            "claim",
            note,
            now,
        )
        .await?;
        links += 2;
    }
    let (company, neighbour) = demo_unit(tx, NORTH, "Лесная, 12", "6").await?;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO unit_invitations (company_id, unit_id, phone, relation, display_name, created_at, expires_at) \
         VALUES ($1, $2, $3, 'owner', 'Соседова Анна Петровна', $4, $5)")
        .bind(company).bind(neighbour).bind(DEMO_INVITED_PHONE).bind(now).bind(now + Duration::days(INVITATION_DAYS))
        .execute(conn).await.map(|_| ()))?;
    for (phone, number, relation) in [
        ("+79000000002", "10", "owner"),
        ("+79000000001", "М5", "tenant"),
    ] {
        let unit = demo_unit(tx, RIVER, "Набережная, 7", number).await?;
        if let Some((user, name)) = resident(tx, phone).await? {
            link(
                tx,
                unit,
                (user, &name),
                relation,
                "active",
                "invitation",
                "",
                now,
            )
            .await?;
            links += 1;
        }
    }
    Ok(format!("{links} residents' links, 1 invitation"))
}
