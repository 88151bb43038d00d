//! The phonebook's use cases: who sees and edits which entries, validation, the transaction, the
//! audit entry.
//!
//! Reach: an entry with no buildings and no work areas serves the whole company and every holder
//! of `phonebook.view` sees it; an entry naming buildings or work areas is seen by those whose
//! reach covers one of them. Editing needs `phonebook.manage`: company-wide for company-wide
//! entries and work areas; a building-scoped manager may name only buildings they reach.

use super::super::model::{Category, Entry, EntryForm, PhonebookFilter};
use super::repo::{self, EntryRow};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::audit::{self, Entry as AuditEntry, Who};
use crate::access::server::session::ClientInfo;
use crate::access::server::{Actor, Reach};
use crate::buildings::model::BuildingId;
use crate::db::Db;
use crate::people::person::{CardPhone, PhoneInput};
use crate::values::fold;
use chrono::Utc;
use std::collections::{BTreeMap, BTreeSet};

/// SQL: the entry `e` is seen with this reach.
fn reach_sql(reach: &Reach) -> String {
    match reach {
        Reach::All => "1 = 1".into(),
        Reach::Only(_) => format!(
            "(NOT EXISTS (SELECT 1 FROM phonebook_places pl WHERE pl.entry_id = e.id) \
              OR EXISTS (SELECT 1 FROM phonebook_places pl LEFT JOIN work_area_parts wp ON wp.work_area_id = pl.work_area_id \
                         WHERE pl.entry_id = e.id AND ({} OR {})))",
            reach.sql("pl.building_id"),
            reach.sql("wp.building_id")
        ),
    }
}

/// The phonebook, filtered by text (name, organisation, title, or digits of a phone), category
/// and building. Needs `phonebook.view`.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: &PhonebookFilter,
) -> Result<Vec<Entry>, AppError> {
    let reach = actor
        .building_reach(Permission::PhonebookView)
        .ok_or(AppError::Forbidden)?;
    let mut conds = vec![actor.company_sql("e.company_id"), reach_sql(&reach)];
    let mut binds: Vec<String> = Vec::new();
    let text = fold(&filter.q);
    if !text.is_empty() {
        let digits: String = filter.q.chars().filter(char::is_ascii_digit).collect();
        let mut or = Vec::new();
        for w in text.split(' ').take(4) {
            binds.push(format!("%{w}%"));
            or.push(format!("e.search_name LIKE ${}", binds.len()));
        }
        let mut cond = format!("({})", or.join(" AND "));
        if digits.len() >= 3 {
            let digits = match digits.strip_prefix('8') {
                Some(rest) if digits.len() > 4 => format!("7{rest}"),
                _ => digits,
            };
            binds.push(format!("%{digits}%"));
            cond = format!(
                "({cond} OR EXISTS (SELECT 1 FROM phonebook_phones pp WHERE pp.entry_id = e.id AND pp.phone LIKE ${}))",
                binds.len()
            );
        }
        conds.push(cond);
    }
    if let Some(c) = filter.category {
        conds.push(format!("e.category = '{}'", c.as_db()));
    }
    if let Some(b) = filter.building {
        conds.push(format!(
            "(NOT EXISTS (SELECT 1 FROM phonebook_places pl WHERE pl.entry_id = e.id) \
              OR EXISTS (SELECT 1 FROM phonebook_places pl LEFT JOIN work_area_parts wp ON wp.work_area_id = pl.work_area_id \
                         WHERE pl.entry_id = e.id AND (pl.building_id = {0} OR wp.building_id = {0})))",
            b.0
        ));
    }
    let rows = repo::entries(db, &conds, &binds).await?;
    entries(db, actor, rows).await
}

/// The places of an entry: names, buildings, work areas.
type Places = (Vec<String>, Vec<BuildingId>, Vec<i64>);

/// Phones and places of the listed entries (two queries whatever the count).
async fn entries(db: &Db, actor: &Actor, rows: Vec<EntryRow>) -> Result<Vec<Entry>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut phone_map: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
    for p in repo::phones(db, &ids).await? {
        phone_map
            .entry(p.entry_id)
            .or_default()
            .push((p.phone, p.label));
    }
    let mut place_map: BTreeMap<i64, Places> = BTreeMap::new();
    for pl in repo::places(db, &ids).await? {
        let p = place_map.entry(pl.entry_id).or_default();
        if let (Some(id), Some(name)) = (pl.building_id, pl.building) {
            p.0.push(name);
            p.1.push(BuildingId(id));
        }
        if let (Some(id), Some(name)) = (pl.work_area_id, pl.work_area) {
            p.0.push(name);
            p.2.push(id);
        }
    }
    let manage = actor.building_reach(Permission::PhonebookManage);
    Ok(rows
        .into_iter()
        .map(|r| {
            let phones = phone_map.remove(&r.id).unwrap_or_default();
            let (labels, buildings, work_areas) = place_map.remove(&r.id).unwrap_or_default();
            let can_manage = may_manage(manage.as_ref(), &buildings, &work_areas);
            let category = Category::from_db(&r.category).unwrap_or(Category::Other);
            Entry {
                id: r.id,
                category,
                name: r.name.clone(),
                organization: r.organization.clone(),
                title: r.title.clone(),
                phones: phones
                    .iter()
                    .map(|(p, l)| CardPhone {
                        display: crate::i18n::format_phone(p),
                        e164: p.clone(),
                        label: l.clone(),
                    })
                    .collect(),
                email: r.email.clone(),
                note: r.note.clone(),
                places: labels,
                form: EntryForm {
                    id: Some(r.id),
                    category,
                    name: r.name,
                    organization: r.organization,
                    title: r.title,
                    phones: phones
                        .into_iter()
                        .map(|(phone, label)| PhoneInput { phone, label })
                        .collect(),
                    email: r.email,
                    note: r.note,
                    buildings,
                    work_areas,
                },
                can_manage,
            }
        })
        .collect())
}

