//! SQL for companies. One query text serves both backends.
//!
//! Visibility: a company's staff see their own company and the child companies that granted
//! their holding access (`holding_access`); the platform operator sees every company. Another
//! company's id answers `NotFound`.

use crate::AppError;
use crate::Invalid;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::access::{Permission, Scope};
use crate::companies::model::{
    Company, CompanyContacts, CompanyId, CompanyKind, CompanyQuery, CompanyType, CompanyTypeUpdate,
    CompanyUpdate, NewCompany,
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
    type_id: Option<i64>,
    type_name: Option<String>,
    parent_id: Option<i64>,
    parent_name: Option<String>,
    holding_access: bool,
    time_zone: String,
}

impl CompanyRow {
    fn into_model(self, actor: &Actor) -> Result<Company, AppError> {
        let kind = CompanyKind::from_db(&self.kind).ok_or_else(|| {
            tracing::error!(id = self.id, kind = %self.kind, "unknown company kind in the database");
            AppError::Internal
        })?;
        let editable = actor.has(Permission::AdminCompanies)
            && (actor.is_platform_admin || actor.company_id == Some(self.id));
        Ok(Company {
            id: CompanyId(self.id),
            kind,
            name: self.name,
            short_name: self.short_name,
            inn: self.inn,
            phone: self.phone,
            email: self.email,
            address: self.address,
            type_id: self.type_id,
            type_name: self.type_name,
            parent: self
                .parent_id
                .zip(self.parent_name)
                .map(|(id, n)| (CompanyId(id), n)),
            holding_access: self.holding_access,
            time_zone: self.time_zone,
            editable,
        })
    }
}

/// short name, phone, e-mail, address
type ContactsRow = (String, Option<String>, Option<String>, Option<String>);

const SELECT: &str = "SELECT c.id, c.kind, c.name, c.short_name, c.inn, c.phone, c.email, c.address, \
        c.type_id, t.name AS type_name, c.parent_id, p.short_name AS parent_name, c.holding_access, c.time_zone \
     FROM companies c LEFT JOIN company_types t ON t.id = c.type_id LEFT JOIN companies p ON p.id = c.parent_id";

/// Who sees a company: its own staff; its holding's staff when the company granted the holding
/// access; platform administrators. `$1` is the actor's company.
const VISIBLE: &str = "(c.id = $1 OR (c.parent_id = $1 AND c.holding_access = TRUE))";

/// Companies matching the query, management companies first, then by name.
///
/// The registry holds dozens of rows, so matching happens in Rust with the same case- and
/// ё-folding the browser uses; SQL `LOWER` does not fold Cyrillic in `SQLite`.
pub async fn list(db: &Db, actor: &Actor, q: &CompanyQuery) -> Result<Vec<Company>, AppError> {
    let filter = if actor.is_platform_admin {
        String::new()
    } else {
        format!("WHERE {VISIBLE}")
    };
    let sql = format!(
        "{SELECT} {filter} ORDER BY CASE c.kind WHEN 'management' THEN 0 WHEN 'contractor' THEN 1 ELSE 2 END, c.short_name"
    );
    let company = actor.company_id.unwrap_or(-1);
    let rows: Vec<CompanyRow> = on_db!(db, pool => {
        let query = sqlx::query_as(&sql);
        let query = if actor.is_platform_admin { query } else { query.bind(company) };
        query.fetch_all(pool).await
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let company = row.into_model(actor)?;
        if q.matches(&company) {
            out.push(company);
        }
    }
    Ok(out)
}

/// The company types, with how many of the companies the actor sees have each.
pub async fn types(db: &Db, actor: &Actor) -> Result<Vec<CompanyType>, AppError> {
    let visible = if actor.is_platform_admin {
        "1 = 1".to_owned()
    } else {
        VISIBLE.replace("$1", &actor.company_id.unwrap_or(-1).to_string())
    };
    let sql = format!(
        "SELECT t.id, t.kind, t.name, (SELECT COUNT(*) FROM companies c WHERE c.type_id = t.id AND {visible}) \
         FROM company_types t ORDER BY t.kind, t.name"
    );
    let rows: Vec<(i64, String, String, i64)> =
        on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, name, companies)| {
            CompanyKind::from_db(&kind).map(|kind| CompanyType {
                id,
                kind,
                name,
                companies,
            })
        })
        .collect())
}

