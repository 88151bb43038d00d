//! Today's home: which parts the actor may see, each limited to the buildings its permission
//! reaches in the actor's company.

use super::repo;
use crate::AppError;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::access::server::actor::{Reach, UserKind};
use crate::access::server::session::SessionKind;
use crate::db::Db;
use crate::home::model::{EXPIRING_DAYS, IMPORT_DAYS, ScopeCounts, Today};

/// The parts of the home the actor may see. A guard post is refused; a resident (whose home
/// is the cabinet) gets none of the parts.
pub async fn today(db: &Db, actor: &Actor) -> Result<Today, AppError> {
    if actor.session_kind == SessionKind::Guard {
        return Err(AppError::Forbidden);
    }
    if actor.kind != UserKind::Staff {
        return Ok(Today::default());
    }
    let now = chrono::Utc::now();
    // The SQL filter of a permission: the actor's company and the buildings it reaches.
    let filter = |p: Permission, company: &str, building: &str| {
        actor
            .building_reach(p)
            .map(|r| format!("{} AND {}", actor.company_sql(company), r.sql(building)))
    };
    let mut out = Today::default();
    if let Some(f) = filter(Permission::BuildingsView, "b.company_id", "b.id") {
        out.scope = Some(ScopeCounts {
            buildings: repo::count_buildings(db, &f).await?,
            units: repo::count_units(db, &f).await?,
        });
        out.debts = Some(repo::large_debts(db, &f).await?);
    }
    if let Some(reach) = actor.building_reach(Permission::PeopleView) {
        let company = actor.company_sql("p.company_id");
        let units = match reach {
            Reach::All => None,
            only @ Reach::Only(_) => Some(only.sql("u.building_id")),
        };
        out.people = Some(repo::count_people(db, &company, units.as_deref()).await?);
    }
    // Invitations lead to the unit page, which needs `buildings.view` as well.
    if let Some(f) = filter(Permission::PeopleManage, "i.company_id", "u.building_id")
        .filter(|_| actor.building_reach(Permission::BuildingsView).is_some())
    {
        let until = now + chrono::Duration::days(EXPIRING_DAYS);
        out.expiring = Some(repo::expiring_invitations(db, &f, now, until).await?);
    }
    if let Some(f) = filter(Permission::PeopleImport, "j.company_id", "j.building_id") {
        let since = now - chrono::Duration::days(IMPORT_DAYS);
        out.imports = Some(repo::imports_to_finish(db, &f, since).await?);
    }
    Ok(out)
}
