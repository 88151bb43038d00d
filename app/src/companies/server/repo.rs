//! SQL for companies. One query text serves both backends.

use crate::AppError;
use crate::access::server::Actor;
use crate::companies::model::{
    Company, CompanyContacts, CompanyId, CompanyKind, CompanyQuery, NewCompany,
};
use crate::db::{Db, Tx};
use crate::{on_db, on_tx};

#[derive(sqlx::FromRow)]
struct CompanyRow {
    id: i64,
    kind: String,
    name: String,
    short_name: String,
    inn: String,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

impl CompanyRow {
    fn into_model(self) -> Result<Company, AppError> {
        let kind = CompanyKind::from_db(&self.kind).ok_or_else(|| {
            tracing::error!(id = self.id, kind = %self.kind, "unknown company kind in the database");
            AppError::Internal
        })?;
        Ok(Company {
            id: CompanyId(self.id),
            kind,
            name: self.name,
            short_name: self.short_name,
            inn: self.inn,
            phone: self.phone,
            email: self.email,
            address: self.address,
        })
    }
}

/// short name, phone, e-mail, address
type ContactsRow = (String, Option<String>, Option<String>, Option<String>);

const COLUMNS: &str = "id, kind, name, short_name, inn, phone, email, address";

/// Companies matching the query, management companies first, then by name.
///
/// The registry holds dozens of rows, so matching happens in Rust with the same case- and
/// ё-folding the browser uses; SQL `LOWER` does not fold Cyrillic in `SQLite`.
pub async fn list(db: &Db, actor: &Actor, q: &CompanyQuery) -> Result<Vec<Company>, AppError> {
    // Isolation: a company's staff see their company and its children; only platform
    // administrators see the whole registry.
    let filter = if actor.is_platform_admin {
        ""
    } else {
        "WHERE id = $1 OR parent_id = $1"
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM companies {filter} ORDER BY CASE kind WHEN 'management' THEN 0 WHEN 'contractor' THEN 1 ELSE 2 END, short_name"
    );
    let company = actor.company_id.unwrap_or(-1);
    let rows: Vec<CompanyRow> = on_db!(db, pool => {
        let query = sqlx::query_as(&sql);
        let query = if actor.is_platform_admin { query } else { query.bind(company) };
        query.fetch_all(pool).await
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let company = row.into_model()?;
        if q.matches(&company) {
            out.push(company);
        }
    }
    Ok(out)
}

/// Contacts of management companies, by name.
pub async fn public_contacts(db: &Db, only: Option<i64>) -> Result<Vec<CompanyContacts>, AppError> {
    let rows: Vec<ContactsRow> = on_db!(db, pool =>
        sqlx::query_as("SELECT short_name, phone, email, address FROM companies \
                        WHERE kind = 'management' AND ($1 IS NULL OR id = $1) ORDER BY short_name")
            .bind(only)
            .fetch_all(pool)
            .await)?;
    Ok(rows
        .into_iter()
        .map(|(short_name, phone, email, address)| CompanyContacts {
            short_name,
            phone,
            email,
            address,
        })
        .collect())
}

/// Counts companies (for the overview).
pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM companies").fetch_one(pool).await)?,
    )
}

/// Inserts a company inside a write transaction; a duplicate INN is a field error.
pub async fn insert(tx: &mut Tx, c: &NewCompany) -> Result<CompanyId, AppError> {
    let now = chrono::Utc::now();
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
    match res {
        Ok(id) => Ok(CompanyId(id)),
        Err(e) if crate::db::is_unique_violation(&e, "companies_inn_key", "companies.inn") => {
            Err(AppError::validation("inn", "duplicate"))
        }
        Err(e) => Err(e.into()),
    }
}
