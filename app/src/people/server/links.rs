//! Residents' links to units. A resident account belongs to the person (their phone), not to a
//! company: it may hold units of several management companies, and each company sees and manages
//! only its own links (`resident_units.company_id`), under the name it knows the resident by
//! (`resident_units.display_name`). A resident account reaches a unit only when
//! - staff invited the resident's phone to the unit and the resident signed in with a code sent
//!   to that phone, or accepted the invitation in the cabinet (an account is created at the first
//!   code sign-in if needed), or
//! - the resident claimed the unit in a company they already live with and staff confirmed it.
//!
//! Whatever a company does, its answers are the same whether or not the phone is known to another
//! company. Staff act in the buildings their `people.*` permissions reach; everything is audited.

use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::api::AppContext;
use crate::buildings::model::{BuildingId, UnitId, display_address};
use crate::buildings::server::repo::unit_place;
use crate::db::{Db, Tx};
use crate::people::model::{
    ClaimBuilding, InvitationInfo, LinkInfo, LinkStatus, MyInvitation, MyUnit, NewClaim,
    NewInvitation, Relation, UnitResidents, mask_phone,
};
use crate::values::Phone;
use crate::{on_db, on_tx};
use chrono::{DateTime, Duration, Utc};

/// How long an invitation waits for the resident's first sign-in.
pub const INVITATION_DAYS: i64 = 30;

/// What an invitation did: linked an existing account at once, or waits for a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    Linked,
    Waiting,
}

fn relation(s: &str) -> Relation {
    Relation::from_db(s).unwrap_or(Relation::Occupant)
}

type LinkRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    i64,
);

type InvitationRow = (i64, String, String, String, DateTime<Utc>, DateTime<Utc>);

/// A resident's own unit as the cabinet lists it.
#[derive(sqlx::FromRow)]
struct MyUnitRow {
    link_id: i64,
    unit_id: i64,
    company: String,
    city: String,
    street: String,
    house: String,
    block: String,
    number: String,
    relation: String,
    status: String,
}

/// The name shown to staff is the one their company knows the resident by (its invitation, or the
/// resident's own name on a claim), never a name another company typed.
const LINK_SQL: &str = "SELECT r.id, u.id, b.name, u.number, a.city, a.street, a.house, r.display_name, us.phone, \
        r.relation, r.status, r.source, r.note, r.requested_at, u.building_id \
     FROM resident_units r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = u.building_id \
     JOIN addresses a ON a.id = b.address_id JOIN users us ON us.id = r.user_id";

fn link_from_row(r: LinkRow, personal: bool) -> LinkInfo {
    let phone = r.8.unwrap_or_default();
    LinkInfo {
        id: r.0,
        unit_id: UnitId(r.1),
        unit_label: format!("{} — {}", r.2, r.3),
        name: r.7,
        phone: if personal { phone } else { mask_phone(&phone) },
        relation: relation(&r.9),
        status: LinkStatus::from_db(&r.10).unwrap_or(LinkStatus::Ended),
        claimed: r.11 == "claim",
        note: r.12,
        requested_at: r.13,
    }
}

/// Whether the actor sees personal data in this building.
fn sees_personal(actor: &Actor, building: i64) -> bool {
    actor
        .building_reach(Permission::PeopleViewPersonalData)
        .is_some_and(|r| r.contains(building))
}

/// Residents linked to a unit (current and past) and open invitations. Needs `people.view`
/// reaching the unit's building; phones only with `people.view_personal_data`.
pub async fn unit_residents(
    db: &Db,
    actor: &Actor,
    unit: UnitId,
) -> Result<UnitResidents, AppError> {
    let (_, building) = unit_place(db, actor, Permission::PeopleView, unit.0).await?;
    let personal = sees_personal(actor, building);
    let sql = format!("{LINK_SQL} WHERE r.unit_id = $1 ORDER BY r.status, r.requested_at DESC");
    let rows: Vec<LinkRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(unit.0).fetch_all(pool).await)?;
    let now = Utc::now();
    let inv: Vec<InvitationRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, display_name, phone, relation, created_at, expires_at FROM unit_invitations \
         WHERE unit_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC")
        .bind(unit.0).bind(now).fetch_all(pool).await)?;
    Ok(UnitResidents {
        links: rows
            .into_iter()
            .map(|r| link_from_row(r, personal))
            .collect(),
        invitations: inv
            .into_iter()
            .map(
                |(id, name, phone, rel, created_at, expires_at)| InvitationInfo {
                    id,
                    name,
                    phone: if personal { phone } else { mask_phone(&phone) },
                    relation: relation(&rel),
                    created_at,
                    expires_at,
                },
            )
            .collect(),
        can_manage: actor
            .building_reach(Permission::PeopleManage)
            .is_some_and(|r| r.contains(building)),
    })
}

