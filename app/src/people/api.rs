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
#[server(endpoint = "people/unit-residents")]
pub async fn get_unit_residents(unit: UnitId) -> Result<UnitResidents, AppError> {
    crate::api_fn!("/api/people/unit-residents", |ctx, actor, client| {
        super::server::links::unit_residents(ctx.db(), &actor, unit)
    })
}

/// Invites a phone number to a unit and sends it an SMS with the cabinet's address (the
/// configured `security.public_url`); a resident this company already knows is linked at once.
/// Returns true when linked at once. Needs `people.manage` reaching the building. Errors:
/// `Validation` (phone, name, `public_url/missing`), `NotFound`.
#[server(endpoint = "people/invite")]
pub async fn invite_resident(invitation: NewInvitation) -> Result<bool, AppError> {
    crate::api_fn!("/api/people/invite", |ctx, actor, client| async move {
        use super::server::links::{Invited, invite};
        Ok(invite(&ctx.app, &actor, &client, &invitation).await? == Invited::Linked)
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

/// Invitations waiting for the signed-in resident (from any company). Needs a resident's
/// cabinet session.
#[server(endpoint = "cabinet/invitations")]
pub async fn my_invitations() -> Result<Vec<MyInvitation>, AppError> {
    crate::api_fn!("/api/cabinet/invitations", |ctx, actor, client| {
        super::server::links::my_invitations(ctx.db(), &actor)
    })
}

/// Accepts the invitations waiting for the signed-in resident; returns how many units were
/// added. Needs a resident's cabinet session.
#[server(endpoint = "cabinet/invitations-accept")]
pub async fn accept_my_invitations() -> Result<u32, AppError> {
    crate::api_fn!(
        "/api/cabinet/invitations-accept",
        |ctx, actor, client| async move {
            let n =
                super::server::links::accept_invitations(ctx.db(), &client, actor.user_id).await?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        }
    )
}

/// The buildings of the management companies the resident lives with, to claim a unit in.
/// Needs a resident's cabinet session.
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

// The people registry and the client card.

use super::person::{
    ConsentForm, ConsentKind, CreateOutcome, NewPerson, PeopleFilter, PeoplePage, PersonBrief,
    PersonCard, PersonForm, PersonId, SearchResults, UnitLinkForm, UnitPeople, VehicleForm,
};

/// The registry's people of a unit with their relations. Needs `people.view` reaching the
/// unit's building.
#[server(endpoint = "people/of-unit")]
pub async fn people_of_unit(unit: UnitId) -> Result<UnitPeople, AppError> {
    crate::api_fn!("/api/people/of-unit", |ctx, actor, client| {
        super::server::registry::unit_people(ctx.db(), &actor, unit)
    })
}

/// The people list: a search, or everyone by name a page at a time, optionally of one building.
/// Needs `people.view` (only the people of the buildings it reaches).
#[server(endpoint = "people/list")]
pub async fn list_people(filter: PeopleFilter) -> Result<PeoplePage, AppError> {
    crate::api_fn!("/api/people/list", |ctx, actor, client| {
        super::server::search::list_people(ctx.db(), &actor, &filter)
    })
}

/// The client card; following a merged person leads to the one kept. The view is logged.
/// Needs `people.view` reaching the person; names and phones in full need
/// `people.view_personal_data`. Errors: `NotFound`.
#[server(endpoint = "people/card")]
pub async fn get_person_card(id: PersonId) -> Result<PersonCard, AppError> {
    crate::api_fn!("/api/people/card", |ctx, actor, client| {
        super::server::registry::card(ctx.db(), &actor, &client, id)
    })
}

/// People with this phone number (any spelling), for the screen pop of a call. Needs
/// `people.view`. Errors: `Validation` (`phone`).
#[server(endpoint = "people/by-phone")]
pub async fn people_by_phone(phone: String) -> Result<Vec<PersonBrief>, AppError> {
    crate::api_fn!("/api/people/by-phone", |ctx, actor, client| async move {
        actor.require(crate::access::Permission::PeopleView)?;
        let phone = crate::values::Phone::parse(&phone)?;
        super::server::registry::by_phone(ctx.db(), &actor, &phone).await
    })
}

/// Creates a person; look-alikes (same phone, or same name in the same unit) come back instead
/// unless `allow_duplicate`. Needs `people.create` (with a unit in reach when the grant covers
/// only some buildings). Errors: `Validation`.
#[server(endpoint = "people/create")]
pub async fn create_person(new: NewPerson) -> Result<CreateOutcome, AppError> {
    crate::api_fn!("/api/people/create", |ctx, actor, client| {
        super::server::registry::create(ctx.db(), &actor, &client, &new)
    })
}

/// Updates a person's names, phones and e-mails. Needs `people.manage` reaching the person.
#[server(endpoint = "people/update")]
pub async fn update_person(id: PersonId, person: PersonForm) -> Result<(), AppError> {
    crate::api_fn!("/api/people/update", |ctx, actor, client| {
        super::server::registry::update(ctx.db(), &actor, &client, id, &person)
    })
}

/// Adds or updates a relation to a unit (owner share, tenant period). Needs `people.manage`
/// reaching the person and the unit. Errors: `Validation` (`unit`, `share`, `valid_*`).
#[server(endpoint = "people/unit-link")]
pub async fn person_unit_link(id: PersonId, link: UnitLinkForm) -> Result<(), AppError> {
    crate::api_fn!("/api/people/unit-link", |ctx, actor, client| {
        super::server::registry::link_unit(ctx.db(), &actor, &client, id, &link)
    })
}

/// Removes a relation to a unit entered by mistake. Needs `people.manage`.
#[server(endpoint = "people/unit-unlink")]
pub async fn person_unit_unlink(link: i64) -> Result<(), AppError> {
    crate::api_fn!("/api/people/unit-unlink", |ctx, actor, client| {
        super::server::registry::unlink_unit(ctx.db(), &actor, &client, link)
    })
}

/// Adds a vehicle (plate in any alphabet). Needs `people.manage`. Errors: `Validation` (`plate`).
#[server(endpoint = "people/vehicle-add")]
pub async fn vehicle_add(id: PersonId, vehicle: VehicleForm) -> Result<(), AppError> {
    crate::api_fn!("/api/people/vehicle-add", |ctx, actor, client| {
        super::server::registry::add_vehicle(ctx.db(), &actor, &client, id, &vehicle)
    })
}

/// Removes a vehicle. Needs `people.manage`.
#[server(endpoint = "people/vehicle-remove")]
pub async fn vehicle_remove(vehicle: i64) -> Result<(), AppError> {
    crate::api_fn!("/api/people/vehicle-remove", |ctx, actor, client| {
        super::server::registry::remove_vehicle(ctx.db(), &actor, &client, vehicle)
    })
}

/// Records a consent given on a day. Needs `people.manage`. Errors: `Validation` (`given_on`).
#[server(endpoint = "people/consent-set")]
pub async fn consent_set(id: PersonId, consent: ConsentForm) -> Result<(), AppError> {
    crate::api_fn!("/api/people/consent-set", |ctx, actor, client| {
        super::server::registry::set_consent(ctx.db(), &actor, &client, id, &consent)
    })
}

/// Records a consent withdrawn today. Needs `people.manage`.
#[server(endpoint = "people/consent-withdraw")]
pub async fn consent_withdraw(id: PersonId, kind: ConsentKind) -> Result<(), AppError> {
    crate::api_fn!("/api/people/consent-withdraw", |ctx, actor, client| {
        super::server::registry::withdraw_consent(ctx.db(), &actor, &client, id, kind)
    })
}

/// Adds a note to the card. Needs `people.manage`.
#[server(endpoint = "people/note-add")]
pub async fn note_add(id: PersonId, body: String) -> Result<(), AppError> {
    crate::api_fn!("/api/people/note-add", |ctx, actor, client| {
        super::server::registry::add_note(ctx.db(), &actor, &client, id, &body)
    })
}

/// Merges `other` into `keep`. Needs `people.manage` reaching both.
#[server(endpoint = "people/merge")]
pub async fn merge_people(keep: PersonId, other: PersonId) -> Result<(), AppError> {
    crate::api_fn!("/api/people/merge", |ctx, actor, client| {
        super::server::registry::merge(ctx.db(), &actor, &client, keep, other)
    })
}

/// Pairs of likely duplicates whose both people `people.manage` reaches.
#[server(endpoint = "people/duplicates")]
pub async fn people_duplicates() -> Result<Vec<(PersonBrief, PersonBrief)>, AppError> {
    crate::api_fn!("/api/people/duplicates", |ctx, actor, client| {
        super::server::registry::duplicates(ctx.db(), &actor)
    })
}

/// The top-bar search over people (name, phone, plate, e-mail) and units (personal account,
/// "street house number"). Needs `people.view`; units only with `buildings.view`.
/// Errors: `Validation` (`q`: too short or long).
#[server(endpoint = "search")]
pub async fn global_search(q: String) -> Result<SearchResults, AppError> {
    crate::api_fn!("/api/search", |ctx, actor, client| {
        super::server::search::search(ctx.db(), &actor, &q)
    })
}
