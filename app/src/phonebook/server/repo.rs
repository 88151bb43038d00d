//! SQL and rules of the phonebook. One query text serves both backends.
//!
//! Reach: an entry with no buildings and no work areas serves the whole company and every holder
//! of `phonebook.view` sees it; an entry naming buildings or work areas is seen by those whose
//! reach covers one of them. Editing needs `phonebook.manage`: company-wide for company-wide
//! entries and work areas; a building-scoped manager may name only buildings they reach.

use super::super::model::{Category, CheckedEntry, Entry, EntryForm, PhonebookFilter};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::access::server::audit::{self, Entry as AuditEntry, Who};
use crate::access::server::session::ClientInfo;
use crate::access::server::{Actor, Reach};
use crate::buildings::model::BuildingId;
use crate::buildings::server::repo::own_company;
use crate::db::{Db, Tx};
use crate::people::person::{CardPhone, PhoneInput};
use crate::values::fold;
use crate::{on_db, on_tx};
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

type EntryRow = (i64, String, String, String, String, String, String);

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
    let sql = format!(
        "SELECT e.id, e.category, e.name, e.organization, e.title, e.email, e.note FROM phonebook_entries e \
         WHERE {} ORDER BY CASE e.category WHEN 'emergency' THEN 0 ELSE 1 END, e.search_name, e.id LIMIT 500",
        conds.join(" AND ")
    );
    let rows: Vec<EntryRow> = on_db!(db, pool => {
        let mut q = sqlx::query_as::<_, EntryRow>(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        q.fetch_all(pool).await
    })?;
    entries(db, actor, rows).await
}

/// entry, building id and name, work area id and name
type PlaceRow = (
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
);
/// names, buildings, work areas
type Places = (Vec<String>, Vec<BuildingId>, Vec<i64>);

