//! Search from the staff top bar: people by name (word prefixes, case-insensitive, ё = е),
//! phone (whole or in part), plate (Latin or Cyrillic look-alikes, in part) and e-mail; units
//! by personal account or by "street house number". Every hit is limited to what the caller's
//! `people.view` / `buildings.view` reaches, so search never shows more than the lists do.
//!
//! Without `people.view_personal_data` search cannot be used to guess hidden data: names match
//! by surname only, phones only as a whole number (the caller already has it), e-mails not at all;
//! plates still match (concierges check passes by them).

use super::registry::{briefs, reach_sql};
use crate::AppError;
use crate::access::Permission;
use crate::access::server::Actor;
use crate::buildings::model::{BuildingId, UnitId};
use crate::db::Db;
use crate::on_db;
use crate::people::person::{
    PeopleFilter, PeoplePage, PersonHit, PersonId, SearchField, SearchQuery, SearchResults,
    UnitHit, UnitHitPerson,
};
use crate::values::Relation;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// People hits per search.
const PEOPLE_LIMIT: i64 = 20;
/// Unit hits per search.
const UNIT_LIMIT: i64 = 10;

/// The E.164 range `[from, to)` of phones starting with the typed digits, when they are typed from
/// the start of a Russian number: "8 916 123", "7 916 123", "+7 916 123" or "916 123".
fn phone_prefix(digits: &str) -> Option<(String, String)> {
    let national = match digits.as_bytes().first()? {
        b'7' | b'8' => &digits[1..],
        b'9' | b'4' => digits,
        _ => return None,
    };
    if national.len() < 3 || national.len() > 10 {
        return None;
    }
    let prefix = format!("7{national}");
    // The next prefix of the same length: "7916123" → "7916124" ("799" → "800").
    let next = prefix.parse::<u64>().ok()? + 1;
    Some((format!("+{prefix}"), format!("+{next}")))
}

/// `%`, `_` and `\` taken literally in a `LIKE ... ESCAPE '\'` pattern.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `LIKE` conditions that every word of `text` starts a word of `column`.
fn word_prefixes(column: &str, text: &str, first_param: usize) -> (String, Vec<String>) {
    let mut conds = Vec::new();
    let mut binds = Vec::new();
    for (i, w) in text
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(4)
        .enumerate()
    {
        let a = first_param + 2 * i;
        conds.push(format!("({column} LIKE ${a} OR {column} LIKE ${})", a + 1));
        binds.push(format!("{w}%"));
        binds.push(format!("% {w}%"));
    }
    (conds.join(" AND "), binds)
}

/// Runs one people query of the form `SELECT p.id, <detail> ...` with string binds.
async fn people_ids(db: &Db, sql: &str, binds: &[String]) -> Result<Vec<(i64, String)>, AppError> {
    Ok(on_db!(db, pool => {
        let mut q = sqlx::query_as::<_, (i64, String)>(sql);
        for b in binds {
            q = q.bind(b);
        }
        q.fetch_all(pool).await
    })?)
}

