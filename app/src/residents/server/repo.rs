//! SQL of residents' links and invitations, with named rows. No permission checks here: the
//! service decides who may call what and passes trusted SQL filters only.

use crate::AppError;
use crate::db::{Db, Tx};
use crate::values::Relation;
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

/// A link as staff see it: the resident under the name this company knows them by (its
/// invitation, or the resident's own name on a claim), never a name another company typed.
#[derive(sqlx::FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub unit_id: i64,
    pub building_id: i64,
    pub building: String,
    pub number: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub relation: String,
    pub status: String,
    pub source: String,
    pub note: String,
    pub requested_at: DateTime<Utc>,
}

const LINK_SQL: &str = "SELECT r.id, u.id AS unit_id, u.building_id, b.name AS building, u.number, \
        r.display_name, us.phone, r.relation, r.status, r.source, r.note, r.requested_at \
     FROM resident_units r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = u.building_id \
     JOIN users us ON us.id = r.user_id";

/// Every link of a unit, current and past, by status and newest first.
pub async fn unit_links(db: &Db, unit: i64) -> Result<Vec<LinkRow>, AppError> {
    let sql = format!("{LINK_SQL} WHERE r.unit_id = $1 ORDER BY r.status, r.requested_at DESC");
    Ok(on_db!(db, pool => sqlx::query_as(&sql).bind(unit).fetch_all(pool).await)?)
}

/// Claims waiting for staff, oldest first; `filter` is a trusted SQL condition over `r` and `u`.
pub async fn pending_links(db: &Db, filter: &str) -> Result<Vec<LinkRow>, AppError> {
    let sql = format!("{LINK_SQL} WHERE r.status = 'pending' AND {filter} ORDER BY r.requested_at");
    Ok(on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
}

/// An invitation waiting for its resident.
#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub display_name: String,
    pub phone: String,
    pub relation: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The unit's invitations not accepted, withdrawn or expired at `now`, newest first.
pub async fn unit_invitations(
    db: &Db,
    unit: i64,
    now: DateTime<Utc>,
) -> Result<Vec<InvitationRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, display_name, phone, relation, created_at, expires_at FROM unit_invitations \
         WHERE unit_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC")
        .bind(unit).bind(now).fetch_all(pool).await)?)
}

/// The resident account with this phone that has (or had) a unit with the company.
pub async fn known_resident(db: &Db, phone: &str, company: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.phone = $1 AND u.kind = 'resident' \
         AND EXISTS (SELECT 1 FROM resident_units r WHERE r.user_id = u.id AND r.company_id = $2)")
        .bind(phone).bind(company).fetch_optional(pool).await)?)
}

/// One link to write: which account, which unit of which company, as what, under which name.
pub struct NewLink<'a> {
    pub company: i64,
    pub user_id: i64,
    pub unit: i64,
    pub relation: Relation,
    pub display_name: &'a str,
    pub source: &'a str,
    pub decided_by: Option<i64>,
}

/// Links (or re-activates) a resident account to a unit.
pub async fn activate_link(
    tx: &mut Tx,
    link: NewLink<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO resident_units (company_id, user_id, unit_id, relation, status, source, display_name, requested_at, decided_at, decided_by) \
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $7, $8) \
         ON CONFLICT (user_id, unit_id) DO UPDATE SET relation = excluded.relation, status = 'active', \
             source = excluded.source, display_name = excluded.display_name, decided_at = excluded.decided_at, \
             decided_by = excluded.decided_by")
        .bind(link.company).bind(link.user_id).bind(link.unit).bind(link.relation.as_db()).bind(link.source)
        .bind(link.display_name).bind(now).bind(link.decided_by)
        .execute(conn).await.map(|_| ()))?)
}

/// An invitation to write.
pub struct NewInvitationRow<'a> {
    pub company: i64,
    pub unit: i64,
    pub phone: &'a str,
    pub relation: Relation,
    pub display_name: &'a str,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Writes an invitation; returns its id.
pub async fn insert_invitation(tx: &mut Tx, i: NewInvitationRow<'_>) -> Result<i64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO unit_invitations (company_id, unit_id, phone, relation, display_name, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(i.company).bind(i.unit).bind(i.phone).bind(i.relation.as_db()).bind(i.display_name)
        .bind(i.created_by).bind(i.created_at).bind(i.expires_at)
        .fetch_one(conn).await)?)
}

