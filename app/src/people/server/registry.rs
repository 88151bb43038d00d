//! The people registry: persons and organisations of a company with their phones, e-mails,
//! relations to units, vehicles, consents and notes; duplicate detection and merging; the
//! client card. One query text serves both backends.
//!
//! Reach: staff see a person when their `people.view` reaches any building the person has a
//! unit in (a person without units only company-wide); otherwise the person answers `NotFound`
//! like a missing id. Editing needs `people.manage` the same way. Names in full, phones and
//! e-mails need `people.view_personal_data`; without it a card shows "Иванов И. И." and masked
//! phones. Every change is audited, and so is every view of a card.

use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::audit::{self, Entry, FieldChange, Who};
use crate::access::server::session::ClientInfo;
use crate::access::server::{Actor, Reach};
use crate::buildings::model::{BuildingId, UnitId};
use crate::buildings::server::service::unit_place;
use crate::db::{Db, Tx};
use crate::people::person::{
    CardAccount, CardConsent, CardEvent, CardNote, CardPhone, CardUnit, CardVehicle, CheckedPerson,
    CheckedUnitLink, ConsentForm, ConsentKind, CreateOutcome, NewPerson, PersonBrief, PersonCard,
    PersonForm, PersonId, PersonKind, PhoneInput, Share, UnitLinkForm, UnitPeople, UnitPerson,
    UnitTarget, VehicleForm, check_note, display_name, short_name,
};
use crate::values::Plate;
use crate::values::{Relation, mask_phone};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// Where a person is: their company, the buildings of their units, and whom they were merged into.
pub(crate) struct Place {
    pub company_id: i64,
    pub buildings: BTreeSet<i64>,
    pub merged_into: Option<i64>,
}

impl Place {
    /// Whether a permission with this reach covers the person: company-wide, or any building of
    /// theirs.
    fn reached_by(&self, reach: Option<&Reach>) -> bool {
        match reach {
            Some(Reach::All) => true,
            Some(Reach::Only(set)) => self.buildings.iter().any(|b| set.contains(b)),
            None => false,
        }
    }
}

/// The person's place if `p` reaches them; `Forbidden` without `p` at all, `NotFound` for a
/// person out of reach, of another company, or missing.
pub(crate) async fn place(
    db: &Db,
    actor: &Actor,
    p: Permission,
    id: PersonId,
) -> Result<Place, AppError> {
    let reach = actor.building_reach(p).ok_or(AppError::Forbidden)?;
    let row: Option<(i64, Option<i64>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT company_id, merged_into FROM people WHERE id = $1")
        .bind(id.0).fetch_optional(pool).await)?;
    let Some((company_id, merged_into)) = row.filter(|(c, _)| actor.sees_company(*c)) else {
        return Err(AppError::NotFound);
    };
    // A merged-away person has no units of their own any more: reach is judged on the person
    // they became, so old links still lead there.
    let judged = merged_into.unwrap_or(id.0);
    let buildings: Vec<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT DISTINCT u.building_id FROM person_units pu JOIN units u ON u.id = pu.unit_id WHERE pu.person_id = $1")
        .bind(judged).fetch_all(pool).await)?;
    let place = Place {
        company_id,
        buildings: buildings.into_iter().collect(),
        merged_into,
    };
    if place.reached_by(Some(&reach)) {
        Ok(place)
    } else {
        Err(AppError::NotFound)
    }
}

/// SQL condition: the person `alias` is reached by `reach` (see [`Place::reached_by`]).
pub(crate) fn reach_sql(reach: &Reach, alias: &str) -> String {
    match reach {
        Reach::All => "1 = 1".into(),
        Reach::Only(_) => format!(
            "EXISTS (SELECT 1 FROM person_units rpu JOIN units ru ON ru.id = rpu.unit_id \
             WHERE rpu.person_id = {alias}.id AND {})",
            reach.sql("ru.building_id")
        ),
    }
}

/// Whether names and phones of this person are shown to the actor.
fn sees_personal(actor: &Actor, place: &Place) -> bool {
    place.reached_by(
        actor
            .building_reach(Permission::PeopleViewPersonalData)
            .as_ref(),
    )
}

type NameRow = (i64, String, String, String, String, String);

