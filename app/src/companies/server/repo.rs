//! SQL for companies, with named rows. One query text serves both backends. No permission
//! checks here: the service decides who sees what.

use crate::AppError;
use crate::Invalid;
use crate::companies::model::{CompanyId, CompanyKind, NewCompany};
use crate::db::{Db, Tx, is_unique_violation};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

/// A company with its type's and holding's names.
#[derive(sqlx::FromRow)]
pub struct CompanyRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub short_name: String,
    pub inn: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub type_id: Option<i64>,
    pub type_name: Option<String>,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub holding_access: bool,
    pub time_zone: String,
}

const SELECT: &str = "SELECT c.id, c.kind, c.name, c.short_name, c.inn, c.phone, c.email, c.address, \
        c.type_id, t.name AS type_name, c.parent_id, p.short_name AS parent_name, c.holding_access, c.time_zone \
     FROM companies c LEFT JOIN company_types t ON t.id = c.type_id LEFT JOIN companies p ON p.id = c.parent_id";

/// Who sees a company (`c`): its own staff; its holding's staff when the company granted the
/// holding access. `{company}` is the viewer's company.
pub fn visible_to(company: i64) -> String {
    format!("(c.id = {company} OR (c.parent_id = {company} AND c.holding_access = TRUE))")
}

/// Companies (`c`) matching the trusted filter, management companies first, then by short name.
pub async fn companies(db: &Db, filter: &str) -> Result<Vec<CompanyRow>, AppError> {
    let sql = format!(
        "{SELECT} WHERE {filter} ORDER BY CASE c.kind WHEN 'management' THEN 0 WHEN 'contractor' THEN 1 ELSE 2 END, c.short_name"
    );
    Ok(on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
}

pub async fn company(db: &Db, id: i64) -> Result<Option<CompanyRow>, AppError> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    Ok(on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
}

/// A company type with how many companies (`c`, matching the filter) have it.
#[derive(sqlx::FromRow)]
pub struct TypeRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub companies: i64,
}

pub async fn types(db: &Db, filter: &str) -> Result<Vec<TypeRow>, AppError> {
    let sql = format!(
        "SELECT t.id, t.kind, t.name, (SELECT COUNT(*) FROM companies c WHERE c.type_id = t.id AND {filter}) AS companies \
         FROM company_types t ORDER BY t.kind, t.name"
    );
    Ok(on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
}

/// Writes a company type (`id`: renames that one); `NotFound` for a missing id, `Validation`
/// on `name` when taken.
pub async fn save_type(
    tx: &mut Tx,
    id: Option<i64>,
    kind: CompanyKind,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let res: Result<i64, sqlx::Error> = match id {
        Some(id) => {
            on_tx!(tx, conn => sqlx::query("UPDATE company_types SET name = $1, kind = $2 WHERE id = $3")
            .bind(name).bind(kind.as_db()).bind(id).execute(conn).await
            .map(|r| if r.rows_affected() == 1 { id } else { 0 }))
        }
        None => on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO company_types (kind, name, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(kind.as_db()).bind(name).bind(now).fetch_one(conn).await),
    };
    match res {
        Ok(0) => Err(AppError::NotFound),
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e, "company_types_name_key", "company_types.name") => {
            Err(AppError::validation("name", Invalid::Taken))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn type_kind(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT kind FROM company_types WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?,
    )
}

/// The holding of a company: `None` for a missing company, `Some(None)` for one without.
pub async fn parent_of(db: &Db, id: i64) -> Result<Option<Option<i64>>, AppError> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT parent_id FROM companies WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?,
    )
}

/// A company card to write.
pub struct CompanyFields<'a> {
    pub kind: CompanyKind,
    pub name: &'a str,
    pub short_name: &'a str,
    pub inn: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
    pub type_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub holding_access: bool,
    pub time_zone: &'a str,
}

/// Writes a company card (`id`: changes that one); `Validation` on `inn` when another company
/// has it.
pub async fn save_company(
    tx: &mut Tx,
    id: Option<i64>,
    c: &CompanyFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let res: Result<i64, sqlx::Error> = match id {
        Some(id) => on_tx!(tx, conn => sqlx::query(
            "UPDATE companies SET kind = $1, name = $2, short_name = $3, inn = $4, phone = $5, email = $6, address = $7, \
                                  type_id = $8, parent_id = $9, holding_access = $10, time_zone = $11 WHERE id = $12")
            .bind(c.kind.as_db()).bind(c.name).bind(c.short_name).bind(c.inn).bind(c.phone)
            .bind(c.email).bind(c.address).bind(c.type_id).bind(c.parent_id).bind(c.holding_access)
            .bind(c.time_zone).bind(id).execute(conn).await.map(|_| id)),
        None => on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO companies (kind, name, short_name, inn, phone, email, address, type_id, parent_id, holding_access, time_zone, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id")
            .bind(c.kind.as_db()).bind(c.name).bind(c.short_name).bind(c.inn).bind(c.phone)
            .bind(c.email).bind(c.address).bind(c.type_id).bind(c.parent_id).bind(c.holding_access)
            .bind(c.time_zone).bind(now).fetch_one(conn).await),
    };
    res.map_err(inn_taken)
}

fn inn_taken(e: sqlx::Error) -> AppError {
    if is_unique_violation(&e, "companies_inn_key", "companies.inn") {
        AppError::validation("inn", Invalid::Duplicate)
    } else {
        e.into()
    }
}

/// A management company's public contacts.
#[derive(sqlx::FromRow)]
pub struct ContactsRow {
    pub short_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// Contacts of management companies by name: `mode` `all`, `company` (the company `id`) or
/// `resident` (the companies the account `id` has an active link with).
pub async fn contacts(db: &Db, mode: &str, id: i64) -> Result<Vec<ContactsRow>, AppError> {
    Ok(on_db!(db, pool =>
        sqlx::query_as("SELECT short_name, phone, email, address FROM companies \
                        WHERE kind = 'management' AND ($1 = 'all' \
                            OR ($1 = 'company' AND id = $2) \
                            OR ($1 = 'resident' AND id IN (SELECT r.company_id FROM resident_units r \
                                                           WHERE r.user_id = $2 AND r.status = 'active'))) \
                        ORDER BY short_name")
            .bind(mode)
            .bind(id)
            .fetch_all(pool)
            .await)?)
}

/// Counts companies.
pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM companies").fetch_one(pool).await)?,
    )
}

/// Inserts a company inside a write transaction (demo data, tools); a duplicate INN is a field
/// error.
pub async fn insert(tx: &mut Tx, c: &NewCompany) -> Result<CompanyId, AppError> {
    let now = Utc::now();
    let sql = "INSERT INTO companies (kind, name, short_name, inn, phone, email, address, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    let res: Result<i64, sqlx::Error> = on_tx!(tx, conn => sqlx::query_scalar(sql)
        .bind(c.kind.as_db())
        .bind(&c.name)
        .bind(&c.short_name)
        .bind(&c.inn)
        .bind(&c.phone)
        .bind(&c.email)
        .bind(&c.address)
        .bind(now)
        .fetch_one(conn)
        .await);
    res.map(CompanyId).map_err(inn_taken)
}