/// The unit of an invitation still open (not accepted, not withdrawn).
pub async fn open_invitation_unit(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT unit_id FROM unit_invitations WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL")
        .bind(id).fetch_optional(pool).await)?)
}

/// Withdraws an invitation.
pub async fn revoke_invitation(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    Ok(
        on_tx!(tx, conn => sqlx::query("UPDATE unit_invitations SET revoked_at = $1 WHERE id = $2")
        .bind(now).bind(id).execute(conn).await.map(|_| ()))?,
    )
}

/// A link's unit and status.
#[derive(sqlx::FromRow)]
pub struct LinkState {
    pub unit_id: i64,
    pub status: String,
}

pub async fn link_state(db: &Db, id: i64) -> Result<Option<LinkState>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT unit_id, status FROM resident_units WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?)
}

/// Moves a link from status `from` to `to`; returns how many rows changed (0 when the link is
/// not in `from` any more).
pub async fn set_link_status(
    tx: &mut Tx,
    id: i64,
    (from, to): (&str, &str),
    decided_by: i64,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE resident_units SET status = $1, decided_at = $2, decided_by = $3 WHERE id = $4 AND status = $5")
        .bind(to).bind(now).bind(decided_by).bind(id).bind(from)
        .execute(conn).await.map(|r| r.rows_affected()))?)
}

/// A resident's own unit as the cabinet lists it.
#[derive(sqlx::FromRow)]
pub struct MyUnitRow {
    pub link_id: i64,
    pub unit_id: i64,
    pub company: String,
    pub city: String,
    pub street: String,
    pub house: String,
    pub block: String,
    pub number: String,
    pub relation: String,
    pub status: String,
}

/// The account's active and pending links in every company, by company.
pub async fn my_units(db: &Db, user: i64) -> Result<Vec<MyUnitRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT r.id AS link_id, u.id AS unit_id, c.short_name AS company, a.city, a.street, a.house, a.block, \
                u.number, r.relation, r.status \
         FROM resident_units r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = u.building_id \
         JOIN addresses a ON a.id = b.address_id JOIN companies c ON c.id = r.company_id \
         WHERE r.user_id = $1 AND r.status IN ('active', 'pending') \
         ORDER BY c.short_name, r.company_id, r.status, a.street, u.number")
        .bind(user).fetch_all(pool).await)?)
}

/// An invitation to the resident's phone, as the cabinet shows it.
#[derive(sqlx::FromRow)]
pub struct MyInvitationRow {
    pub company: String,
    pub city: String,
    pub street: String,
    pub house: String,
    pub block: String,
    pub number: String,
    pub relation: String,
}

/// Live invitations to the account's phone, from any company.
pub async fn my_invitations(
    db: &Db,
    user: i64,
    now: DateTime<Utc>,
) -> Result<Vec<MyInvitationRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT c.short_name AS company, a.city, a.street, a.house, a.block, un.number, i.relation \
         FROM unit_invitations i JOIN users us ON us.phone = i.phone AND us.id = $1 \
         JOIN units un ON un.id = i.unit_id JOIN buildings b ON b.id = un.building_id \
         JOIN addresses a ON a.id = b.address_id JOIN companies c ON c.id = i.company_id \
         WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2 \
         ORDER BY c.short_name, a.street, un.number")
        .bind(user).bind(now).fetch_all(pool).await)?)
}

/// A building a resident may claim a unit in.
#[derive(sqlx::FromRow)]
pub struct ClaimBuildingRow {
    pub id: i64,
    pub company: String,
    pub city: String,
    pub street: String,
    pub house: String,
    pub block: String,
}

/// The buildings of the companies the account has an active link with.
pub async fn claim_buildings(db: &Db, user: i64) -> Result<Vec<ClaimBuildingRow>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT b.id, c.short_name AS company, a.city, a.street, a.house, a.block \
         FROM buildings b JOIN addresses a ON a.id = b.address_id JOIN companies c ON c.id = b.company_id \
         WHERE b.company_id IN (SELECT r.company_id FROM resident_units r WHERE r.user_id = $1 AND r.status = 'active') \
         ORDER BY c.short_name, a.street, a.house")
        .bind(user).fetch_all(pool).await)?)
}