/// Whether `phonebook.manage` with this reach covers an entry with these places: company-wide
/// for everything; otherwise only entries naming buildings (no work areas), all within reach.
fn may_manage(reach: Option<&Reach>, buildings: &[BuildingId], work_areas: &[i64]) -> bool {
    match reach {
        Some(Reach::All) => true,
        Some(r @ Reach::Only(_)) => {
            work_areas.is_empty()
                && !buildings.is_empty()
                && buildings.iter().all(|b| r.contains(b.0))
        }
        None => false,
    }
}

/// The company and places of an existing entry of the actor's company that the caller sees;
/// `NotFound` otherwise.
async fn existing(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> Result<(i64, Vec<BuildingId>, Vec<i64>), AppError> {
    let company = repo::entry_company(db, id)
        .await?
        .filter(|c| actor.sees_company(*c))
        .ok_or(AppError::NotFound)?;
    // An entry the caller cannot see answers like a missing one.
    let view = actor
        .building_reach(Permission::PhonebookView)
        .ok_or(AppError::NotFound)?;
    if !repo::entry_matches(db, id, &reach_sql(&view)).await? {
        return Err(AppError::NotFound);
    }
    let places = repo::entry_places(db, id).await?;
    let buildings = places
        .iter()
        .filter_map(|p| p.building_id.map(BuildingId))
        .collect();
    let areas = places.iter().filter_map(|p| p.work_area_id).collect();
    Ok((company, buildings, areas))
}

/// Checks that every named building and work area is the company's.
async fn check_places(
    db: &Db,
    company: i64,
    buildings: &BTreeSet<i64>,
    areas: &BTreeSet<i64>,
) -> Result<(), AppError> {
    for (table, ids) in [("buildings", buildings), ("work_areas", areas)] {
        if ids.is_empty() {
            continue;
        }
        let found = repo::count_of_company(db, table, company, ids).await?;
        if usize::try_from(found).unwrap_or(0) != ids.len() {
            return Err(AppError::validation(table, Invalid::NotFound));
        }
    }
    Ok(())
}

/// Creates or updates an entry. Needs `phonebook.manage` covering the entry before and after
/// (see [`may_manage`]). Errors: `Validation`, `NotFound`, `Forbidden`.
pub async fn save(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    form: &EntryForm,
) -> Result<i64, AppError> {
    let reach = actor
        .building_reach(Permission::PhonebookManage)
        .ok_or(AppError::Forbidden)?;
    let company = match form.id {
        Some(id) => {
            let (company, b, w) = existing(db, actor, id).await?;
            if !may_manage(Some(&reach), &b, &w) {
                return Err(AppError::Forbidden);
            }
            company
        }
        None => actor.own_company()?,
    };
    let checked = form.check()?;
    let buildings: BTreeSet<i64> = form.buildings.iter().map(|b| b.0).collect();
    let areas: BTreeSet<i64> = form.work_areas.iter().copied().collect();
    check_places(db, company, &buildings, &areas).await?;
    if !may_manage(Some(&reach), &form.buildings, &form.work_areas) {
        return Err(AppError::validation("buildings", Invalid::OutOfReach));
    }
    let email = checked
        .email
        .as_ref()
        .map(|e| e.as_str().to_owned())
        .unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let id = repo::save_entry(
        &mut tx,
        (company, form.id),
        form.category,
        &checked,
        &email,
        Utc::now(),
    )
    .await?;
    repo::write_children(&mut tx, id, &checked.phones, (&buildings, &areas)).await?;
    let phones = checked
        .phones
        .iter()
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        AuditEntry {
            company_id: Some(company),
            action: if form.id.is_some() {
                "phonebook.update"
            } else {
                "phonebook.create"
            },
            entity: "phonebook_entry",
            entity_id: Some(id.to_string()),
            changes: vec![
                ("name", None, Some(checked.name.clone())),
                ("phones", None, Some(phones)),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes an entry. Needs `phonebook.manage` covering it.
pub async fn delete(db: &Db, actor: &Actor, client: &ClientInfo, id: i64) -> Result<(), AppError> {
    let reach = actor
        .building_reach(Permission::PhonebookManage)
        .ok_or(AppError::Forbidden)?;
    let (company, b, w) = existing(db, actor, id).await?;
    if !may_manage(Some(&reach), &b, &w) {
        return Err(AppError::Forbidden);
    }
    let name = repo::entry_name(db, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    repo::delete_entry(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        AuditEntry {
            company_id: Some(company),
            action: "phonebook.delete",
            entity: "phonebook_entry",
            entity_id: Some(id.to_string()),
            changes: vec![("name", Some(name), None)],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
