//! Residents' links to units: the use cases. A resident account belongs to the person (their
//! phone), not to a company: it may hold units of several management companies, and each company
//! sees and manages only its own links (`resident_units.company_id`), under the name it knows the
//! resident by (`resident_units.display_name`). A resident account reaches a unit only when
//! - staff invited the resident's phone to the unit and the resident signed in with a code sent
//!   to that phone, or accepted the invitation in the cabinet (an account is created at the first
//!   code sign-in if needed), or
//! - the resident claimed the unit in a company they already live with and staff confirmed it.
//!
//! Whatever a company does, its answers are the same whether or not the phone is known to another
//! company. Staff act in the buildings their `people.*` permissions reach; everything is audited.

use super::repo::{self, LinkRow, NewClaimRow, NewInvitationRow, NewLink};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::api::AppContext;
use crate::buildings::model::{BuildingId, UnitId, display_address};
use crate::buildings::server::service::unit_place;
use crate::db::{Db, Tx};
use crate::residents::model::{
    ClaimBuilding, InvitationInfo, LinkInfo, LinkStatus, MyInvitation, MyUnit, NewClaim,
    NewInvitation, UnitResidents,
};
use crate::values::{Phone, Relation, mask_phone};
use chrono::{Duration, Utc};

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

fn link_from_row(r: LinkRow, personal: bool) -> LinkInfo {
    let phone = r.phone.unwrap_or_default();
    LinkInfo {
        id: r.id,
        unit_id: UnitId(r.unit_id),
        unit_label: format!("{} — {}", r.building, r.number),
        name: r.display_name,
        phone: if personal { phone } else { mask_phone(&phone) },
        relation: relation(&r.relation),
        status: LinkStatus::from_db(&r.status).unwrap_or(LinkStatus::Ended),
        claimed: r.source == "claim",
        note: r.note,
        requested_at: r.requested_at,
    }
}

/// Residents linked to a unit (current and past) and open invitations. Needs `people.view`
/// reaching the unit's building; phones only with `people.view_personal_data`.
pub async fn unit_residents(
    db: &Db,
    actor: &Actor,
    unit: UnitId,
) -> Result<UnitResidents, AppError> {
    let (_, building) = unit_place(db, actor, Permission::PeopleView, unit.0).await?;
    let personal = actor.reaches(Permission::PeopleViewPersonalData, building);
    let links = repo::unit_links(db, unit.0).await?;
    let invitations = repo::unit_invitations(db, unit.0, Utc::now()).await?;
    Ok(UnitResidents {
        links: links
            .into_iter()
            .map(|r| link_from_row(r, personal))
            .collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationInfo {
                id: i.id,
                name: i.display_name,
                phone: if personal {
                    i.phone
                } else {
                    mask_phone(&i.phone)
                },
                relation: relation(&i.relation),
                created_at: i.created_at,
                expires_at: i.expires_at,
            })
            .collect(),
        can_manage: actor.reaches(Permission::PeopleManage, building),
    })
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
    let known = repo::known_resident(db, phone.as_str(), company).await?;
    // Checked before anything is written: an invitation whose SMS cannot carry a link is refused.
    let base = match known {
        Some(_) => None,
        None => Some(app.outgoing_base()?),
    };
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let (outcome, entity_id) = if let Some(user_id) = known {
        let link = NewLink {
            company,
            user_id,
            unit: new.unit_id.0,
            relation: new.relation,
            display_name: &name,
            source: "invitation",
            decided_by: Some(actor.user_id),
        };
        repo::activate_link(&mut tx, link, now).await?;
        (Invited::Linked, user_id.to_string())
    } else {
        let invitation = NewInvitationRow {
            company,
            unit: new.unit_id.0,
            phone: phone.as_str(),
            relation: new.relation,
            display_name: &name,
            created_by: actor.user_id,
            created_at: now,
            expires_at: now + Duration::days(INVITATION_DAYS),
        };
        let id = repo::insert_invitation(&mut tx, invitation).await?;
        (Invited::Waiting, id.to_string())
    };
    let linked = outcome == Invited::Linked;
    audit::record_for_unit(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(company),
            action: if linked {
                "resident.link"
            } else {
                "resident.invite"
            },
            entity: if linked { "user" } else { "invitation" },
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
    let unit = repo::open_invitation_unit(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (company, _) = unit_place(db, actor, Permission::PeopleManage, unit).await?;
    let mut tx = db.begin_write().await?;
    repo::revoke_invitation(&mut tx, id, Utc::now()).await?;
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
    let filter = format!(
        "{} AND {}",
        actor.company_sql("r.company_id"),
        reach.sql("u.building_id")
    );
    let rows = repo::pending_links(db, &filter).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let personal = actor.reaches(Permission::PeopleViewPersonalData, r.building_id);
            link_from_row(r, personal)
        })
        .collect())
}