/// People matching the query, at most `limit`, best kind of match first (phone, plate, e-mail,
/// name). Needs `people.view`.
pub async fn find_people(
    db: &Db,
    actor: &Actor,
    q: &SearchQuery,
    building: Option<BuildingId>,
    limit: i64,
) -> Result<Vec<PersonHit>, AppError> {
    let reach = actor
        .building_reach(Permission::PeopleView)
        .ok_or(AppError::Forbidden)?;
    let mut filter = format!(
        "p.merged_into IS NULL AND {} AND {}",
        actor.company_sql("p.company_id"),
        reach_sql(&reach, "p")
    );
    if let Some(b) = building {
        let _ = write!(
            filter,
            " AND EXISTS (SELECT 1 FROM person_units bpu JOIN units bu ON bu.id = bpu.unit_id \
              WHERE bpu.person_id = p.id AND bu.building_id = {})",
            b.0
        );
    }
    let personal_any = actor
        .building_reach(Permission::PeopleViewPersonalData)
        .is_some();
    let mut found: Vec<(i64, SearchField, String)> = Vec::new();
    if let Some(phone) = &q.phone {
        let sql = format!(
            "SELECT DISTINCT p.id, ph.phone FROM person_phones ph JOIN people p ON p.id = ph.person_id \
             WHERE ph.phone = $1 AND {filter} LIMIT {limit}"
        );
        for (id, v) in people_ids(db, &sql, &[phone.as_str().to_owned()]).await? {
            found.push((id, SearchField::Phone, v));
        }
    } else if let Some(digits) = q.digits.as_ref().filter(|d| d.len() >= 4 && personal_any) {
        let (sql, binds) = match phone_prefix(digits) {
            // Typed from the start ("8 916 123", "+7 925"): a range over the phone index.
            Some((from, to)) => (
                format!(
                    "SELECT DISTINCT p.id, ph.phone FROM person_phones ph JOIN people p ON p.id = ph.person_id \
                     WHERE ph.phone >= $1 AND ph.phone < $2 AND {filter} LIMIT {limit}"
                ),
                vec![from, to],
            ),
            // Any other part ("555-12-34"): a scan of the company's phones.
            None => (
                format!(
                    "SELECT DISTINCT p.id, ph.phone FROM person_phones ph JOIN people p ON p.id = ph.person_id \
                     WHERE ph.phone LIKE $1 AND {filter} LIMIT {limit}"
                ),
                vec![format!("%{digits}%")],
            ),
        };
        for (id, v) in people_ids(db, &sql, &binds).await? {
            found.push((id, SearchField::Phone, v));
        }
    }
    if let Some(plate) = &q.plate {
        let sql = format!(
            "SELECT DISTINCT p.id, v.plate FROM vehicles v JOIN people p ON p.id = v.person_id \
             WHERE v.plate LIKE $1 AND {filter} LIMIT {limit}"
        );
        for (id, v) in people_ids(db, &sql, &[format!("%{plate}%")]).await? {
            found.push((id, SearchField::Plate, v));
        }
    }
    if let Some(email) = q.email.as_ref().filter(|_| personal_any) {
        let sql = format!(
            "SELECT DISTINCT p.id, e.email FROM person_emails e JOIN people p ON p.id = e.person_id \
             WHERE e.email LIKE $1 ESCAPE '\\' AND {filter} LIMIT {limit}"
        );
        for (id, v) in people_ids(db, &sql, &[format!("%{}%", like_escape(email))]).await? {
            found.push((id, SearchField::Email, v));
        }
    }
    if q.digits.is_none() {
        // Without personal data only the first word counts, and only as the surname.
        let text = if personal_any {
            q.text.clone()
        } else {
            q.text.split(' ').next().unwrap_or_default().to_owned()
        };
        let (cond, binds) = if personal_any {
            word_prefixes("p.search_name", &text, 1)
        } else {
            ("p.search_name LIKE $1".to_owned(), vec![format!("{text}%")])
        };
        if !cond.is_empty() {
            let sql = format!(
                "SELECT p.id, p.search_name FROM people p WHERE {cond} AND {filter} \
                 ORDER BY p.search_name, p.id LIMIT {limit}"
            );
            for (id, _) in people_ids(db, &sql, &binds).await? {
                found.push((id, SearchField::Name, String::new()));
            }
        }
    }
    let mut seen = BTreeSet::new();
    found.retain(|(id, _, _)| seen.insert(*id));
    found.truncate(usize::try_from(limit).unwrap_or(0));
    let ids: Vec<i64> = found.iter().map(|(id, _, _)| *id).collect();
    let mut by_id: BTreeMap<i64, _> = briefs(db, actor, &ids)
        .await?
        .into_iter()
        .map(|b| (b.id.0, b))
        .collect();
    Ok(found
        .into_iter()
        .filter_map(|(id, matched, value)| {
            let person = by_id.remove(&id)?;
            let personal = person.personal;
            let detail = match matched {
                SearchField::Phone if personal => crate::i18n::format_phone(&value),
                SearchField::Phone => crate::values::mask_phone(&value),
                SearchField::Plate => crate::values::Plate::parse(&value)
                    .map(|p| p.display())
                    .unwrap_or(value),
                SearchField::Email if personal => value,
                SearchField::Email => value
                    .split_once('@')
                    .map(|(_, d)| format!("***@{d}"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            Some(PersonHit {
                person,
                matched,
                detail,
            })
        })
        .collect())
}

type UnitRow = (i64, i64, String, String, Option<String>);

/// Units by personal account (prefix) or by building words plus number. Needs `buildings.view`.
pub async fn find_units(
    db: &Db,
    actor: &Actor,
    q: &SearchQuery,
    raw: &str,
) -> Result<Vec<UnitHit>, AppError> {
    let reach = actor
        .building_reach(Permission::BuildingsView)
        .ok_or(AppError::Forbidden)?;
    let filter = format!(
        "{} AND {}",
        actor.company_sql("u.company_id"),
        reach.sql("u.building_id")
    );
    let base = "SELECT u.id, u.building_id, b.name, u.number, u.account FROM units u \
                JOIN buildings b ON b.id = u.building_id JOIN addresses a ON a.id = b.address_id";
    let mut hits: Vec<UnitHit> = Vec::new();
    let account = raw.trim();
    if account.chars().any(|c| c.is_ascii_digit()) && !account.contains(' ') && account.len() >= 3 {
        let sql = format!(
            "{base} WHERE u.account LIKE $1 AND {filter} ORDER BY u.account LIMIT {UNIT_LIMIT}"
        );
        let rows: Vec<UnitRow> = on_db!(db, pool => sqlx::query_as(&sql)
            .bind(format!("{account}%")).fetch_all(pool).await)?;
        hits.extend(rows.into_iter().map(|r| unit_hit(r, SearchField::Account)));
    }
    if let Some((words, number)) = &q.unit {
        let mut conds = Vec::new();
        let mut binds = vec![number.clone()];
        for w in words.split(' ').take(4) {
            conds.push(format!("a.normalized LIKE ${}", binds.len() + 1));
            if w.chars().all(|c| c.is_ascii_digit()) {
                binds.push(format!("%|{w}|%"));
            } else {
                binds.push(format!("%{w}%"));
            }
        }
        let sql = format!(
            "{base} WHERE u.number = $1 AND {} AND {filter} ORDER BY b.name LIMIT {UNIT_LIMIT}",
            conds.join(" AND ")
        );
        let rows: Vec<UnitRow> = on_db!(db, pool => {
            let mut query = sqlx::query_as::<_, UnitRow>(&sql);
            for b in &binds {
                query = query.bind(b);
            }
            query.fetch_all(pool).await
        })?;
        hits.extend(rows.into_iter().map(|r| unit_hit(r, SearchField::Unit)));
    }
    let mut seen = BTreeSet::new();
    hits.retain(|h| seen.insert(h.unit_id));
    Ok(hits)
}

fn unit_hit((unit, building, name, number, account): UnitRow, matched: SearchField) -> UnitHit {
    UnitHit {
        unit_id: UnitId(unit),
        building_id: BuildingId(building),
        label: format!("{name} — {number}"),
        account,
        matched,
        people: Vec::new(),
    }
}

#[derive(sqlx::FromRow)]
struct UnitPersonRow {
    unit_id: i64,
    person_id: i64,
    relation: String,
}

/// Fills in who lives in each unit found: current links, owners first, as the caller may see
/// the people (units the caller does not reach with `people.view` stay without names).
async fn add_unit_people(db: &Db, actor: &Actor, hits: &mut [UnitHit]) -> Result<(), AppError> {
    let Some(reach) = actor.building_reach(Permission::PeopleView) else {
        return Ok(());
    };
    if hits.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = hits.iter().map(|h| h.unit_id.0).collect();
    let list = crate::db::id_list(&ids);
    let rows: Vec<UnitPersonRow> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT pu.unit_id, pu.person_id, pu.relation FROM person_units pu JOIN units u ON u.id = pu.unit_id \
         JOIN people p ON p.id = pu.person_id \
         WHERE pu.unit_id IN ({list}) AND (pu.valid_from IS NULL OR pu.valid_from <= $1) AND (pu.valid_to IS NULL OR pu.valid_to >= $1) AND p.merged_into IS NULL AND {} AND {} \
         ORDER BY CASE pu.relation WHEN 'owner' THEN 0 WHEN 'tenant' THEN 1 WHEN 'occupant' THEN 2 ELSE 3 END, pu.id",
        actor.company_sql("pu.company_id"), reach.sql("u.building_id")))
        .bind(actor.today()).fetch_all(pool).await)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
    let names: std::collections::HashMap<i64, String> = briefs(db, actor, &ids)
        .await?
        .into_iter()
        .map(|b| (b.id.0, b.name))
        .collect();
    for r in rows {
        let (Some(hit), Some(name), Some(relation)) = (
            hits.iter_mut().find(|h| h.unit_id.0 == r.unit_id),
            names.get(&r.person_id),
            Relation::from_db(&r.relation),
        ) else {
            continue;
        };
        if hit.people.len() < UNIT_PEOPLE_SHOWN && !hit.people.iter().any(|p| p.id.0 == r.person_id)
        {
            hit.people.push(UnitHitPerson {
                id: PersonId(r.person_id),
                name: name.clone(),
                relation,
            });
        }
    }
    Ok(())
}