/// One link to write: which account, which unit of which company, as what, under which name.
struct NewLink<'a> {
    company: i64,
    user_id: i64,
    unit: i64,
    relation: Relation,
    display_name: &'a str,
    source: &'a str,
    decided_by: Option<i64>,
}

/// Links (or re-activates) a resident account to a unit inside `tx`.
async fn activate_link(tx: &mut Tx, link: NewLink<'_>) -> Result<(), AppError> {
    let now = Utc::now();
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO resident_units (company_id, user_id, unit_id, relation, status, source, display_name, requested_at, decided_at, decided_by) \
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $7, $8) \
         ON CONFLICT (user_id, unit_id) DO UPDATE SET relation = excluded.relation, status = 'active', \
             source = excluded.source, display_name = excluded.display_name, decided_at = excluded.decided_at, \
             decided_by = excluded.decided_by")
        .bind(link.company).bind(link.user_id).bind(link.unit).bind(link.relation.as_db()).bind(link.source)
        .bind(link.display_name).bind(now).bind(link.decided_by)
        .execute(conn).await.map(|_| ()))?;
    Ok(())
}

/// Invites a phone number to a unit and sends it an SMS with the cabinet's address. A resident
/// this company already knows (linked to one of its units, now or before) is linked at once; any
/// other phone — new, staff, or a resident known only to other companies — gets the same waiting
/// invitation and SMS, so the answer never tells whether the phone is registered elsewhere. The
/// invitation is accepted at the resident's next sign-in or in their cabinet.
/// Needs `people.manage` reaching the building. Errors: `Validation` (phone, name, and
/// `public_url/missing` when the cabinet's address is not configured: see
/// [`AppContext::outgoing_base`]), `NotFound`.
pub async fn invite(
    app: &AppContext,
    actor: &Actor,
    client: &ClientInfo,
    new: &NewInvitation,
) -> Result<Invited, AppError> {
    let db = &app.db;
    let (company, _) = unit_place(db, actor, Permission::PeopleManage, new.unit_id.0).await?;
    let (phone, name) = new.check()?;
    let known: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.phone = $1 AND u.kind = 'resident' \
         AND EXISTS (SELECT 1 FROM resident_units r WHERE r.user_id = u.id AND r.company_id = $2)")
        .bind(phone.as_str()).bind(company).fetch_optional(pool).await)?;
    // Checked before anything is written: an invitation whose SMS cannot carry a link is refused.
    let base = match known {
        Some(_) => None,
        None => Some(app.outgoing_base()?),
    };
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let (outcome, entity_id) = if let Some(user_id) = known {
        activate_link(
            &mut tx,
            NewLink {
                company,
                user_id,
                unit: new.unit_id.0,
                relation: new.relation,
                display_name: &name,
                source: "invitation",
                decided_by: Some(actor.user_id),
            },
        )
        .await?;
        (Invited::Linked, user_id.to_string())
    } else {
        let id: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
            "INSERT INTO unit_invitations (company_id, unit_id, phone, relation, display_name, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(company).bind(new.unit_id.0).bind(phone.as_str()).bind(new.relation.as_db()).bind(&name)
            .bind(actor.user_id).bind(now).bind(now + Duration::days(INVITATION_DAYS))
            .fetch_one(conn).await)?;
        (Invited::Waiting, id.to_string())
    };
    audit::record_for_unit(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: if outcome == Invited::Linked {
                "resident.link"
            } else {
                "resident.invite"
            },
            entity: if outcome == Invited::Linked {
                "user"
            } else {
                "invitation"
            },
            entity_id: Some(entity_id),
            changes: vec![
                ("unit", None, Some(new.unit_id.0.to_string())),
                ("relation", None, Some(new.relation.as_db().to_owned())),
            ],
        },
        new.unit_id.0,
    )
    .await?;
    tx.commit().await?;
    if let Some(base) = base {
        let sms = crate::sms::Sms {
            to: phone.as_str().to_owned(),
            text: invitation_text(&base),
        };
        // The invitation is saved; a failed SMS is logged and the resident can still sign in.
        if let Err(e) = app.sms.send(&sms).await {
            tracing::warn!(error = %e, "invitation SMS not sent");
        }
    }
    Ok(outcome)
}