/// Short cards of the given people, in the given order: name (full or initials), first phone
/// (masked without personal data), units. Three queries whatever the count.
pub(crate) async fn briefs(
    db: &Db,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<PersonBrief>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::db::id_list(ids);
    let names: Vec<NameRow> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT id, kind, last_name, first_name, middle_name, organization FROM people WHERE id IN ({list})"))
        .fetch_all(pool).await)?;
    let phones: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT person_id, phone FROM person_phones WHERE person_id IN ({list}) ORDER BY person_id, position"))
        .fetch_all(pool).await)?;
    // Only the units the caller reaches are named.
    let view = actor
        .building_reach(Permission::PeopleView)
        .map_or_else(|| "1 = 0".to_owned(), |r| r.sql("u.building_id"));
    let units: Vec<(i64, i64, String, String)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT pu.person_id, u.building_id, b.name, u.number FROM person_units pu \
         JOIN units u ON u.id = pu.unit_id JOIN buildings b ON b.id = u.building_id \
         WHERE pu.person_id IN ({list}) AND {view} ORDER BY pu.person_id, b.name, u.id"))
        .fetch_all(pool).await)?;
    let personal_reach = actor.building_reach(Permission::PeopleViewPersonalData);
    let mut first_phone: BTreeMap<i64, String> = BTreeMap::new();
    for (pid, phone) in phones {
        first_phone.entry(pid).or_insert(phone);
    }
    let mut unit_labels: BTreeMap<i64, (BTreeSet<i64>, Vec<String>)> = BTreeMap::new();
    for (pid, building, name, number) in units {
        let e = unit_labels.entry(pid).or_default();
        e.0.insert(building);
        let label = format!("{name} — {number}");
        if !e.1.contains(&label) {
            e.1.push(label);
        }
    }
    let mut by_id: BTreeMap<i64, PersonBrief> = BTreeMap::new();
    for (id, kind, last, first, middle, org) in names {
        let kind = PersonKind::from_db(&kind).unwrap_or(PersonKind::Person);
        let (buildings, labels) = unit_labels.remove(&id).unwrap_or_default();
        let personal = Place {
            company_id: 0,
            buildings,
            merged_into: None,
        }
        .reached_by(personal_reach.as_ref());
        let name = if personal {
            display_name(kind, &last, &first, &middle, &org)
        } else {
            short_name(kind, &last, &first, &middle, &org)
        };
        let phone = first_phone.remove(&id).map(|p| {
            if personal {
                crate::i18n::format_phone(&p)
            } else {
                mask_phone(&p)
            }
        });
        by_id.insert(
            id,
            PersonBrief {
                id: PersonId(id),
                kind,
                name,
                phone,
                units: labels,
                personal,
            },
        );
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// People of the company who look like this new entry: a shared phone, or the same name in the
/// same unit. Only those the actor can see are returned.
async fn look_alikes(
    db: &Db,
    actor: &Actor,
    (company, permission): (i64, Permission),
    person: &CheckedPerson,
    unit: Option<UnitId>,
    except: Option<i64>,
) -> Result<Vec<PersonBrief>, AppError> {
    let reach = actor
        .building_reach(permission)
        .ok_or(AppError::Forbidden)?;
    let mut ids: Vec<i64> = Vec::new();
    let visible = reach_sql(&reach, "p");
    for (phone, _) in &person.phones {
        let found: Vec<i64> = on_db!(db, pool => sqlx::query_scalar(&format!(
            "SELECT p.id FROM person_phones ph JOIN people p ON p.id = ph.person_id \
             WHERE ph.company_id = $1 AND ph.phone = $2 AND p.merged_into IS NULL AND {visible}"))
            .bind(company).bind(phone.as_str()).fetch_all(pool).await)?;
        ids.extend(found);
    }
    if let Some(unit) = unit {
        let found: Vec<i64> = on_db!(db, pool => sqlx::query_scalar(&format!(
            "SELECT p.id FROM person_units pu JOIN people p ON p.id = pu.person_id \
             WHERE pu.unit_id = $1 AND p.search_name = $2 AND p.merged_into IS NULL AND {visible}"))
            .bind(unit.0).bind(&person.search_name).fetch_all(pool).await)?;
        ids.extend(found);
    }
    ids.retain(|id| Some(*id) != except);
    ids.sort_unstable();
    ids.dedup();
    briefs(db, actor, &ids).await
}

/// The unit a relation names (by id, or by building and number), checked like
/// [`manageable_unit`]. Errors: `Validation { field: "number", "not_found" }`.
async fn resolve_unit(
    db: &Db,
    actor: &Actor,
    (company, permission): (i64, Permission),
    target: &UnitTarget,
) -> Result<UnitId, AppError> {
    let unit = match target {
        UnitTarget::Id(id) => *id,
        UnitTarget::Number(building, number) => {
            let found: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
                "SELECT id FROM units WHERE building_id = $1 AND number = $2 AND company_id = $3")
                .bind(building.0).bind(number).bind(company).fetch_optional(pool).await)?;
            UnitId(found.ok_or_else(|| AppError::validation("number", Invalid::NotFound))?)
        }
    };
    manageable_unit(db, actor, (company, permission), unit).await?;
    Ok(unit)
}

/// Checks that the unit is the company's and that the permission (`people.manage`, or
/// `people.create` for a new person's first unit) reaches its building.
async fn manageable_unit(
    db: &Db,
    actor: &Actor,
    (company, permission): (i64, Permission),
    unit: UnitId,
) -> Result<(), AppError> {
    let (unit_company, _) =
        unit_place(db, actor, permission, unit.0)
            .await
            .map_err(|e| match e {
                AppError::NotFound => AppError::validation("unit", Invalid::NotFound),
                other => other,
            })?;
    if unit_company == company {
        Ok(())
    } else {
        Err(AppError::validation("unit", Invalid::NotFound))
    }
}

async fn insert_contacts(
    tx: &mut Tx,
    company: i64,
    person: i64,
    checked: &CheckedPerson,
) -> Result<(), AppError> {
    for (i, (phone, label)) in checked.phones.iter().enumerate() {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO person_phones (company_id, person_id, phone, label, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(company).bind(person).bind(phone.as_str()).bind(label).bind(i32::try_from(i).unwrap_or(0))
            .execute(conn).await.map(|_| ()))?;
    }
    for (i, email) in checked.emails.iter().enumerate() {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO person_emails (company_id, person_id, email, position) VALUES ($1, $2, $3, $4)")
            .bind(company).bind(person).bind(email.as_str()).bind(i32::try_from(i).unwrap_or(0))
            .execute(conn).await.map(|_| ()))?;
    }
    Ok(())
}