/// The unit, company and status of a link, if `people.manage` reaches it.
async fn managed_link(db: &Db, actor: &Actor, id: i64) -> Result<(i64, i64, String), AppError> {
    let link = repo::link_state(db, id).await?.ok_or(AppError::NotFound)?;
    let (company, _) = unit_place(db, actor, Permission::PeopleManage, link.unit_id).await?;
    Ok((link.unit_id, company, link.status))
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
    let to = if accept {
        LinkStatus::Active
    } else {
        LinkStatus::Rejected
    };
    set_status(db, actor, client, (company, unit), id, ("pending", to)).await
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
    let to = LinkStatus::Ended;
    set_status(db, actor, client, (company, unit), id, ("active", to)).await
}

/// Moves a link from `from` to `to` and records it; `Conflict` when it left `from` meanwhile.
async fn set_status(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    (company, unit): (i64, i64),
    id: i64,
    (from, to): (&str, LinkStatus),
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let changed =
        repo::set_link_status(&mut tx, id, (from, to.as_db()), actor.user_id, Utc::now()).await?;
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
    Ok(repo::my_units(db, actor.user_id)
        .await?
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
    Ok(repo::my_invitations(db, actor.user_id, Utc::now())
        .await?
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
    Ok(repo::claim_buildings(db, actor.user_id)
        .await?
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
    let company = repo::claimable_company(db, c.building_id.0, actor.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = repo::unit_by_number(db, c.building_id.0, &number)
        .await?
        .ok_or_else(|| AppError::validation("number", Invalid::Unknown))?;
    let existing = repo::link_status(db, actor.user_id, unit).await?;
    if matches!(existing.as_deref(), Some("active" | "pending")) {
        return Err(AppError::Conflict(crate::Conflict::AlreadyLinked));
    }
    let mut tx = db.begin_write().await?;
    let claim = NewClaimRow {
        company,
        user_id: actor.user_id,
        unit,
        relation: c.relation,
        note: &note,
        display_name: &actor.name,
        requested_at: Utc::now(),
    };
    // A link that became active or pending since the check above is left as it is.
    if repo::upsert_claim(&mut tx, claim).await? != 1 {
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
    repo::live_invitation(db, phone.as_str(), Utc::now()).await
}

/// Creates a resident account for an invited phone (first sign-in by code) inside `tx`. The
/// account belongs to no company: its units do.
pub async fn create_invited_account(
    tx: &mut Tx,
    phone: &Phone,
    name: &str,
) -> Result<i64, AppError> {
    repo::insert_resident_account(tx, phone.as_str(), name, Utc::now()).await
}

/// Accepts every live invitation for the account's phone, from any company: each becomes an
/// active link under the name that company gave. Called when a resident signs in (the sign-in
/// proved the phone) and when they accept in the cabinet. Returns how many were accepted.
pub async fn accept_invitations(
    db: &Db,
    client: &ClientInfo,
    user_id: i64,
) -> Result<usize, AppError> {
    let Some(Some(phone)) = repo::resident_phone(db, user_id).await? else {
        return Ok(0);
    };
    let now = Utc::now();
    let open = repo::open_invitations(db, &phone, now).await?;
    if open.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    // Accepted units per company: each company's audit log records only its own.
    let mut per_company: Vec<(i64, usize)> = Vec::new();
    for inv in &open {
        if repo::accept_invitation(&mut tx, inv.id, now).await? != 1 {
            continue;
        }
        let link = NewLink {
            company: inv.company_id,
            user_id,
            unit: inv.unit_id,
            relation: relation(&inv.relation),
            display_name: &inv.display_name,
            source: "invitation",
            decided_by: None,
        };
        repo::activate_link(&mut tx, link, now).await?;
        match per_company.last_mut() {
            Some((c, n)) if *c == inv.company_id => *n += 1,
            _ => per_company.push((inv.company_id, 1)),
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