/// The invitation SMS: where to sign in (`base` is the configured public address, never a
/// request's `Host`).
pub fn invitation_text(base: &str) -> String {
    format!(
        "Вас пригласили в личный кабинет жителя. Войдите по номеру телефона: {base}/cabinet/login (приглашение действует {INVITATION_DAYS} дней)."
    )
}

/// Withdraws an invitation not yet accepted. Needs `people.manage` reaching the building.
pub async fn revoke_invitation(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: i64,
) -> Result<(), AppError> {
    let unit: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT unit_id FROM unit_invitations WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL")
        .bind(id).fetch_optional(pool).await)?;
    let unit = unit.ok_or(AppError::NotFound)?;
    let (company, _) = unit_place(db, actor, Permission::PeopleManage, unit).await?;
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE unit_invitations SET revoked_at = $1 WHERE id = $2")
        .bind(Utc::now()).bind(id).execute(conn).await.map(|_| ()))?;
    audit::record_for_unit(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "resident.invitation_revoke",
            entity: "invitation",
            entity_id: Some(id.to_string()),
            changes: Vec::new(),
        },
        unit,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The company's claims waiting for staff, in the buildings the actor's `people.manage` reaches.
pub async fn pending_claims(db: &Db, actor: &Actor) -> Result<Vec<LinkInfo>, AppError> {
    let reach = actor
        .building_reach(Permission::PeopleManage)
        .ok_or(AppError::Forbidden)?;
    let company = actor.company_sql("r.company_id");
    let sql = format!(
        "{LINK_SQL} WHERE r.status = 'pending' AND {company} AND {} ORDER BY r.requested_at",
        reach.sql("u.building_id")
    );
    let rows: Vec<LinkRow> = on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let personal = sees_personal(actor, r.14);
            link_from_row(r, personal)
        })
        .collect())
}

/// The unit, company and status of a link, if `people.manage` reaches it.
async fn managed_link(db: &Db, actor: &Actor, id: i64) -> Result<(i64, i64, String), AppError> {
    let row: Option<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT unit_id, status FROM resident_units WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?;
    let (unit, status) = row.ok_or(AppError::NotFound)?;
    let (company, _) = unit_place(db, actor, Permission::PeopleManage, unit).await?;
    Ok((unit, company, status))
}

/// Confirms (`accept`) or turns down a pending claim. Errors: `NotFound`, `Conflict` (not
/// pending any more).
pub async fn decide_claim(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: i64,
    accept: bool,
) -> Result<(), AppError> {
    let (unit, company, status) = managed_link(db, actor, id).await?;
    if status != "pending" {
        return Err(AppError::Conflict(crate::Conflict::NotPending));
    }
    set_status(
        db,
        actor,
        client,
        (company, unit),
        id,
        if accept {
            LinkStatus::Active
        } else {
            LinkStatus::Rejected
        },
        "pending",
    )
    .await
}

/// Ends an active link (the resident moved out or sold the unit).
pub async fn end_link(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: i64,
) -> Result<(), AppError> {
    let (unit, company, status) = managed_link(db, actor, id).await?;
    if status != "active" {
        return Err(AppError::Conflict(crate::Conflict::NotActive));
    }
    set_status(
        db,
        actor,
        client,
        (company, unit),
        id,
        LinkStatus::Ended,
        "active",
    )
    .await
}

async fn set_status(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    (company, unit): (i64, i64),
    id: i64,
    to: LinkStatus,
    from: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let changed: u64 = on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE resident_units SET status = $1, decided_at = $2, decided_by = $3 WHERE id = $4 AND status = $5")
        .bind(to.as_db()).bind(Utc::now()).bind(actor.user_id).bind(id).bind(from)
        .execute(conn).await.map(|r| r.rows_affected()))?;
    if changed != 1 {
        return Err(AppError::Conflict(crate::Conflict::Changed));
    }
    audit::record_for_unit(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "resident.link_status",
            entity: "resident_unit",
            entity_id: Some(id.to_string()),
            changes: vec![("status", Some(from.to_owned()), Some(to.as_db().to_owned()))],
        },
        unit,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The resident's own units in every company: active links and claims in progress (rejected and