/// Inserts a checked person with their phones and e-mails inside `tx` (no audit: the caller
/// records what it did).
pub(crate) async fn insert_person(
    tx: &mut Tx,
    company: i64,
    checked: &CheckedPerson,
) -> Result<i64, AppError> {
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO people (company_id, kind, last_name, first_name, middle_name, organization, search_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id")
        .bind(company).bind(checked.kind.as_db()).bind(&checked.last_name).bind(&checked.first_name)
        .bind(&checked.middle_name).bind(&checked.organization).bind(&checked.search_name).bind(Utc::now())
        .fetch_one(conn).await)?;
    insert_contacts(tx, company, id, checked).await?;
    Ok(id)
}

fn share_cols(link: &CheckedUnitLink) -> (Option<i32>, Option<i32>) {
    link.share.map_or((None, None), |s| {
        (i32::try_from(s.num).ok(), i32::try_from(s.den).ok())
    })
}

/// Adds or updates a relation to a unit inside `tx` (one row per person, unit and relation).
pub(crate) async fn upsert_unit_link(
    tx: &mut Tx,
    company: i64,
    person: i64,
    unit: UnitId,
    link: &CheckedUnitLink,
) -> Result<(), AppError> {
    let (num, den) = share_cols(link);
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO person_units (company_id, person_id, unit_id, relation, share_num, share_den, valid_from, valid_to, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (person_id, unit_id, relation) DO UPDATE SET share_num = excluded.share_num, \
           share_den = excluded.share_den, valid_from = excluded.valid_from, valid_to = excluded.valid_to")
        .bind(company).bind(person).bind(unit.0).bind(link.relation.as_db())
        .bind(num).bind(den).bind(link.valid_from).bind(link.valid_to).bind(Utc::now())
        .execute(conn).await.map(|_| ()))?;
    Ok(())
}

fn phone_with_label(phone: &str, label: &str) -> String {
    if label.is_empty() {
        phone.to_owned()
    } else {
        format!("{phone} ({label})")
    }
}

fn phones_text(p: &CheckedPerson) -> String {
    p.phones
        .iter()
        .map(|(ph, label)| phone_with_label(ph.as_str(), label))
        .collect::<Vec<_>>()
        .join(", ")
}

fn emails_text(p: &CheckedPerson) -> String {
    p.emails
        .iter()
        .map(super::super::person::Email::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn name_text(p: &CheckedPerson) -> String {
    display_name(
        p.kind,
        &p.last_name,
        &p.first_name,
        &p.middle_name,
        &p.organization,
    )
}

/// Creates a person (and their first relation to a unit). Unless `allow_duplicate`, look-alikes
/// (same phone, or same name in the same unit) are returned instead and nothing is saved.
/// Needs `people.create` (dispatchers have it: an unknown caller becomes a client); staff whose
/// grant reaches only some buildings must name a unit there.
pub async fn create(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    new: &NewPerson,
) -> Result<CreateOutcome, AppError> {
    let reach = actor
        .building_reach(Permission::PeopleCreate)
        .ok_or(AppError::Forbidden)?;
    let company = actor.own_company()?;
    let checked = new.person.check()?;
    let link = new.unit.as_ref().map(UnitLinkForm::check).transpose()?;
    let unit = match &link {
        Some(l) => {
            Some(resolve_unit(db, actor, (company, Permission::PeopleCreate), &l.unit).await?)
        }
        None if reach != Reach::All => {
            return Err(AppError::validation("building", Invalid::Required));
        }
        None => None,
    };
    if !new.allow_duplicate {
        let found = look_alikes(
            db,
            actor,
            (company, Permission::PeopleCreate),
            &checked,
            unit,
            None,
        )
        .await?;
        if !found.is_empty() {
            return Ok(CreateOutcome::Duplicates(found));
        }
    }
    let mut tx = db.begin_write().await?;
    let id = insert_person(&mut tx, company, &checked).await?;
    let mut changes: Vec<FieldChange<'_>> = vec![
        ("name", None, Some(name_text(&checked))),
        ("phones", None, Some(phones_text(&checked))),
    ];
    if !checked.emails.is_empty() {
        changes.push(("emails", None, Some(emails_text(&checked))));
    }
    if let (Some(l), Some(unit)) = (&link, unit) {
        upsert_unit_link(&mut tx, company, id, unit, l).await?;
        changes.push((
            "unit",
            None,
            Some(format!("{} #{}", l.relation.as_db(), unit.0)),
        ));
    }
    let entry = Entry {
        company_id: Some(company),
        action: "person.create",
        entity: "person",
        entity_id: Some(id.to_string()),
        changes,
    };
    match unit {
        Some(unit) => {
            audit::record_for_unit(&mut tx, Who::Actor(actor), client, entry, unit.0).await?;
        }
        None => audit::record(&mut tx, Who::Actor(actor), client, entry).await?,
    }
    tx.commit().await?;
    Ok(CreateOutcome::Created(PersonId(id)))
}

type PersonRow = (String, String, String, String, String, DateTime<Utc>);

async fn load_form(db: &Db, id: i64) -> Result<(PersonForm, DateTime<Utc>), AppError> {
    let (kind, last_name, first_name, middle_name, organization, created_at): PersonRow = on_db!(db, pool => sqlx::query_as(
            "SELECT kind, last_name, first_name, middle_name, organization, created_at FROM people WHERE id = $1")
            .bind(id).fetch_one(pool).await)?;
    let phones: Vec<(String, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT phone, label FROM person_phones WHERE person_id = $1 ORDER BY position, id")
        .bind(id).fetch_all(pool).await)?;
    let emails: Vec<String> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT email FROM person_emails WHERE person_id = $1 ORDER BY position, id")
        .bind(id).fetch_all(pool).await)?;
    Ok((
        PersonForm {
            kind: PersonKind::from_db(&kind).unwrap_or(PersonKind::Person),
            last_name,
            first_name,
            middle_name,
            organization,
            phones: phones
                .into_iter()
                .map(|(phone, label)| PhoneInput { phone, label })
                .collect(),
            emails,
        },
        created_at,
    ))
}

