//! Server functions of residents' links to units: staff invite, confirm, end; residents see
//! their units and claim one. Each checks its permission first (see `access::POLICY`).

use super::model::{
    ClaimBuilding, LinkInfo, MyInvitation, MyUnit, NewClaim, NewInvitation, UnitResidents,
};
use crate::AppError;
use crate::buildings::model::UnitId;
use leptos::prelude::*;

/// Residents of a unit and open invitations. Needs `people.view` reaching the building; phones
/// only with `people.view_personal_data`.
#[server(endpoint = "residents/unit")]
pub async fn get_unit_residents(unit: UnitId) -> Result<UnitResidents, AppError> {
    crate::api_fn!("/api/residents/unit", |ctx, actor, client| {
        super::server::service::unit_residents(ctx.db(), &actor, unit)
    })
}

/// Invites a phone number to a unit and sends it an SMS with the cabinet's address (the
/// configured `security.public_url`); a resident this company already knows is linked at once.
/// Returns true when linked at once. Needs `people.manage` reaching the building. Errors:
/// `Validation` (phone, name, `public_url/missing`), `NotFound`.
#[server(endpoint = "residents/invite")]
pub async fn invite_resident(invitation: NewInvitation) -> Result<bool, AppError> {
    crate::api_fn!("/api/residents/invite", |ctx, actor, client| async move {
        use super::server::service::{Invited, invite};
        Ok(invite(&ctx.app, &actor, &client, &invitation).await? == Invited::Linked)
    })
}

/// Withdraws an invitation not yet accepted. Needs `people.manage` reaching the building.
#[server(endpoint = "residents/invitation-revoke")]
pub async fn invitation_revoke(id: i64) -> Result<(), AppError> {
    crate::api_fn!("/api/residents/invitation-revoke", |ctx, actor, client| {
        super::server::service::revoke_invitation(ctx.db(), &actor, &client, id)
    })
}

/// Residents' claims waiting for staff. Needs `people.manage` (in its scope).
#[server(endpoint = "residents/claims")]
pub async fn pending_claims() -> Result<Vec<LinkInfo>, AppError> {
    crate::api_fn!("/api/residents/claims", |ctx, actor, client| {
        super::server::service::pending_claims(ctx.db(), &actor)
    })
}

/// Confirms or turns down a claim. Needs `people.manage` reaching the building. Errors:
/// `NotFound`, `Conflict` (already decided).
#[server(endpoint = "residents/claim-decide")]
pub async fn claim_decide(id: i64, accept: bool) -> Result<(), AppError> {
    crate::api_fn!("/api/residents/claim-decide", |ctx, actor, client| {
        super::server::service::decide_claim(ctx.db(), &actor, &client, id, accept)
    })
}

/// Ends an active link (moved out, sold). Needs `people.manage` reaching the building.
#[server(endpoint = "residents/link-end")]
pub async fn link_end(id: i64) -> Result<(), AppError> {
    crate::api_fn!("/api/residents/link-end", |ctx, actor, client| {
        super::server::service::end_link(ctx.db(), &actor, &client, id)
    })
}

/// The signed-in resident's units (active and claimed). Needs a resident's cabinet session.
#[server(endpoint = "residents/my-units")]
pub async fn my_units() -> Result<Vec<MyUnit>, AppError> {
    crate::api_fn!("/api/residents/my-units", |ctx, actor, client| {
        super::server::service::my_units(ctx.db(), &actor)
    })
}

/// Invitations waiting for the signed-in resident (from any company). Needs a resident's
/// cabinet session.
#[server(endpoint = "residents/my-invitations")]
pub async fn my_invitations() -> Result<Vec<MyInvitation>, AppError> {
    crate::api_fn!("/api/residents/my-invitations", |ctx, actor, client| {
        super::server::service::my_invitations(ctx.db(), &actor)
    })
}

/// Accepts the invitations waiting for the signed-in resident; returns how many units were
/// added. Needs a resident's cabinet session.
#[server(endpoint = "residents/invitations-accept")]
pub async fn accept_my_invitations() -> Result<u32, AppError> {
    crate::api_fn!(
        "/api/residents/invitations-accept",
        |ctx, actor, client| async move {
            let n = super::server::service::accept_invitations(ctx.db(), &client, actor.user_id)
                .await?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        }
    )
}

/// The buildings of the management companies the resident lives with, to claim a unit in.
/// Needs a resident's cabinet session.
#[server(endpoint = "residents/claim-buildings")]
pub async fn claim_buildings() -> Result<Vec<ClaimBuilding>, AppError> {
    crate::api_fn!("/api/residents/claim-buildings", |ctx, actor, client| {
        super::server::service::claim_buildings(ctx.db(), &actor)
    })
}

/// Claims a unit; it waits for staff to confirm. Needs a resident's cabinet session. Errors: `Validation`
/// (`number`: no such unit), `Conflict` (already linked or claimed), `NotFound`.
#[server(endpoint = "residents/claim")]
pub async fn claim_unit(claim: NewClaim) -> Result<(), AppError> {
    crate::api_fn!("/api/residents/claim", |ctx, actor, client| {
        super::server::service::claim(ctx.db(), &actor, &client, &claim)
    })
}