/// ended ones are left out), by company.
pub async fn my_units(db: &Db, actor: &Actor) -> Result<Vec<MyUnit>, AppError> {
    let rows: Vec<MyUnitRow> = on_db!(db, pool => sqlx::query_as(
        "SELECT r.id AS link_id, u.id AS unit_id, c.short_name AS company, a.city, a.street, a.house, a.block, \
                u.number, r.relation, r.status \
         FROM resident_units r JOIN units u ON u.id = r.unit_id JOIN buildings b ON b.id = u.building_id \
         JOIN addresses a ON a.id = b.address_id JOIN companies c ON c.id = r.company_id \
         WHERE r.user_id = $1 AND r.status IN ('active', 'pending') \
         ORDER BY c.short_name, r.company_id, r.status, a.street, u.number")
        .bind(actor.user_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| MyUnit {
            link_id: r.link_id,
            unit_id: UnitId(r.unit_id),
            company: r.company,
            address: display_address(&r.city, &r.street, &r.house, &r.block),
            number: r.number,
            relation: relation(&r.relation),
            status: LinkStatus::from_db(&r.status).unwrap_or(LinkStatus::Pending),
        })
        .collect())
}

/// Live invitations to the resident's phone, from any company (the phone is theirs, so are the
/// invitations sent to it).
pub async fn my_invitations(db: &Db, actor: &Actor) -> Result<Vec<MyInvitation>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        company: String,
        city: String,
        street: String,
        house: String,
        block: String,
        number: String,
        relation: String,
    }
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "SELECT c.short_name AS company, a.city, a.street, a.house, a.block, un.number, i.relation \
         FROM unit_invitations i JOIN users us ON us.phone = i.phone AND us.id = $1 \
         JOIN units un ON un.id = i.unit_id JOIN buildings b ON b.id = un.building_id \
         JOIN addresses a ON a.id = b.address_id JOIN companies c ON c.id = i.company_id \
         WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2 \
         ORDER BY c.short_name, a.street, un.number")
        .bind(actor.user_id).bind(Utc::now()).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| MyInvitation {
            company: r.company,
            address: display_address(&r.city, &r.street, &r.house, &r.block),
            number: r.number,
            relation: relation(&r.relation),
        })
        .collect())
}

/// The buildings a resident may claim a unit in: those of the companies they already live with
/// (an active link), by company. Other companies' buildings are not listed.
pub async fn claim_buildings(db: &Db, actor: &Actor) -> Result<Vec<ClaimBuilding>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        company: String,
        city: String,
        street: String,
        house: String,
        block: String,
    }
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "SELECT b.id, c.short_name AS company, a.city, a.street, a.house, a.block \
         FROM buildings b JOIN addresses a ON a.id = b.address_id JOIN companies c ON c.id = b.company_id \
         WHERE b.company_id IN (SELECT r.company_id FROM resident_units r WHERE r.user_id = $1 AND r.status = 'active') \
         ORDER BY c.short_name, a.street, a.house")
        .bind(actor.user_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| ClaimBuilding {
            id: BuildingId(r.id),
            company: r.company,
            address: display_address(&r.city, &r.street, &r.house, &r.block),
        })
        .collect())
}