/// Updates names, phones and e-mails (replacing the lists). A phone another person also has is
/// allowed: the pair shows up under possible duplicates. Needs `people.manage`.
pub async fn update(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: PersonId,
    form: &PersonForm,
) -> Result<(), AppError> {
    let place = place(db, actor, Permission::PeopleManage, id).await?;
    if place.merged_into.is_some() {
        return Err(AppError::NotFound);
    }
    let checked = form.check()?;
    // The diff is taken against the stored values as they are (even ones an older release let
    // in), labels included.
    let (old, _) = load_form(db, id.0).await?;
    let old_phones = old
        .phones
        .iter()
        .map(|p| phone_with_label(&p.phone, &p.label))
        .collect::<Vec<_>>()
        .join(", ");
    let mut changes: Vec<FieldChange<'_>> = Vec::new();
    for (field, from, to) in [
        (
            "name",
            display_name(
                old.kind,
                &old.last_name,
                &old.first_name,
                &old.middle_name,
                &old.organization,
            ),
            name_text(&checked),
        ),
        ("phones", old_phones, phones_text(&checked)),
        ("emails", old.emails.join(", "), emails_text(&checked)),
    ] {
        if from != to {
            changes.push((field, Some(from), Some(to)));
        }
    }
    if changes.is_empty() && old.kind == checked.kind {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "UPDATE people SET kind = $1, last_name = $2, first_name = $3, middle_name = $4, organization = $5, \
         search_name = $6, updated_at = $7 WHERE id = $8")
        .bind(checked.kind.as_db()).bind(&checked.last_name).bind(&checked.first_name).bind(&checked.middle_name)
        .bind(&checked.organization).bind(&checked.search_name).bind(Utc::now()).bind(id.0)
        .execute(conn).await.map(|_| ()))?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM person_phones WHERE person_id = $1").bind(id.0).execute(conn).await.map(|_| ()))?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM person_emails WHERE person_id = $1").bind(id.0).execute(conn).await.map(|_| ()))?;
    insert_contacts(&mut tx, place.company_id, id.0, &checked).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(place.company_id),
            action: "person.update",
            entity: "person",
            entity_id: Some(id.0.to_string()),
            changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the audit entry of a change to a person and commits the change with it.
async fn commit_audited(
    tx: Tx,
    actor: &Actor,
    client: &ClientInfo,
    place: &Place,
    id: PersonId,
    action: &str,
    changes: Vec<FieldChange<'_>>,
) -> Result<(), AppError> {
    commit_audited_on(tx, actor, client, place, id, None, action, changes).await
}

/// [`commit_audited`] for a change that also concerns a unit (it shows in the unit's history).
#[allow(clippy::too_many_arguments)]
async fn commit_audited_on(
    mut tx: Tx,
    actor: &Actor,
    client: &ClientInfo,
    place: &Place,
    id: PersonId,
    unit: Option<UnitId>,
    action: &str,
    changes: Vec<FieldChange<'_>>,
) -> Result<(), AppError> {
    let entry = Entry {
        company_id: Some(place.company_id),
        action,
        entity: "person",
        entity_id: Some(id.0.to_string()),
        changes,
    };
    match unit {
        Some(u) => audit::record_for_unit(&mut tx, Who::Actor(actor), client, entry, u.0).await?,
        None => audit::record(&mut tx, Who::Actor(actor), client, entry).await?,
    }
    tx.commit().await?;
    Ok(())
}

/// A live (not merged) person that `people.manage` reaches.
async fn manageable(db: &Db, actor: &Actor, id: PersonId) -> Result<Place, AppError> {
    let place = place(db, actor, Permission::PeopleManage, id).await?;
    if place.merged_into.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(place)
}

/// Adds or updates a relation to a unit. Needs `people.manage` reaching the person and the unit.
pub async fn link_unit(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: PersonId,
    form: &UnitLinkForm,
) -> Result<(), AppError> {
    let place = manageable(db, actor, id).await?;
    let link = form.check()?;
    let unit = resolve_unit(
        db,
        actor,
        (place.company_id, Permission::PeopleManage),
        &link.unit,
    )
    .await?;
    let company = place.company_id;
    let summary = format!(
        "{} #{} {} {}–{}",
        link.relation.as_db(),
        unit.0,
        link.share.map(Share::display).unwrap_or_default(),
        link.valid_from.map(|d| d.to_string()).unwrap_or_default(),
        link.valid_to.map(|d| d.to_string()).unwrap_or_default(),
    );
    let mut tx = db.begin_write().await?;
    upsert_unit_link(&mut tx, company, id.0, unit, &link).await?;
    commit_audited_on(
        tx,
        actor,
        client,
        &place,
        id,
        Some(unit),
        "person.unit_link",
        vec![("unit", None, Some(summary))],
    )
    .await
}