/// Phones and places of the listed entries (two queries whatever the count).
async fn entries(db: &Db, actor: &Actor, rows: Vec<EntryRow>) -> Result<Vec<Entry>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = rows
        .iter()
        .map(|r| r.0.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let phones: Vec<(i64, String, String)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT entry_id, phone, label FROM phonebook_phones WHERE entry_id IN ({ids}) ORDER BY entry_id, position"))
        .fetch_all(pool).await)?;
    let places: Vec<PlaceRow> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT pl.entry_id, b.id, b.name, w.id, w.name FROM phonebook_places pl \
         LEFT JOIN buildings b ON b.id = pl.building_id LEFT JOIN work_areas w ON w.id = pl.work_area_id \
         WHERE pl.entry_id IN ({ids}) ORDER BY pl.entry_id, b.name, w.name"))
        .fetch_all(pool).await)?;
    let mut phone_map: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
    for (e, p, l) in phones {
        phone_map.entry(e).or_default().push((p, l));
    }
    let mut place_map: BTreeMap<i64, Places> = BTreeMap::new();
    for (e, bid, bname, wid, wname) in places {
        let p = place_map.entry(e).or_default();
        if let (Some(id), Some(name)) = (bid, bname) {
            p.0.push(name);
            p.1.push(BuildingId(id));
        }
        if let (Some(id), Some(name)) = (wid, wname) {
            p.0.push(name);
            p.2.push(id);
        }
    }
    let manage = actor.building_reach(Permission::PhonebookManage);
    Ok(rows
        .into_iter()
        .map(|(id, category, name, organization, title, email, note)| {
            let phones = phone_map.remove(&id).unwrap_or_default();
            let (labels, buildings, work_areas) = place_map.remove(&id).unwrap_or_default();
            let can_manage = may_manage(manage.as_ref(), &buildings, &work_areas);
            let category = Category::from_db(&category).unwrap_or(Category::Other);
            Entry {
                id,
                category,
                name: name.clone(),
                organization: organization.clone(),
                title: title.clone(),
                phones: phones
                    .iter()
                    .map(|(p, l)| CardPhone {
                        display: crate::i18n::format_phone(p),
                        e164: p.clone(),
                        label: l.clone(),
                    })
                    .collect(),
                email: email.clone(),
                note: note.clone(),
                places: labels,
                form: EntryForm {
                    id: Some(id),
                    category,
                    name,
                    organization,
                    title,
                    phones: phones
                        .into_iter()
                        .map(|(phone, label)| PhoneInput { phone, label })
                        .collect(),
                    email,
                    note,
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

/// The places of an existing entry of the actor's company that the caller sees; `NotFound`
/// otherwise.
async fn existing(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> Result<(i64, Vec<BuildingId>, Vec<i64>), AppError> {
    let company: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "SELECT company_id FROM phonebook_entries WHERE id = $1").bind(id).fetch_optional(pool).await)?;
    let company = company
        .filter(|c| actor.sees_company(*c))
        .ok_or(AppError::NotFound)?;
    // An entry the caller cannot see answers like a missing one.
    let view = actor
        .building_reach(Permission::PhonebookView)
        .ok_or(AppError::NotFound)?;
    let visible: i64 = on_db!(db, pool => sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM phonebook_entries e WHERE e.id = $1 AND {}", reach_sql(&view)))
        .bind(id).fetch_one(pool).await)?;
    if visible == 0 {
        return Err(AppError::NotFound);
    }
    let places: Vec<(Option<i64>, Option<i64>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT building_id, work_area_id FROM phonebook_places WHERE entry_id = $1")
        .bind(id).fetch_all(pool).await)?;
    let buildings = places.iter().filter_map(|p| p.0.map(BuildingId)).collect();
    let areas = places.iter().filter_map(|p| p.1).collect();
    Ok((company, buildings, areas))
}

/// Checks that every named building and work area is the company's.
async fn check_places(db: &Db, company: i64, form: &EntryForm) -> Result<(), AppError> {
    for (table, ids, field) in [
        (
            "buildings",
            form.buildings.iter().map(|b| b.0).collect::<BTreeSet<_>>(),
            "buildings",
        ),
        (
            "work_areas",
            form.work_areas.iter().copied().collect::<BTreeSet<_>>(),
            "work_areas",
        ),
    ] {
        if ids.is_empty() {
            continue;
        }
        let list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let found: i64 = on_db!(db, pool => sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE company_id = $1 AND id IN ({list})"))
            .bind(company).fetch_one(pool).await)?;
        if usize::try_from(found).unwrap_or(0) != ids.len() {
            return Err(AppError::validation(field, Invalid::NotFound));
        }
    }
    Ok(())
}

async fn write_children(
    tx: &mut Tx,
    id: i64,
    checked: &CheckedEntry,
    form: &EntryForm,
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM phonebook_phones WHERE entry_id = $1").bind(id).execute(conn).await.map(|_| ()))?;
    on_tx!(tx, conn => sqlx::query("DELETE FROM phonebook_places WHERE entry_id = $1").bind(id).execute(conn).await.map(|_| ()))?;
    for (i, (phone, label)) in checked.phones.iter().enumerate() {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO phonebook_phones (entry_id, phone, label, position) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(phone.as_str()).bind(label).bind(i32::try_from(i).unwrap_or(0))
            .execute(conn).await.map(|_| ()))?;
    }
    let buildings: BTreeSet<i64> = form.buildings.iter().map(|b| b.0).collect();
    let areas: BTreeSet<i64> = form.work_areas.iter().copied().collect();
    for b in buildings {
        on_tx!(tx, conn => sqlx::query("INSERT INTO phonebook_places (entry_id, building_id) VALUES ($1, $2)")
            .bind(id).bind(b).execute(conn).await.map(|_| ()))?;
    }
    for w in areas {
        on_tx!(tx, conn => sqlx::query("INSERT INTO phonebook_places (entry_id, work_area_id) VALUES ($1, $2)")
            .bind(id).bind(w).execute(conn).await.map(|_| ()))?;
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
        None => own_company(actor)?,
    };
    let checked = form.check()?;
    check_places(db, company, form).await?;
    if !may_manage(Some(&reach), &form.buildings, &form.work_areas) {
        return Err(AppError::validation("buildings", Invalid::OutOfReach));
    }
    let now = Utc::now();
    let email = checked
        .email
        .as_ref()
        .map(|e| e.as_str().to_owned())
        .unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let id = match form.id {
        Some(id) => {
            on_tx!(&mut tx, conn => sqlx::query(
                "UPDATE phonebook_entries SET category = $1, name = $2, organization = $3, title = $4, email = $5, note = $6, \
                 search_name = $7, updated_at = $8 WHERE id = $9")
                .bind(form.category.as_db()).bind(&checked.name).bind(&checked.organization).bind(&checked.title)
                .bind(&email).bind(&checked.note).bind(&checked.search_name).bind(now).bind(id)
                .execute(conn).await.map(|_| ()))?;
            id
        }
        None => on_tx!(&mut tx, conn => sqlx::query_scalar(
            "INSERT INTO phonebook_entries (company_id, category, name, organization, title, email, note, search_name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
            .bind(company).bind(form.category.as_db()).bind(&checked.name).bind(&checked.organization).bind(&checked.title)
            .bind(&email).bind(&checked.note).bind(&checked.search_name).bind(now)
            .fetch_one(conn).await)?,
    };
    write_children(&mut tx, id, &checked, form).await?;
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
    let name: String =
        on_db!(db, pool => sqlx::query_scalar("SELECT name FROM phonebook_entries WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, conn => sqlx::query("DELETE FROM phonebook_entries WHERE id = $1").bind(id).execute(conn).await.map(|_| ()))?;
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