/// How many people a unit found by the search names.
const UNIT_PEOPLE_SHOWN: usize = 4;

/// The top-bar search: people and units the caller may see. Needs `people.view` or
/// `buildings.view`; each part is searched only with its permission.
pub async fn search(db: &Db, actor: &Actor, raw: &str) -> Result<SearchResults, AppError> {
    let people_ok = actor.building_reach(Permission::PeopleView).is_some();
    let units_ok = actor.building_reach(Permission::BuildingsView).is_some();
    if !people_ok && !units_ok {
        return Err(AppError::Forbidden);
    }
    let q = SearchQuery::parse(raw)?;
    Ok(SearchResults {
        people: if people_ok {
            find_people(db, actor, &q, None, PEOPLE_LIMIT).await?
        } else {
            Vec::new()
        },
        units: if units_ok {
            let mut units = find_units(db, actor, &q, raw).await?;
            add_unit_people(db, actor, &mut units).await?;
            units
        } else {
            Vec::new()
        },
    })
}

/// People per page of the people list.
pub const PAGE_SIZE: i64 = 50;

/// The people list: a search (up to 100 hits) or, without a query, everyone by name a page at a
/// time; optionally only one building's people. Needs `people.view`.
pub async fn list_people(
    db: &Db,
    actor: &Actor,
    filter: &PeopleFilter,
) -> Result<PeoplePage, AppError> {
    let reach = actor
        .building_reach(Permission::PeopleView)
        .ok_or(AppError::Forbidden)?;
    if !filter.q.trim().is_empty() {
        let q = SearchQuery::parse(&filter.q)?;
        let items = find_people(db, actor, &q, filter.building, 100).await?;
        return Ok(PeoplePage {
            total: i64::try_from(items.len()).unwrap_or(0),
            items,
            page_size: PAGE_SIZE,
        });
    }
    let mut cond = format!(
        "p.merged_into IS NULL AND {} AND {}",
        actor.company_sql("p.company_id"),
        reach_sql(&reach, "p")
    );
    if let Some(b) = filter.building {
        let _ = write!(
            cond,
            " AND EXISTS (SELECT 1 FROM person_units bpu JOIN units bu ON bu.id = bpu.unit_id \
              WHERE bpu.person_id = p.id AND bu.building_id = {})",
            b.0
        );
    }
    let total: i64 = on_db!(db, pool => sqlx::query_scalar(&format!("SELECT COUNT(*) FROM people p WHERE {cond}"))
        .fetch_one(pool).await)?;
    let offset = i64::from(filter.page) * PAGE_SIZE;
    let ids: Vec<i64> = on_db!(db, pool => sqlx::query_scalar(&format!(
        "SELECT p.id FROM people p WHERE {cond} ORDER BY p.search_name, p.id LIMIT {PAGE_SIZE} OFFSET {offset}"))
        .fetch_all(pool).await)?;
    let items = briefs(db, actor, &ids)
        .await?
        .into_iter()
        .map(|person| PersonHit {
            person,
            matched: SearchField::Name,
            detail: String::new(),
        })
        .collect();
    Ok(PeoplePage {
        items,
        total,
        page_size: PAGE_SIZE,
    })
}

#[cfg(test)]
mod tests {
    use super::phone_prefix;

    #[test]
    fn numbers_typed_from_the_start_become_a_range() {
        assert_eq!(
            phone_prefix("89161234"),
            Some(("+79161234".into(), "+79161235".into()))
        );
        assert_eq!(
            phone_prefix("7925555"),
            Some(("+7925555".into(), "+7925556".into()))
        );
        assert_eq!(
            phone_prefix("916199"),
            Some(("+7916199".into(), "+7916200".into()))
        );
        assert_eq!(
            phone_prefix("5551234"),
            None,
            "a middle part is not a prefix"
        );
        assert_eq!(phone_prefix("89"), None, "too short to be useful");
    }
}
