//! Server functions of the people registry and the client card, and the top-bar search. Each
//! checks its permission first (see `access::POLICY`).

use crate::AppError;
use crate::buildings::model::UnitId;
use leptos::prelude::*;

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
#[server(endpoint = "people/search")]
pub async fn global_search(q: String) -> Result<SearchResults, AppError> {
    crate::api_fn!("/api/people/search", |ctx, actor, client| {
        super::server::search::search(ctx.db(), &actor, &q)
    })
}
