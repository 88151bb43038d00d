//! Server functions of residents' links to units: staff invite, confirm, end; residents see
//! their units and claim one. Each checks its permission first (see `access::POLICY`).

use super::model::{ClaimBuilding, LinkInfo, MyUnit, NewClaim, NewInvitation, UnitResidents};
use crate::AppError;
use crate::buildings::model::UnitId;
use leptos::prelude::*;

/// Residents of a unit and open invitations. Needs `people.view` reaching the building; phones
/// only with `people.view_personal_data`.
#[server(endpoint = "people/unit-residents")]
pub async fn get_unit_residents(unit: UnitId) -> Result<UnitResidents, AppError> {
    crate::api_fn!("/api/people/unit-residents", |ctx, actor, client| {
        super::server::links::unit_residents(ctx.db(), &actor, unit)
    })
}

/// Invites a phone number to a unit and sends it an SMS with the cabinet address; a resident
/// account of the company with that phone is linked at once. Returns true when linked at once.
/// Needs `people.manage` reaching the building. Errors: `Validation`, `NotFound`.
#[server(endpoint = "people/invite")]
pub async fn invite_resident(invitation: NewInvitation) -> Result<bool, AppError> {
    crate::api_fn!("/api/people/invite", |ctx, actor, client| async move {
        use super::server::links::{INVITATION_DAYS, Invited, invite};
        let outcome = invite(ctx.db(), &actor, &client, &invitation).await?;
        if outcome == Invited::Waiting
            && let Ok((phone, _)) = invitation.check()
        {
            let host = ctx
                .parts
                .headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let text = format!(
                "Вас пригласили в личный кабинет жителя. Войдите по номеру телефона: {host}/cabinet/login (приглашение действует {INVITATION_DAYS} дней)."
            );
            let sms = crate::sms::Sms {
                to: phone.as_str().to_owned(),
                text,
            };
            // The invitation is saved; a failed SMS is logged and the resident can still sign in.
            if let Err(e) = ctx.app.sms.send(&sms).await {
                tracing::warn!(error = %e, "invitation SMS not sent");
            }
        }
        Ok(outcome == Invited::Linked)
    })
}

/// Withdraws an invitation not yet accepted. Needs `people.manage` reaching the building.
#[server(endpoint = "people/invitation-revoke")]
pub async fn invitation_revoke(id: i64) -> Result<(), AppError> {
    crate::api_fn!("/api/people/invitation-revoke", |ctx, actor, client| {
        super::server::links::revoke_invitation(ctx.db(), &actor, &client, id)
    })
}

/// Residents' claims waiting for staff. Needs `people.manage` (in its scope).
#[server(endpoint = "people/claims")]
pub async fn pending_claims() -> Result<Vec<LinkInfo>, AppError> {
    crate::api_fn!("/api/people/claims", |ctx, actor, client| {
        super::server::links::pending_claims(ctx.db(), &actor)
    })
}

/// Confirms or turns down a claim. Needs `people.manage` reaching the building. Errors:
/// `NotFound`, `Conflict` (already decided).
#[server(endpoint = "people/claim-decide")]
pub async fn claim_decide(id: i64, accept: bool) -> Result<(), AppError> {
    crate::api_fn!("/api/people/claim-decide", |ctx, actor, client| {
        super::server::links::decide_claim(ctx.db(), &actor, &client, id, accept)
    })
}

/// Ends an active link (moved out, sold). Needs `people.manage` reaching the building.
#[server(endpoint = "people/link-end")]
pub async fn link_end(id: i64) -> Result<(), AppError> {
    crate::api_fn!("/api/people/link-end", |ctx, actor, client| {
        super::server::links::end_link(ctx.db(), &actor, &client, id)
    })
}

/// The signed-in resident's units (active and claimed). Needs a resident's cabinet session.
#[server(endpoint = "cabinet/my-units")]
pub async fn my_units() -> Result<Vec<MyUnit>, AppError> {
    crate::api_fn!("/api/cabinet/my-units", |ctx, actor, client| {
        super::server::links::my_units(ctx.db(), &actor)
    })
}

/// The buildings of the resident's management company, to claim a unit in. Needs a resident's cabinet session.
#[server(endpoint = "cabinet/claim-buildings")]
pub async fn claim_buildings() -> Result<Vec<ClaimBuilding>, AppError> {
    crate::api_fn!("/api/cabinet/claim-buildings", |ctx, actor, client| {
        super::server::links::claim_buildings(ctx.db(), &actor)
    })
}

/// Claims a unit; it waits for staff to confirm. Needs a resident's cabinet session. Errors: `Validation`
/// (`number`: no such unit), `Conflict` (already linked or claimed), `NotFound`.
#[server(endpoint = "cabinet/claim")]
pub async fn claim_unit(claim: NewClaim) -> Result<(), AppError> {
    crate::api_fn!("/api/cabinet/claim", |ctx, actor, client| {
        super::server::links::claim(ctx.db(), &actor, &client, &claim)
    })
}