/// The building's company, if the account has an active link with it.
pub async fn claimable_company(db: &Db, building: i64, user: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT b.company_id FROM buildings b WHERE b.id = $1 AND b.company_id IN \
         (SELECT r.company_id FROM resident_units r WHERE r.user_id = $2 AND r.status = 'active')")
        .bind(building).bind(user).fetch_optional(pool).await)?)
}

/// The unit of the building with this number.
pub async fn unit_by_number(db: &Db, building: i64, number: &str) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM units WHERE building_id = $1 AND number = $2")
        .bind(building).bind(number).fetch_optional(pool).await)?)
}

/// The status of the account's link to the unit, if there is one.
pub async fn link_status(db: &Db, user: i64, unit: i64) -> Result<Option<String>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT status FROM resident_units WHERE user_id = $1 AND unit_id = $2")
        .bind(user).bind(unit).fetch_optional(pool).await)?)
}

/// A claim to write.
pub struct NewClaimRow<'a> {
    pub company: i64,
    pub user_id: i64,
    pub unit: i64,
    pub relation: Relation,
    pub note: &'a str,
    pub display_name: &'a str,
    pub requested_at: DateTime<Utc>,
}

/// Writes a pending claim (or turns an ended or rejected link into one); returns how many rows
/// were written (0 when the link is active or pending already).
pub async fn upsert_claim(tx: &mut Tx, c: NewClaimRow<'_>) -> Result<u64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "INSERT INTO resident_units (company_id, user_id, unit_id, relation, status, source, note, display_name, requested_at) \
         VALUES ($1, $2, $3, $4, 'pending', 'claim', $5, $6, $7) \
         ON CONFLICT (user_id, unit_id) DO UPDATE SET relation = excluded.relation, status = 'pending', \
             source = 'claim', note = excluded.note, display_name = excluded.display_name, \
             requested_at = excluded.requested_at, decided_at = NULL, decided_by = NULL \
         WHERE resident_units.status NOT IN ('active', 'pending')")
        .bind(c.company).bind(c.user_id).bind(c.unit).bind(c.relation.as_db()).bind(c.note)
        .bind(c.display_name).bind(c.requested_at)
        .execute(conn).await.map(|r| r.rows_affected()))?)
}

/// The name on the oldest live invitation for a phone.
pub async fn live_invitation(
    db: &Db,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT display_name FROM unit_invitations \
         WHERE phone = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 \
         ORDER BY created_at, id LIMIT 1")
        .bind(phone).bind(now).fetch_optional(pool).await)?)
}

/// Writes a resident account of no company; returns its id.
pub async fn insert_resident_account(
    tx: &mut Tx,
    phone: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO users (company_id, kind, phone, display_name, created_at, updated_at) \
         VALUES (NULL, 'resident', $1, $2, $3, $3) RETURNING id")
        .bind(phone).bind(name).bind(now).fetch_one(conn).await)?)
}

/// The phone of a resident account (`None` when the account is not a resident's).
pub async fn resident_phone(db: &Db, user: i64) -> Result<Option<Option<String>>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT phone FROM users WHERE id = $1 AND kind = 'resident'")
        .bind(user).fetch_optional(pool).await)?)
}

/// A live invitation to accept.
#[derive(sqlx::FromRow)]
pub struct OpenInvitation {
    pub id: i64,
    pub company_id: i64,
    pub unit_id: i64,
    pub relation: String,
    pub display_name: String,
}

/// Live invitations to a phone, by company.
pub async fn open_invitations(
    db: &Db,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<Vec<OpenInvitation>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT id, company_id, unit_id, relation, display_name FROM unit_invitations \
         WHERE phone = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 \
         ORDER BY company_id, id")
        .bind(phone).bind(now).fetch_all(pool).await)?)
}

/// Marks an invitation accepted; returns 1 when this call won it, 0 when it was accepted already.
pub async fn accept_invitation(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE unit_invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL")
        .bind(now).bind(id).execute(conn).await.map(|r| r.rows_affected()))?)
}