/// Removes a relation entered by mistake (an ended one is kept with its end date instead).
pub async fn unlink_unit(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    link_id: i64,
) -> Result<(), AppError> {
    let row: Option<(i64, i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT person_id, unit_id, relation FROM person_units WHERE id = $1")
        .bind(link_id).fetch_optional(pool).await)?;
    let (person, unit, relation) = row.ok_or(AppError::NotFound)?;
    let id = PersonId(person);
    let place = manageable(db, actor, id).await?;
    manageable_unit(
        db,
        actor,
        (place.company_id, Permission::PeopleManage),
        UnitId(unit),
    )
    .await
    .map_err(|_| AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM person_units WHERE id = $1").bind(link_id).execute(conn).await.map(|_| ()))?;
    commit_audited_on(
        tx,
        actor,
        client,
        &place,
        id,
        Some(UnitId(unit)),
        "person.unit_unlink",
        vec![("unit", Some(format!("{relation} #{unit}")), None)],
    )
    .await
}

/// Adds a vehicle. A plate the person already has is `Validation { field: "plate", "taken" }`.
pub async fn add_vehicle(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: PersonId,
    form: &VehicleForm,
) -> Result<(), AppError> {
    let place = manageable(db, actor, id).await?;
    let (number_plate, model, color) = form.check()?;
    let taken: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM vehicles WHERE person_id = $1 AND plate = $2")
        .bind(id.0).bind(number_plate.as_str()).fetch_optional(pool).await)?;
    if taken.is_some() {
        return Err(AppError::validation("plate", Invalid::Taken));
    }
    let company = place.company_id;
    let text = number_plate.as_str().to_owned();
    let mut tx = db.begin_write().await?;
    // The check above is not in the transaction: a plate added at the same moment hits the
    // unique key, which is the same answer.
    let inserted = on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO vehicles (company_id, person_id, plate, model, color, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(company).bind(id.0).bind(&text).bind(&model).bind(&color).bind(Utc::now())
        .execute(conn).await.map(|_| ()));
    match inserted {
        Err(e)
            if crate::db::is_unique_violation(
                &e,
                "vehicles_person_plate_key",
                "vehicles.plate",
            ) =>
        {
            return Err(AppError::validation("plate", Invalid::Taken));
        }
        other => other?,
    }
    commit_audited(
        tx,
        actor,
        client,
        &place,
        id,
        "person.vehicle_add",
        vec![(
            "vehicle",
            None,
            Some(format!("{text} {model} {color}").trim().to_owned()),
        )],
    )
    .await
}

/// Removes a vehicle.
pub async fn remove_vehicle(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    vehicle_id: i64,
) -> Result<(), AppError> {
    let row: Option<(i64, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT person_id, plate FROM vehicles WHERE id = $1")
        .bind(vehicle_id).fetch_optional(pool).await)?;
    let (person, old_plate) = row.ok_or(AppError::NotFound)?;
    let id = PersonId(person);
    let place = manageable(db, actor, id).await?;
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM vehicles WHERE id = $1").bind(vehicle_id).execute(conn).await.map(|_| ()))?;
    commit_audited(
        tx,
        actor,
        client,
        &place,
        id,
        "person.vehicle_remove",
        vec![("vehicle", Some(old_plate), None)],
    )
    .await
}

/// Records a consent (given on a day, by some means); recording it again replaces the old one.
pub async fn set_consent(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: PersonId,
    form: &ConsentForm,
) -> Result<(), AppError> {
    let place = manageable(db, actor, id).await?;
    let (day, source) = form.check(actor.today())?;
    let company = place.company_id;
    let kind = form.kind;
    let user = actor.user_id;
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
                    "INSERT INTO person_consents (company_id, person_id, kind, given_on, withdrawn_on, source, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, NULL, $5, $6, $7) \
                     ON CONFLICT (person_id, kind) DO UPDATE SET given_on = excluded.given_on, withdrawn_on = NULL, \
                       source = excluded.source, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at")
                    .bind(company).bind(id.0).bind(kind.as_db()).bind(day).bind(&source).bind(user).bind(Utc::now())
                    .execute(conn).await.map(|_| ()))?;
    commit_audited(
        tx,
        actor,
        client,
        &place,
        id,
        "person.consent_give",
        vec![(
            kind.as_db(),
            None,
            Some(format!("{day} {source}").trim().to_owned()),
        )],
    )
    .await
}

/// Marks a consent withdrawn today. `NotFound` when none was given or it is already withdrawn.
pub async fn withdraw_consent(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: PersonId,
    kind: ConsentKind,
) -> Result<(), AppError> {
    let place = manageable(db, actor, id).await?;
    let live: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT id FROM person_consents WHERE person_id = $1 AND kind = $2 AND withdrawn_on IS NULL")
        .bind(id.0).bind(kind.as_db()).fetch_optional(pool).await)?;
    let consent = live.ok_or(AppError::NotFound)?;
    let today = actor.today();
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE person_consents SET withdrawn_on = $1 WHERE id = $2")
                    .bind(today).bind(consent).execute(conn).await.map(|_| ()))?;
    commit_audited(
        tx,
        actor,
        client,
        &place,
        id,
        "person.consent_withdraw",
        vec![(kind.as_db(), None, Some(format!("withdrawn {today}")))],
    )
    .await
}

/// Adds a note (notes are kept; a correction is a new note).
pub async fn add_note(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: PersonId,
    body: &str,
) -> Result<(), AppError> {
    let place = manageable(db, actor, id).await?;
    let body = check_note(body)?;
    let company = place.company_id;
    let (user, name) = (actor.user_id, actor.name.clone());
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query(
                    "INSERT INTO person_notes (company_id, person_id, author_user_id, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(company).bind(id.0).bind(user).bind(&name).bind(&body).bind(Utc::now())
                    .execute(conn).await.map(|_| ()))?;
    commit_audited(tx, actor, client, &place, id, "person.note", vec![]).await
}

