//! The company registry's use cases: who sees which companies, who may change what,
//! validation, the transaction, the audit entry.
//!
//! Visibility: a company's staff see their own company and the child companies that granted
//! their holding access (`holding_access`); the platform operator sees every company. Another
//! company's id answers `NotFound`.

use super::repo::{self, CompanyFields, CompanyRow};
use crate::AppError;
use crate::Invalid;
use crate::access::server::Actor;
use crate::access::server::audit::{self, Entry, Who};
use crate::access::server::session::ClientInfo;
use crate::access::{Permission, Scope};
use crate::companies::model::{
    Company, CompanyContacts, CompanyId, CompanyKind, CompanyQuery, CompanyType, CompanyTypeUpdate,
    CompanyUpdate,
};
use crate::db::Db;
use chrono::Utc;

fn into_model(row: CompanyRow, actor: &Actor) -> Result<Company, AppError> {
    let kind = CompanyKind::from_db(&row.kind).ok_or_else(|| {
        tracing::error!(id = row.id, kind = %row.kind, "unknown company kind in the database");
        AppError::Internal
    })?;
    let editable = actor.has(Permission::AdminCompanies)
        && (actor.is_platform_admin || actor.company_id == Some(row.id));
    Ok(Company {
        id: CompanyId(row.id),
        kind,
        name: row.name,
        short_name: row.short_name,
        inn: row.inn,
        phone: row.phone,
        email: row.email,
        address: row.address,
        type_id: row.type_id,
        type_name: row.type_name,
        parent: row
            .parent_id
            .zip(row.parent_name)
            .map(|(id, n)| (CompanyId(id), n)),
        holding_access: row.holding_access,
        time_zone: row.time_zone,
        editable,
    })
}

/// The companies the actor sees (`c`): all for the platform operator.
fn visible(actor: &Actor) -> String {
    if actor.is_platform_admin {
        "1 = 1".to_owned()
    } else {
        repo::visible_to(actor.company_id.unwrap_or(-1))
    }
}

/// Companies the actor sees matching the query (`q` as typed: name, INN or phone),
/// management companies first, then by name. Errors: `Validation` (query too long).
///
/// The registry holds dozens of rows, so matching happens in Rust with the same case- and
/// ё-folding the browser uses; SQL `LOWER` does not fold Cyrillic in `SQLite`.
pub async fn list_matching(db: &Db, actor: &Actor, q: &str) -> Result<Vec<Company>, AppError> {
    list(db, actor, &CompanyQuery::parse(q)?).await
}

/// Companies the actor sees matching the parsed query.
pub async fn list(db: &Db, actor: &Actor, q: &CompanyQuery) -> Result<Vec<Company>, AppError> {
    let mut out = Vec::new();
    for row in repo::companies(db, &visible(actor)).await? {
        let company = into_model(row, actor)?;
        if q.matches(&company) {
            out.push(company);
        }
    }
    Ok(out)
}

/// The company types, with how many of the companies the actor sees have each.
pub async fn types(db: &Db, actor: &Actor) -> Result<Vec<CompanyType>, AppError> {
    Ok(repo::types(db, &visible(actor))
        .await?
        .into_iter()
        .filter_map(|t| {
            CompanyKind::from_db(&t.kind).map(|kind| CompanyType {
                id: t.id,
                kind,
                name: t.name,
                companies: t.companies,
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
    let id = repo::save_type(&mut tx, update.id, update.kind, &name, Utc::now()).await?;
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

/// Checks a proposed holding: an existing company that is neither this one (`own`) nor below
/// it. Walks up from the holding; meeting this company on the way would close a cycle.
async fn check_holding(db: &Db, own: Option<i64>, holding: i64) -> Result<(), AppError> {
    let mut at = Some(holding);
    let mut first = true;
    let mut steps = 0;
    while let Some(c) = at {
        if Some(c) == own {
            return Err(AppError::validation("parent_id", Invalid::Cycle));
        }
        match repo::parent_of(db, c).await? {
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
    Ok(())
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
            Some(repo::company(db, id.0).await?.ok_or(AppError::NotFound)?)
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
    if let Some(t) = type_id
        && repo::type_kind(db, t).await?.as_deref() != Some(kind.as_db())
    {
        return Err(AppError::validation("type_id", Invalid::Unknown));
    }
    if let Some(p) = parent_id {
        check_holding(db, update.id.map(|i| i.0), p).await?;
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
    let mut tx = db.begin_write().await?;
    let fields = CompanyFields {
        kind,
        name: &checked.name,
        short_name: &checked.short_name,
        inn: &inn,
        phone: checked.phone.as_deref(),
        email: checked.email.as_deref(),
        address: checked.address.as_deref(),
        type_id,
        parent_id,
        holding_access: update.holding_access,
        time_zone,
    };
    let id = repo::save_company(&mut tx, update.id.map(|i| i.0), &fields, Utc::now()).await?;
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
/// platform operator), the own company for staff, the companies a resident lives with (an
/// active link) for a resident.
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
    Ok(repo::contacts(db, mode, id)
        .await?
        .into_iter()
        .map(|r| CompanyContacts {
            short_name: r.short_name,
            phone: r.phone,
            email: r.email,
            address: r.address,
        })
        .collect())
}