/// A resident claims a unit in a building of a company they already live with; it waits for that
/// company's staff. Errors: `Validation` (`number`: no such unit; `note`), `Conflict` (already
/// linked or claimed), `NotFound` (a building of a company the resident has no unit with).
pub async fn claim(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    c: &NewClaim,
) -> Result<(), AppError> {
    let (number, note) = c.check()?;
    let company: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT b.company_id FROM buildings b WHERE b.id = $1 AND b.company_id IN \
         (SELECT r.company_id FROM resident_units r WHERE r.user_id = $2 AND r.status = 'active')")
        .bind(c.building_id.0).bind(actor.user_id).fetch_optional(pool).await)?;
    let company = company.ok_or(AppError::NotFound)?;
    let unit: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM units WHERE building_id = $1 AND number = $2")
        .bind(c.building_id.0).bind(&number).fetch_optional(pool).await)?;
    let unit = unit.ok_or_else(|| AppError::validation("number", Invalid::Unknown))?;
    let existing: Option<String> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT status FROM resident_units WHERE user_id = $1 AND unit_id = $2")
        .bind(actor.user_id).bind(unit).fetch_optional(pool).await)?;
    if matches!(existing.as_deref(), Some("active" | "pending")) {
        return Err(AppError::Conflict(crate::Conflict::AlreadyLinked));
    }
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let written: u64 = on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO resident_units (company_id, user_id, unit_id, relation, status, source, note, display_name, requested_at) \
         VALUES ($1, $2, $3, $4, 'pending', 'claim', $5, $6, $7) \
         ON CONFLICT (user_id, unit_id) DO UPDATE SET relation = excluded.relation, status = 'pending', \
             source = 'claim', note = excluded.note, display_name = excluded.display_name, \
             requested_at = excluded.requested_at, decided_at = NULL, decided_by = NULL \
         WHERE resident_units.status NOT IN ('active', 'pending')")
        .bind(company).bind(actor.user_id).bind(unit).bind(c.relation.as_db()).bind(&note).bind(&actor.name).bind(now)
        .execute(conn).await.map(|r| r.rows_affected()))?;
    // A link that became active or pending since the check above is left as it is.
    if written != 1 {
        return Err(AppError::Conflict(crate::Conflict::AlreadyLinked));
    }
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: "resident.claim",
            entity: "unit",
            entity_id: Some(unit.to_string()),
            changes: vec![("relation", None, Some(c.relation.as_db().to_owned()))],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The name on the oldest live invitation for a phone, if any (a code may be sent to it and an
/// account created at its first sign-in).
pub async fn live_invitation(db: &Db, phone: &Phone) -> Result<Option<String>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT display_name FROM unit_invitations \
         WHERE phone = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 \
         ORDER BY created_at, id LIMIT 1")
        .bind(phone.as_str()).bind(Utc::now()).fetch_optional(pool).await)?)
}

/// Creates a resident account for an invited phone (first sign-in by code) inside `tx`. The
/// account belongs to no company: its units do.
pub async fn create_invited_account(
    tx: &mut Tx,
    phone: &Phone,
    name: &str,
) -> Result<i64, AppError> {
    let now = Utc::now();
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO users (company_id, kind, phone, display_name, created_at, updated_at) \
         VALUES (NULL, 'resident', $1, $2, $3, $3) RETURNING id")
        .bind(phone.as_str()).bind(name).bind(now).fetch_one(conn).await)?)
}

/// Accepts every live invitation for the account's phone, from any company: each becomes an
/// active link under the name that company gave. Called when a resident signs in (the sign-in
/// proved the phone) and when they accept in the cabinet. Returns how many were accepted.
pub async fn accept_invitations(
    db: &Db,
    client: &ClientInfo,
    user_id: i64,
) -> Result<usize, AppError> {
    #[derive(sqlx::FromRow)]
    struct Open {
        id: i64,
        company_id: i64,
        unit_id: i64,
        relation: String,
        display_name: String,
    }
    let phone: Option<Option<String>> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT phone FROM users WHERE id = $1 AND kind = 'resident'")
        .bind(user_id).fetch_optional(pool).await)?;
    let Some(Some(phone)) = phone else {
        return Ok(0);
    };
    let now = Utc::now();
    let open: Vec<Open> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, company_id, unit_id, relation, display_name FROM unit_invitations \
         WHERE phone = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 \
         ORDER BY company_id, id")
        .bind(&phone).bind(now).fetch_all(pool).await)?;
    if open.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    // Accepted units per company: each company's audit log records only its own.
    let mut per_company: Vec<(i64, usize)> = Vec::new();
    for inv in &open {
        let won: u64 = on_tx!(&mut tx, conn => sqlx::query(
            "UPDATE unit_invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL")
            .bind(now).bind(inv.id).execute(conn).await.map(|r| r.rows_affected()))?;
        if won == 1 {
            activate_link(
                &mut tx,
                NewLink {
                    company: inv.company_id,
                    user_id,
                    unit: inv.unit_id,
                    relation: relation(&inv.relation),
                    display_name: &inv.display_name,
                    source: "invitation",
                    decided_by: None,
                },
            )
            .await?;
            match per_company.last_mut() {
                Some((c, n)) if *c == inv.company_id => *n += 1,
                _ => per_company.push((inv.company_id, 1)),
            }
        }
    }
    for (company, accepted) in &per_company {
        audit::record(
            &mut tx,
            Who::Named {
                user_id: Some(user_id),
                name: &phone,
            },
            client,
            Entry {
                company_id: Some(*company),
                action: "resident.invitations_accepted",
                entity: "user",
                entity_id: Some(user_id.to_string()),
                changes: vec![("units", None, Some(accepted.to_string()))],
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(per_company.iter().map(|(_, n)| n).sum())
}