/// Merges `other` into `keep`: phones, e-mails, relations, vehicles, consents and notes move to
/// `keep` (what `keep` already has stays as it is), and `other` is left pointing at `keep`.
/// Needs `people.manage` reaching both.
pub async fn merge(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    keep: PersonId,
    other: PersonId,
) -> Result<(), AppError> {
    let kept = manageable(db, actor, keep).await?;
    let gone = manageable(db, actor, other).await?;
    if keep == other {
        return Err(AppError::validation("other", Invalid::Same));
    }
    if kept.company_id != gone.company_id {
        return Err(AppError::NotFound);
    }
    let (k, o) = (keep.0, other.0);
    let mut tx = db.begin_write().await?;
    // Rows `keep` already has (same phone, unit and relation, plate, consent kind) stay with
    // `other` and go nowhere; the rest move over.
    let moves = [
        "UPDATE person_phones SET person_id = $1 WHERE person_id = $2 AND phone NOT IN (SELECT phone FROM person_phones WHERE person_id = $1)",
        "UPDATE person_emails SET person_id = $1 WHERE person_id = $2 AND email NOT IN (SELECT email FROM person_emails WHERE person_id = $1)",
        "UPDATE person_units SET person_id = $1 WHERE person_id = $2 AND NOT EXISTS (SELECT 1 FROM person_units x WHERE x.person_id = $1 AND x.unit_id = person_units.unit_id AND x.relation = person_units.relation)",
        "UPDATE vehicles SET person_id = $1 WHERE person_id = $2 AND plate NOT IN (SELECT plate FROM vehicles WHERE person_id = $1)",
        "UPDATE person_consents SET person_id = $1 WHERE person_id = $2 AND kind NOT IN (SELECT kind FROM person_consents WHERE person_id = $1)",
        "UPDATE person_notes SET person_id = $1 WHERE person_id = $2",
    ];
    for sql in moves {
        on_tx!(&mut tx, conn => sqlx::query(sql).bind(k).bind(o).execute(conn).await.map(|_| ()))?;
    }
    for table in [
        "person_phones",
        "person_emails",
        "person_units",
        "vehicles",
        "person_consents",
    ] {
        let sql = format!("DELETE FROM {table} WHERE person_id = $1");
        on_tx!(&mut tx, conn => sqlx::query(&sql).bind(o).execute(conn).await.map(|_| ()))?;
    }
    let now = Utc::now();
    on_tx!(&mut tx, conn => sqlx::query("UPDATE people SET merged_into = $1, updated_at = $2 WHERE id = $3")
        .bind(k).bind(now).bind(o).execute(conn).await.map(|_| ()))?;
    // Anyone merged into `other` earlier now points at `keep` too.
    on_tx!(&mut tx, conn => sqlx::query("UPDATE people SET merged_into = $1 WHERE merged_into = $2")
        .bind(k).bind(o).execute(conn).await.map(|_| ()))?;
    on_tx!(&mut tx, conn => sqlx::query("UPDATE people SET updated_at = $1 WHERE id = $2")
        .bind(now).bind(k).execute(conn).await.map(|_| ()))?;
    for (entity_id, change) in [(k, format!("#{o} → #{k}")), (o, format!("#{o} → #{k}"))] {
        audit::record(
            &mut tx,
            Who::Actor(actor),
            client,
            Entry {
                company_id: Some(kept.company_id),
                action: "person.merge",
                entity: "person",
                entity_id: Some(entity_id.to_string()),
                changes: vec![("merged", None, Some(change))],
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Pairs of people who look like one: a shared phone, or the same name in the same unit. Only
/// pairs whose both people `people.manage` reaches (company-wide: all of them).
pub async fn duplicates(
    db: &Db,
    actor: &Actor,
) -> Result<Vec<(PersonBrief, PersonBrief)>, AppError> {
    let reach = actor
        .building_reach(Permission::PeopleManage)
        .ok_or(AppError::Forbidden)?;
    let company = actor.company_sql("pa.company_id");
    let both = format!(
        "{} AND {}",
        reach_sql(&reach, "pa"),
        reach_sql(&reach, "pb")
    );
    let sql = format!(
        "SELECT DISTINCT a.person_id, b.person_id FROM person_phones a \
           JOIN person_phones b ON b.company_id = a.company_id AND b.phone = a.phone AND b.person_id > a.person_id \
           JOIN people pa ON pa.id = a.person_id JOIN people pb ON pb.id = b.person_id \
           WHERE {company} AND pa.merged_into IS NULL AND pb.merged_into IS NULL AND {both} \
         UNION \
         SELECT DISTINCT a.person_id, b.person_id FROM person_units a \
           JOIN person_units b ON b.unit_id = a.unit_id AND b.person_id > a.person_id \
           JOIN people pa ON pa.id = a.person_id JOIN people pb ON pb.id = b.person_id AND pb.search_name = pa.search_name \
           WHERE {company} AND pa.merged_into IS NULL AND pb.merged_into IS NULL AND {both} \
         ORDER BY 1, 2 LIMIT 200"
    );
    let pairs: Vec<(i64, i64)> = on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
    let mut ids: Vec<i64> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let by_id: BTreeMap<i64, PersonBrief> = briefs(db, actor, &ids)
        .await?
        .into_iter()
        .map(|b| (b.id.0, b))
        .collect();
    Ok(pairs
        .into_iter()
        .filter_map(|(a, b)| Some((by_id.get(&a)?.clone(), by_id.get(&b)?.clone())))
        .collect())
}

type UnitRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    Option<i32>,
    Option<i32>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

/// The client card. Following a merged person leads to the one they were merged into. Every view
/// is written to the audit log (`person.view`). Needs `people.view` reaching the person.
pub async fn card(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    id: PersonId,
) -> Result<PersonCard, AppError> {
    let mut id = id;
    let mut place = place(db, actor, Permission::PeopleView, id).await?;
    // A merge chain is flattened on merge, so one hop is enough; the loop guards old data.
    for _ in 0..3 {
        match place.merged_into {
            Some(target) => {
                id = PersonId(target);
                place = self::place(db, actor, Permission::PeopleView, id).await?;
            }
            None => break,
        }
    }
    let personal = sees_personal(actor, &place);
    let can_manage = place.reached_by(actor.building_reach(Permission::PeopleManage).as_ref());
    let (form, created_at) = load_form(db, id.0).await?;
    let name = if personal {
        display_name(
            form.kind,
            &form.last_name,
            &form.first_name,
            &form.middle_name,
            &form.organization,
        )
    } else {
        short_name(
            form.kind,
            &form.last_name,
            &form.first_name,
            &form.middle_name,
            &form.organization,
        )
    };
    let phones = form
        .phones
        .iter()
        .map(|p| CardPhone {
            display: if personal {
                crate::i18n::format_phone(&p.phone)
            } else {
                mask_phone(&p.phone)
            },
            e164: if personal {
                p.phone.clone()
            } else {
                String::new()
            },
            label: p.label.clone(),
        })
        .collect();
    let emails = if personal {
        form.emails.clone()
    } else {
        form.emails.iter().map(|e| mask_email(e)).collect()
    };
    let today = actor.today();
    let view = actor
        .building_reach(Permission::PeopleView)
        .map_or_else(|| "1 = 0".to_owned(), |r| r.sql("u.building_id"));
    let unit_rows: Vec<UnitRow> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT pu.id, u.id, u.building_id, b.name, u.number, pu.relation, pu.share_num, pu.share_den, pu.valid_from, pu.valid_to \
         FROM person_units pu JOIN units u ON u.id = pu.unit_id JOIN buildings b ON b.id = u.building_id \
         WHERE pu.person_id = $1 AND {view} ORDER BY b.name, u.id, pu.relation"))
        .bind(id.0).fetch_all(pool).await)?;
    let units = unit_rows
        .into_iter()
        .map(
            |(link_id, unit, building, bname, number, rel, num, den, from, to)| CardUnit {
                link_id,
                unit_id: UnitId(unit),
                building_id: BuildingId(building),
                label: format!("{bname} — {number}"),
                relation: Relation::from_db(&rel).unwrap_or(Relation::Occupant),
                share: share_text(num, den),
                valid_from: from,
                valid_to: to,
                current: to.is_none_or(|t| t >= today),
            },
        )
        .collect();
    let vehicles: Vec<(i64, String, String, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, plate, model, color FROM vehicles WHERE person_id = $1 ORDER BY id")
        .bind(id.0).fetch_all(pool).await)?;
    let consents: Vec<(String, NaiveDate, Option<NaiveDate>, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT kind, given_on, withdrawn_on, source FROM person_consents WHERE person_id = $1 ORDER BY kind")
        .bind(id.0).fetch_all(pool).await)?;
    let notes: Vec<(i64, String, DateTime<Utc>, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, author_name, created_at, body FROM person_notes WHERE person_id = $1 ORDER BY created_at DESC, id DESC")
        .bind(id.0).fetch_all(pool).await)?;
    let history: Vec<(DateTime<Utc>, String, String, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT at, actor_name, action, changes FROM audit_log \
         WHERE entity = 'person' AND entity_id = $1 AND action <> 'person.view' ORDER BY at DESC, id DESC LIMIT 100")
        .bind(id.0.to_string()).fetch_all(pool).await)?;
    let accounts = cabinet_accounts(db, actor, place.company_id, &form.phones, personal).await?;
    let mut tx = db.begin_write().await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(place.company_id),
            action: "person.view",
            entity: "person",
            entity_id: Some(id.0.to_string()),
            changes: vec![],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(PersonCard {
        id,
        kind: form.kind,
        name,
        personal,
        form: if personal {
            form
        } else {
            PersonForm {
                kind: form.kind,
                last_name: String::new(),
                first_name: String::new(),
                middle_name: String::new(),
                organization: String::new(),
                phones: vec![],
                emails: vec![],
            }
        },
        phones,
        emails,
        units,
        vehicles: vehicles
            .into_iter()
            .map(|(id, plate, model, color)| CardVehicle {
                id,
                plate: Plate::parse(&plate).map_or(plate, |p| p.display()),
                model,
                color,
            })
            .collect(),
        consents: consents
            .into_iter()
            .filter_map(|(kind, given_on, withdrawn_on, source)| {
                Some(CardConsent {
                    kind: ConsentKind::from_db(&kind)?,
                    given_on,
                    withdrawn_on,
                    source,
                })
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|(id, author, at, body)| CardNote {
                id,
                author,
                at,
                body,
            })
            .collect(),
        history: history
            .into_iter()
            .map(|(at, actor, action, changes)| CardEvent {
                at,
                actor,
                action,
                changes: if personal { changes } else { String::new() },
            })
            .collect(),
        accounts,
        can_manage,
        created_at,
    })
}

/// Resident-cabinet accounts sharing a phone with the person that this company knows (linked to
/// one of its units, now or before), with their active units of this company in the caller's
/// reach, under the name this company gave them; names as initials without personal data. A
/// resident account belongs to no company: another company's units and names never show here.
async fn cabinet_accounts(
    db: &Db,
    actor: &Actor,
    company: i64,
    phones: &[PhoneInput],
    personal: bool,
) -> Result<Vec<CardAccount>, AppError> {
    let view = actor
        .building_reach(Permission::PeopleView)
        .map_or_else(|| "1 = 0".to_owned(), |r| r.sql("u.building_id"));
    let sql = format!(
        "SELECT b.name, u.number FROM resident_units r JOIN units u ON u.id = r.unit_id \
         JOIN buildings b ON b.id = u.building_id \
         WHERE r.user_id = $1 AND r.company_id = $2 AND r.status = 'active' AND {view} \
         ORDER BY b.name, u.id"
    );
    let mut out = Vec::new();
    for p in phones {
        let rows: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
            "SELECT us.id, (SELECT r.display_name FROM resident_units r WHERE r.user_id = us.id AND r.company_id = $2 \
                            ORDER BY r.requested_at DESC, r.id DESC LIMIT 1) \
             FROM users us WHERE us.kind = 'resident' AND us.phone = $1 \
             AND EXISTS (SELECT 1 FROM resident_units r WHERE r.user_id = us.id AND r.company_id = $2)")
            .bind(&p.phone).bind(company).fetch_all(pool).await)?;
        for (user, name) in rows {
            let units: Vec<(String, String)> = on_db!(db, pool => sqlx::query_as(&sql)
                .bind(user).bind(company).fetch_all(pool).await)?;
            let name = if personal {
                name
            } else {
                let words: Vec<&str> = name.split(' ').collect();
                short_name(
                    PersonKind::Person,
                    words.first().copied().unwrap_or(""),
                    words.get(1).copied().unwrap_or(""),
                    words.get(2).copied().unwrap_or(""),
                    "",
                )
            };
            out.push(CardAccount {
                name,
                units: units
                    .into_iter()
                    .map(|(b, n)| format!("{b} — {n}"))
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// "i***@mail.ru": the first letter and the domain.
fn mask_email(e: &str) -> String {
    match e.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// The registry's people of a unit (owners first, then tenants, occupants, representatives).
/// Needs `people.view` reaching the unit's building.
pub async fn unit_people(db: &Db, actor: &Actor, unit: UnitId) -> Result<UnitPeople, AppError> {
    type Row = (
        i64,
        String,
        Option<i32>,
        Option<i32>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let (_, building) = unit_place(db, actor, Permission::PeopleView, unit.0).await?;
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "SELECT pu.person_id, pu.relation, pu.share_num, pu.share_den, pu.valid_from, pu.valid_to \
         FROM person_units pu JOIN people p ON p.id = pu.person_id \
         WHERE pu.unit_id = $1 AND p.merged_into IS NULL ORDER BY pu.relation, p.search_name")
        .bind(unit.0).fetch_all(pool).await)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let by_id: BTreeMap<i64, PersonBrief> = briefs(db, actor, &ids)
        .await?
        .into_iter()
        .map(|b| (b.id.0, b))
        .collect();
    let today = actor.today();
    let mut people: Vec<UnitPerson> = rows
        .into_iter()
        .filter_map(|(pid, rel, num, den, from, to)| {
            Some(UnitPerson {
                person: by_id.get(&pid)?.clone(),
                relation: Relation::from_db(&rel).unwrap_or(Relation::Occupant),
                share: share_text(num, den),
                valid_from: from,
                valid_to: to,
                current: to.is_none_or(|t| t >= today),
            })
        })
        .collect();
    people.sort_by_key(|p| {
        (
            !p.current,
            Relation::ALL.iter().position(|r| *r == p.relation),
        )
    });
    Ok(UnitPeople {
        people,
        can_manage: actor.reaches(Permission::PeopleManage, building),
    })
}

fn share_text(num: Option<i32>, den: Option<i32>) -> Option<String> {
    num.zip(den).map(|(n, d)| {
        crate::people::person::Share {
            num: u32::try_from(n).unwrap_or(1),
            den: u32::try_from(d).unwrap_or(1),
        }
        .display()
    })
}

/// People with this phone number that the actor can see (the screen pop of an incoming call).
pub async fn by_phone(
    db: &Db,
    actor: &Actor,
    phone: &crate::values::Phone,
) -> Result<Vec<PersonBrief>, AppError> {
    let reach = actor
        .building_reach(Permission::PeopleView)
        .ok_or(AppError::Forbidden)?;
    let sql = format!(
        "SELECT DISTINCT p.id, p.search_name FROM person_phones ph JOIN people p ON p.id = ph.person_id \
         WHERE ph.phone = $1 AND p.merged_into IS NULL AND {} AND {} ORDER BY p.search_name, p.id LIMIT 50",
        actor.company_sql("p.company_id"),
        reach_sql(&reach, "p")
    );
    let rows: Vec<(i64, String)> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(phone.as_str()).fetch_all(pool).await)?;
    let ids: Vec<i64> = rows.into_iter().map(|(id, _)| id).collect();
    briefs(db, actor, &ids).await
}

#[cfg(test)]
mod tests {
    use super::mask_email;

    #[test]
    fn e_mails_keep_the_first_letter_and_domain() {
        assert_eq!(mask_email("ivanov@mail.ru"), "i***@mail.ru");
        assert_eq!(mask_email("broken"), "***");
    }
}
