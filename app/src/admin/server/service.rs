//! Use cases of administration that read across modules (the audit log). Scope: everything is
//! limited to the actor's company (`repo::company_filter`); the platform operator sees all.

use super::repo;
use crate::AppError;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::admin::model::{AuditEntry, AuditFilter};
use crate::db::Db;
use std::collections::{BTreeMap, HashMap};

/// How many entries the log shows at most.
const AUDIT_SHOWN: usize = 200;
/// How many rows are read to filter by the actor's name (folded in Rust: SQLite's `LOWER` does
/// not fold Cyrillic).
const AUDIT_SCANNED: i64 = 2000;

/// The newest audit entries of the actor's company matching the filter, each with the current
/// name of its object (a person as the registry shows them to the actor, and only with
/// `people.view`); what changed on a client is left out without `people.view_personal_data`.
pub async fn audit(
    db: &Db,
    actor: &Actor,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    let company = repo::company_filter(actor);
    let rows = repo::audit_rows(
        db,
        company,
        filter.action.trim(),
        filter.entity.trim(),
        AUDIT_SCANNED,
    )
    .await?;
    let needle = crate::values::fold(filter.actor.trim());
    let rows: Vec<repo::AuditRow> = rows
        .into_iter()
        .filter(|r| needle.is_empty() || crate::values::fold(&r.actor_name).contains(&needle))
        .take(AUDIT_SHOWN)
        .collect();
    // One query per kind of object for the names.
    let mut ids: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for r in &rows {
        if let Some(id) = r.entity_id.as_deref().and_then(|i| i.parse::<i64>().ok()) {
            ids.entry(r.entity.as_str()).or_default().push(id);
        }
    }
    let mut names: HashMap<(String, i64), String> = HashMap::new();
    for (entity, mut list) in ids {
        list.sort_unstable();
        list.dedup();
        let found = if entity == "person" {
            // People are named only for readers of the registry, as the registry names them.
            if actor.building_reach(Permission::PeopleView).is_some() {
                crate::people::server::registry::briefs(db, actor, &list)
                    .await?
                    .into_iter()
                    .map(|b| (b.id.0, b.name))
                    .collect()
            } else {
                HashMap::new()
            }
        } else {
            repo::object_names(db, company, entity, &list).await?
        };
        names.extend(
            found
                .into_iter()
                .map(|(id, n)| ((entity.to_owned(), id), n)),
        );
    }
    // What changed on a client (names, phones, e-mails) is personal data.
    let personal = actor
        .building_reach(Permission::PeopleViewPersonalData)
        .is_some();
    Ok(rows
        .into_iter()
        .map(|r| {
            let changes = if r.entity == "person" && !personal {
                String::new()
            } else {
                r.changes
            };
            let object = r
                .entity_id
                .as_deref()
                .and_then(|i| i.parse::<i64>().ok())
                .and_then(|id| names.get(&(r.entity.clone(), id)).cloned());
            AuditEntry {
                id: r.id,
                at: r.at,
                actor: r.actor_name,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                object,
                changes,
                ip: r.ip,
            }
        })
        .collect())
}
