//! The unit history: the unit's own audit entries, entries about people and residents linked to
//! it, and the import rows that wrote it, newest first, each as the caller may see it.

use super::repo;
use crate::AppError;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::buildings::model::UnitId;
use crate::db::Db;
use crate::history::model::{EventPerson, UNIT_HISTORY, UnitEvent};
use std::collections::HashMap;

/// The unit's history. Needs `buildings.view` reaching the unit's building. Without
/// `people.view` there only the unit's own changes are listed (no import rows); without
/// `people.view_personal_data` the changes of entries about people are left out (the person is
/// named as the registry names them for the caller).
pub async fn unit_history(db: &Db, actor: &Actor, id: UnitId) -> Result<Vec<UnitEvent>, AppError> {
    let (_, building) =
        crate::buildings::server::service::unit_place(db, actor, Permission::BuildingsView, id.0)
            .await?;
    let people = actor.reaches(Permission::PeopleView, building);
    let personal = actor.reaches(Permission::PeopleViewPersonalData, building);
    let limit = i64::try_from(UNIT_HISTORY).unwrap_or(100);
    let rows = repo::audit_entries(db, id.0, limit).await?;
    let imports = if people {
        repo::import_rows(db, id.0, limit).await?
    } else {
        Vec::new()
    };
    // People named by entries about them: linked, unlinked, created with this unit.
    let person_id = |r: &repo::AuditRow| {
        (r.entity == "person")
            .then(|| r.entity_id.as_deref()?.parse::<i64>().ok())
            .flatten()
    };
    let names: HashMap<i64, String> = if people {
        let ids: Vec<i64> = rows.iter().filter_map(person_id).collect();
        crate::people::server::registry::briefs(db, actor, &ids)
            .await?
            .into_iter()
            .map(|b| (b.id.0, b.name))
            .collect()
    } else {
        HashMap::new()
    };
    let mut events: Vec<UnitEvent> = rows
        .into_iter()
        .filter(|r| people || r.entity == "unit")
        .map(|r| {
            let person = person_id(&r).and_then(|pid| {
                names.get(&pid).map(|name| EventPerson {
                    id: pid,
                    name: name.clone(),
                })
            });
            let about_person = r.entity != "unit";
            UnitEvent {
                at: r.at,
                actor: r.actor_name,
                action: r.action,
                changes: if about_person && !personal {
                    String::new()
                } else {
                    r.changes
                },
                person,
                job: None,
            }
        })
        .collect();
    events.extend(imports.into_iter().map(|r| UnitEvent {
        at: r.at,
        actor: r.by_name.unwrap_or_default(),
        action: format!("import.{}", r.outcome),
        changes: format!("{}\n{}\n{}", r.file_name, r.row_no, r.detail),
        person: None,
        job: Some(r.job_id),
    }));
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    events.truncate(UNIT_HISTORY);
    Ok(events)
}