/// Creates or renames a company type. The platform operator's (types are shared by every
/// company on the installation). Errors: `Forbidden`, `Validation` (name empty or taken).
pub async fn save_type(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    update: &CompanyTypeUpdate,
) -> Result<Vec<CompanyType>, AppError> {
    if !actor.is_platform_admin {
        return Err(AppError::Forbidden);
    }
    let name = crate::values::parse_name(&update.name)?;
    let mut tx = db.begin_write().await?;
    let res: Result<i64, sqlx::Error> = match update.id {
        Some(id) => {
            on_tx!(&mut tx, conn => sqlx::query("UPDATE company_types SET name = $1, kind = $2 WHERE id = $3")
            .bind(&name).bind(update.kind.as_db()).bind(id).execute(conn).await.map(|r| if r.rows_affected() == 1 { id } else { 0 }))
        }
        None => on_tx!(&mut tx, conn => sqlx::query_scalar(
            "INSERT INTO company_types (kind, name, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(update.kind.as_db()).bind(&name).bind(chrono::Utc::now()).fetch_one(conn).await),
    };
    let id = match res {
        Ok(0) => return Err(AppError::NotFound),
        Ok(id) => id,
        Err(e)
            if crate::db::is_unique_violation(
                &e,
                "company_types_name_key",
                "company_types.name",
            ) =>
        {
            return Err(AppError::validation("name", Invalid::Taken));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: None,
            action: if update.id.is_some() {
                "company_type.update"
            } else {
                "company_type.create"
            },
            entity: "company_type",
            entity_id: Some(id.to_string()),
            changes: vec![
                ("name", None, Some(name.clone())),
                ("kind", None, Some(update.kind.as_db().to_owned())),
            ],
        },
    )
    .await?;
    tx.commit().await?;
    types(db, actor).await
}

/// Creates or changes a company. Needs `admin.companies`; a company's own administrator edits
/// only its own card (names, contacts, whether its holding sees it), the platform operator
/// everything (new companies, kind, INN, type, holding). Errors: `NotFound` (a company the
/// caller cannot edit), `Forbidden` (creating without being the operator), `Validation`.
pub async fn save(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
    update: &CompanyUpdate,
) -> Result<CompanyId, AppError> {
    // A company's card is the whole company's: a grant for some buildings does not cover it.
    if !actor.is_platform_admin
        && !actor
            .scopes(Permission::AdminCompanies)
            .contains(&Scope::Company)
    {
        return Err(AppError::Forbidden);
    }
    let checked = update.check()?;
    let before: Option<CompanyRow> = match update.id {
        Some(id) => {
            if !actor.is_platform_admin && actor.company_id != Some(id.0) {
                return Err(AppError::NotFound);
            }
            let sql = format!("{SELECT} WHERE c.id = $1");
            let row: Option<CompanyRow> =
                on_db!(db, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await)?;
            Some(row.ok_or(AppError::NotFound)?)
        }
        None if actor.is_platform_admin => None,
        None => return Err(AppError::Forbidden),
    };
    // What a company's own administrator may not change stays as stored.
    let (kind, inn, type_id, parent_id) = match &before {
        Some(b) if !actor.is_platform_admin => (
            CompanyKind::from_db(&b.kind).unwrap_or(checked.kind),
            b.inn.clone(),
            b.type_id,
            b.parent_id,
        ),
        _ => (
            checked.kind,
            checked.inn.clone(),
            update.type_id,
            update.parent_id.map(|p| p.0),
        ),
    };
    if let Some(t) = type_id {
        let kind_of: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT kind FROM company_types WHERE id = $1")
            .bind(t).fetch_optional(pool).await)?;
        if kind_of.as_deref() != Some(kind.as_db()) {
            return Err(AppError::validation("type_id", Invalid::Unknown));
        }
    }
    if let Some(p) = parent_id {
        // A holding is an existing company that is neither this one nor below it: walk up from
        // the proposed holding; meeting this company on the way would close a cycle.
        let own = update.id.map(|i| i.0);
        let mut at = Some(p);
        let mut first = true;
        let mut steps = 0;
        while let Some(c) = at {
            if Some(c) == own {
                return Err(AppError::validation("parent_id", Invalid::Cycle));
            }
            let parent: Option<Option<i64>> = on_db!(db, pool => sqlx::query_scalar("SELECT parent_id FROM companies WHERE id = $1")
                .bind(c).fetch_optional(pool).await)?;
            match parent {
                None if first => return Err(AppError::validation("parent_id", Invalid::Unknown)),
                None => break,
                Some(up) => at = up,
            }
            first = false;
            steps += 1;
            if steps > 64 {
                // A chain this long is already broken; refuse rather than loop.
                return Err(AppError::validation("parent_id", Invalid::Cycle));
            }
        }
    }
    // An empty zone keeps the stored one (a form that does not show it), or Moscow for a new company.
    let time_zone: &str = match (update.time_zone.trim(), &before) {
        ("", Some(b)) => &b.time_zone,
        ("", None) => crate::i18n::DEFAULT_ZONE,
        (z, _) => z,
    };
    if crate::i18n::Zone::find(time_zone).is_none() {
        return Err(AppError::validation("time_zone", Invalid::Unknown));
    }
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    let res: Result<i64, sqlx::Error> = match update.id {
        Some(id) => on_tx!(&mut tx, conn => sqlx::query(
            "UPDATE companies SET kind = $1, name = $2, short_name = $3, inn = $4, phone = $5, email = $6, address = $7, \
                                  type_id = $8, parent_id = $9, holding_access = $10, time_zone = $11 WHERE id = $12")
            .bind(kind.as_db()).bind(&checked.name).bind(&checked.short_name).bind(&inn).bind(&checked.phone)
            .bind(&checked.email).bind(&checked.address).bind(type_id).bind(parent_id).bind(update.holding_access)
            .bind(time_zone).bind(id.0).execute(conn).await.map(|_| id.0)),
        None => on_tx!(&mut tx, conn => sqlx::query_scalar(
            "INSERT INTO companies (kind, name, short_name, inn, phone, email, address, type_id, parent_id, holding_access, time_zone, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id")
            .bind(kind.as_db()).bind(&checked.name).bind(&checked.short_name).bind(&inn).bind(&checked.phone)
            .bind(&checked.email).bind(&checked.address).bind(type_id).bind(parent_id).bind(update.holding_access)
            .bind(time_zone).bind(now).fetch_one(conn).await),
    };
    let id = match res {
        Ok(id) => id,
        Err(e) if crate::db::is_unique_violation(&e, "companies_inn_key", "companies.inn") => {
            return Err(AppError::validation("inn", Invalid::Duplicate));
        }
        Err(e) => return Err(e.into()),
    };
    if update.id.is_none() {
        // Every new company starts with the default roles, like the demo companies.
        crate::access::server::repo::seed_default_roles(&mut tx, id).await?;
    }
    let b = before.as_ref();
    let changes: Vec<crate::access::server::audit::FieldChange<'_>> = vec![
        (
            "name",
            b.map(|b| b.name.clone()),
            Some(checked.name.clone()),
        ),
        (
            "short_name",
            b.map(|b| b.short_name.clone()),
            Some(checked.short_name.clone()),
        ),
        ("inn", b.map(|b| b.inn.clone()), Some(inn.clone())),
        (
            "phone",
            b.and_then(|b| b.phone.clone()),
            checked.phone.clone(),
        ),
        (
            "email",
            b.and_then(|b| b.email.clone()),
            checked.email.clone(),
        ),
        (
            "address",
            b.and_then(|b| b.address.clone()),
            checked.address.clone(),
        ),
        (
            "type_id",
            b.and_then(|b| b.type_id).map(|v| v.to_string()),
            type_id.map(|v| v.to_string()),
        ),
        (
            "parent_id",
            b.and_then(|b| b.parent_id).map(|v| v.to_string()),
            parent_id.map(|v| v.to_string()),
        ),
        (
            "holding_access",
            b.map(|b| b.holding_access.to_string()),
            Some(update.holding_access.to_string()),
        ),
        (
            "time_zone",
            b.map(|b| b.time_zone.clone()),
            Some(time_zone.to_owned()),
        ),
    ]
    .into_iter()
    .filter(|(_, a, n)| a != n)
    .collect();
    audit::record(
        &mut tx,
        Who::Actor(actor),
        client,
        Entry {
            company_id: Some(id),
            action: if update.id.is_some() {
                "company.update"
            } else {
                "company.create"
            },
            entity: "company",
            entity_id: Some(id.to_string()),
            changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CompanyId(id))
}

/// Contacts of management companies, by name: all of them for an anonymous visitor (and the
/// platform operator), the own company for staff, the companies a resident lives with (an active link) for a resident.
pub async fn public_contacts(
    db: &Db,
    actor: Option<&Actor>,
) -> Result<Vec<CompanyContacts>, AppError> {
    use crate::access::server::actor::UserKind;
    let (mode, id) = match actor {
        None => ("all", 0),
        Some(a) if a.kind == UserKind::Resident => ("resident", a.user_id),
        // The platform operator has no company of its own: like a visitor, all of them.
        Some(a) => a.company_id.map_or(("all", 0), |c| ("company", c)),
    };
    let rows: Vec<ContactsRow> = on_db!(db, pool =>
        sqlx::query_as("SELECT short_name, phone, email, address FROM companies \
                        WHERE kind = 'management' AND ($1 = 'all' \
                            OR ($1 = 'company' AND id = $2) \
                            OR ($1 = 'resident' AND id IN (SELECT r.company_id FROM resident_units r \
                                                           WHERE r.user_id = $2 AND r.status = 'active'))) \
                        ORDER BY short_name")
            .bind(mode)
            .bind(id)
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
            Err(AppError::validation("inn", Invalid::Duplicate))
        }
        Err(e) => Err(e.into()),
    }
}
