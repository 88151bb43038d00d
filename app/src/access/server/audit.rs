//! The audit log: one append-only row per change, written in the same transaction as the change.
//! Updates and deletes are refused by database triggers. Rows name the actor by id and name, with
//! no foreign key, so they outlive the user row.

use super::actor::Actor;
use super::session::ClientInfo;
use crate::AppError;
use crate::db::Tx;
use crate::on_tx;

/// One field that changed: name, old value, new value (`None` when absent).
pub type FieldChange<'a> = (&'a str, Option<String>, Option<String>);

/// What is being recorded.
pub struct Entry<'a> {
    pub company_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub changes: Vec<FieldChange<'a>>,
}

/// Who did it: a signed-in actor, or a named system/anonymous actor (e.g. a failed sign-in).
pub enum Who<'a> {
    Actor(&'a Actor),
    Named { user_id: Option<i64>, name: &'a str },
}

/// Encodes changes as `field: old → new` lines (readable in the admin screen and in SQL).
pub fn encode_changes(changes: &[FieldChange<'_>]) -> String {
    changes
        .iter()
        .map(|(field, from, to)| {
            format!(
                "{field}: {} → {}",
                from.as_deref().unwrap_or("∅"),
                to.as_deref().unwrap_or("∅")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Appends an entry inside the caller's transaction.
pub async fn record(
    tx: &mut Tx,
    who: Who<'_>,
    client: &ClientInfo,
    entry: Entry<'_>,
) -> Result<(), AppError> {
    append(tx, who, client, entry, None).await
}

/// Appends an entry that also concerns a unit (a person linked to it, a resident invited to
/// it): the unit page's history lists it beside the unit's own entries.
pub async fn record_for_unit(
    tx: &mut Tx,
    who: Who<'_>,
    client: &ClientInfo,
    entry: Entry<'_>,
    unit_id: i64,
) -> Result<(), AppError> {
    append(tx, who, client, entry, Some(unit_id)).await
}

async fn append(
    tx: &mut Tx,
    who: Who<'_>,
    client: &ClientInfo,
    entry: Entry<'_>,
    unit_id: Option<i64>,
) -> Result<(), AppError> {
    let (user_id, name) = match who {
        Who::Actor(a) => (Some(a.user_id), a.name.clone()),
        Who::Named { user_id, name } => (user_id, name.to_owned()),
    };
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO audit_log (company_id, actor_user_id, actor_name, at, action, entity, entity_id, changes, ip, user_agent, unit_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(entry.company_id).bind(user_id).bind(name).bind(chrono::Utc::now())
        .bind(entry.action).bind(entry.entity).bind(entry.entity_id).bind(encode_changes(&entry.changes))
        .bind(&client.ip).bind(client.user_agent.as_deref().map(|ua| ua.chars().take(300).collect::<String>()))
        .bind(unit_id).execute(conn).await.map(|_| ()))?;
    Ok(())
}
