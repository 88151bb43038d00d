//! SQL of the phonebook, with named rows. One query text serves both backends. No permission
//! checks here: the service passes only trusted SQL filters.

use super::super::model::{Category, CheckedEntry};
use crate::AppError;
use crate::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// An entry without its phones and places.
#[derive(sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub category: String,
    pub name: String,
    pub organization: String,
    pub title: String,
    pub email: String,
    pub note: String,
}

/// Entries (`e`) matching every condition (trusted SQL with `$n` placeholders for `binds`),
/// emergency services first, then by name; at most 500.
pub async fn entries(
    db: &Db,
    conds: &[String],
    binds: &[String],
) -> Result<Vec<EntryRow>, AppError> {
    let sql = format!(
        "SELECT e.id, e.category, e.name, e.organization, e.title, e.email, e.note FROM phonebook_entries e \
         WHERE {} ORDER BY CASE e.category WHEN 'emergency' THEN 0 ELSE 1 END, e.search_name, e.id LIMIT 500",
        conds.join(" AND ")
    );
    Ok(on_db!(db, pool => {
        let mut q = sqlx::query_as::<_, EntryRow>(&sql);
        for b in binds {
            q = q.bind(b);
        }
        q.fetch_all(pool).await
    })?)
}

/// A phone of an entry.
#[derive(sqlx::FromRow)]
pub struct PhoneRow {
    pub entry_id: i64,
    pub phone: String,
    pub label: String,
}

/// The phones of the entries, in order.
pub async fn phones(db: &Db, entries: &[i64]) -> Result<Vec<PhoneRow>, AppError> {
    let ids = crate::db::id_list(entries);
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT entry_id, phone, label FROM phonebook_phones WHERE entry_id IN ({ids}) ORDER BY entry_id, position"))
        .fetch_all(pool).await)?)
}

/// A place an entry serves: a building or a work area, with its name.
#[derive(sqlx::FromRow)]
pub struct PlaceRow {
    pub entry_id: i64,
    pub building_id: Option<i64>,
    pub building: Option<String>,
    pub work_area_id: Option<i64>,
    pub work_area: Option<String>,
}

/// The places of the entries.
pub async fn places(db: &Db, entries: &[i64]) -> Result<Vec<PlaceRow>, AppError> {
    let ids = crate::db::id_list(entries);
    Ok(on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT pl.entry_id, b.id AS building_id, b.name AS building, w.id AS work_area_id, w.name AS work_area \
         FROM phonebook_places pl \
         LEFT JOIN buildings b ON b.id = pl.building_id LEFT JOIN work_areas w ON w.id = pl.work_area_id \
         WHERE pl.entry_id IN ({ids}) ORDER BY pl.entry_id, b.name, w.name"))
        .fetch_all(pool).await)?)
}

pub async fn entry_company(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT company_id FROM phonebook_entries WHERE id = $1").bind(id).fetch_optional(pool).await)?)
}

/// Whether the entry (`e`) matches the trusted filter.
pub async fn entry_matches(db: &Db, id: i64, filter: &str) -> Result<bool, AppError> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM phonebook_entries e WHERE e.id = $1 AND {filter}"))
        .bind(id).fetch_one(pool).await)?;
    Ok(n > 0)
}

/// An entry's place ids.
#[derive(sqlx::FromRow)]
pub struct PlaceIds {
    pub building_id: Option<i64>,
    pub work_area_id: Option<i64>,
}

pub async fn entry_places(db: &Db, id: i64) -> Result<Vec<PlaceIds>, AppError> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "SELECT building_id, work_area_id FROM phonebook_places WHERE entry_id = $1")
        .bind(id).fetch_all(pool).await)?)
}

/// How many of `ids` are rows of the company in `table` (`buildings` or `work_areas`).
pub async fn count_of_company(
    db: &Db,
    table: &'static str,
    company: i64,
    ids: &BTreeSet<i64>,
) -> Result<i64, AppError> {
    let list = crate::db::id_list(&ids.iter().copied().collect::<Vec<_>>());
    Ok(on_db!(db, pool => sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {table} WHERE company_id = $1 AND id IN ({list})"))
        .bind(company).fetch_one(pool).await)?)
}

/// Writes an entry (`id`: changes that one); returns its id.
pub async fn save_entry(
    tx: &mut Tx,
    (company, id): (i64, Option<i64>),
    category: Category,
    e: &CheckedEntry,
    email: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(match id {
        Some(id) => {
            on_tx!(tx, conn => sqlx::query(
                "UPDATE phonebook_entries SET category = $1, name = $2, organization = $3, title = $4, email = $5, note = $6, \
                 search_name = $7, updated_at = $8 WHERE id = $9")
                .bind(category.as_db()).bind(&e.name).bind(&e.organization).bind(&e.title)
                .bind(email).bind(&e.note).bind(&e.search_name).bind(now).bind(id)
                .execute(conn).await.map(|_| ()))?;
            id
        }
        None => on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO phonebook_entries (company_id, category, name, organization, title, email, note, search_name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
            .bind(company).bind(category.as_db()).bind(&e.name).bind(&e.organization).bind(&e.title)
            .bind(email).bind(&e.note).bind(&e.search_name).bind(now)
            .fetch_one(conn).await)?,
    })
}

/// Replaces the entry's phones and places.
pub async fn write_children(
    tx: &mut Tx,
    id: i64,
    phones: &[(crate::values::Phone, String)],
    (buildings, areas): (&BTreeSet<i64>, &BTreeSet<i64>),
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM phonebook_phones WHERE entry_id = $1").bind(id).execute(conn).await.map(|_| ()))?;
    on_tx!(tx, conn => sqlx::query("DELETE FROM phonebook_places WHERE entry_id = $1").bind(id).execute(conn).await.map(|_| ()))?;
    for (i, (phone, label)) in phones.iter().enumerate() {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO phonebook_phones (entry_id, phone, label, position) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(phone.as_str()).bind(label).bind(i32::try_from(i).unwrap_or(0))
            .execute(conn).await.map(|_| ()))?;
    }
    for b in buildings {
        on_tx!(tx, conn => sqlx::query("INSERT INTO phonebook_places (entry_id, building_id) VALUES ($1, $2)")
            .bind(id).bind(*b).execute(conn).await.map(|_| ()))?;
    }
    for w in areas {
        on_tx!(tx, conn => sqlx::query("INSERT INTO phonebook_places (entry_id, work_area_id) VALUES ($1, $2)")
            .bind(id).bind(*w).execute(conn).await.map(|_| ()))?;
    }
    Ok(())
}

pub async fn entry_name(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT name FROM phonebook_entries WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?,
    )
}

pub async fn delete_entry(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    Ok(
        on_tx!(tx, conn => sqlx::query("DELETE FROM phonebook_entries WHERE id = $1").bind(id).execute(conn).await.map(|_| ()))?,
    )
}
