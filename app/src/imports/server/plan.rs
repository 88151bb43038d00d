//! Planning an import: every row is matched against a snapshot of the building and the
//! company's people taken once, and turns into the operations it needs (none when the data is
//! already there, which is what makes a re-import change nothing). Planning writes nothing, so
//! the preview and the all-or-nothing check are the same code as the apply.
//!
//! Matching rules, in order: a unit by personal account (company-wide; it must be in this
//! building), else by number in the building, else it is created when the row names an entrance
//! and a floor. A person by the same name among the unit's people, else by the same name and a
//! shared phone anywhere in the company, else created. Contacts are only ever added; a
//! relation is added or its share updated; arrears are set when they differ.

use crate::AppError;
use crate::buildings::model::UnitKind;
use crate::db::Db;
use crate::imports::model::{ParsedRow, RowOutcome, problem};
use crate::on_db;
use crate::people::person::{CheckedPerson, Share};
use crate::values::Relation;
use crate::values::fold;
use std::collections::{BTreeSet, HashMap};

/// A unit as the planner knows it. Negative ids are units this import creates.
#[derive(Debug, Clone)]
pub struct UnitRec {
    pub id: i64,
    pub number: String,
    pub account: Option<String>,
    pub area: Option<i64>,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, Default)]
pub struct PersonRec {
    pub search_name: String,
    pub phones: BTreeSet<String>,
    pub emails: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct EntranceRec {
    pub id: i64,
    pub name: String,
    pub parking: bool,
    pub floor_from: i32,
    pub floor_to: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkRec {
    pub person: i64,
    pub relation: Relation,
    pub share: Option<(i32, i32)>,
}

/// What the building and the company hold, as far as an import can touch it.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub building: i64,
    pub entrances: Vec<EntranceRec>,
    pub units: HashMap<i64, UnitRec>,
    /// Folded unit number → unit.
    pub by_number: HashMap<String, i64>,
    /// Account → (unit, building), company-wide.
    pub by_account: HashMap<String, (i64, i64)>,
    pub people: HashMap<i64, PersonRec>,
    pub by_phone: HashMap<String, Vec<i64>>,
    pub links: HashMap<i64, Vec<LinkRec>>,
    pub balances: HashMap<i64, i64>,
    /// Next free position per (entrance, floor).
    pub next_position: HashMap<(i64, i32), i32>,
    next_tmp: i64,
}

/// One write an import row needs. Ids below zero are created earlier in the same import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    CreateUnit {
        tmp: i64,
        entrance_id: i64,
        floor: i32,
        position: i32,
        number: String,
        kind: UnitKind,
        area: Option<i64>,
        account: Option<String>,
    },
    UpdateUnit {
        unit: i64,
        kind: UnitKind,
        area: Option<i64>,
        account: Option<String>,
    },
    CreatePerson {
        tmp: i64,
        person: CheckedPerson,
    },
    AddPhone {
        person: i64,
        phone: String,
        position: i32,
    },
    AddEmail {
        person: i64,
        email: String,
        position: i32,
    },
    Link {
        person: i64,
        unit: i64,
        relation: Relation,
        share: Option<(i32, i32)>,
    },
    Balance {
        unit: i64,
        amount: i64,
    },
}

/// A row's plan: its outcome, the writes, and what they mean (codes for the report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub outcome: RowOutcome,
    /// The row's unit (negative: created by this plan's `CreateUnit`).
    pub unit: i64,
    pub ops: Vec<Op>,
    pub detail: Vec<String>,
}

type UnitRow = (
    i64,
    String,
    Option<String>,
    Option<i64>,
    String,
    i64,
    i32,
    i32,
);
type LinkRow = (i64, i64, String, Option<i32>, Option<i32>);

fn key(number: &str) -> String {
    fold(number).replace(' ', "")
}

fn share_pair(s: Share) -> (i32, i32) {
    (
        i32::try_from(s.num).unwrap_or(1),
        i32::try_from(s.den).unwrap_or(1),
    )
}

fn len_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Snapshot {
    /// Loads the building's entrances, units, people links and balances, and the company's
    /// accounts, live people and their contacts.
    pub async fn load(db: &Db, company: i64, building: i64) -> Result<Self, AppError> {
        let mut s = Self {
            building,
            next_tmp: -1,
            ..Self::default()
        };
        let entrances: Vec<(i64, String, String, i32, i32)> = on_db!(db, pool => sqlx::query_as(
            "SELECT id, name, kind, floor_from, floor_to FROM entrances WHERE building_id = $1 ORDER BY position")
            .bind(building).fetch_all(pool).await)?;
        s.entrances = entrances
            .into_iter()
            .map(|(id, name, kind, floor_from, floor_to)| EntranceRec {
                id,
                name,
                parking: kind == "parking",
                floor_from,
                floor_to,
            })
            .collect();
        let units: Vec<UnitRow> = on_db!(db, pool => sqlx::query_as(
            "SELECT id, number, account, area_dm2, kind, entrance_id, floor, position FROM units WHERE building_id = $1")
            .bind(building).fetch_all(pool).await)?;
        for (id, number, account, area, kind, entrance, floor, position) in units {
            s.by_number.insert(key(&number), id);
            let next = s.next_position.entry((entrance, floor)).or_insert(0);
            *next = (*next).max(position + 1);
            s.units.insert(
                id,
                UnitRec {
                    id,
                    number,
                    account,
                    area,
                    kind: UnitKind::from_db(&kind).unwrap_or(UnitKind::Apartment),
                },
            );
        }
        let accounts: Vec<(String, i64, i64)> = on_db!(db, pool => sqlx::query_as(
            "SELECT account, id, building_id FROM units WHERE company_id = $1 AND account IS NOT NULL")
            .bind(company).fetch_all(pool).await)?;
        for (account, id, b) in accounts {
            s.by_account.insert(account, (id, b));
        }
        let people: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
            "SELECT id, search_name FROM people WHERE company_id = $1 AND merged_into IS NULL")
            .bind(company).fetch_all(pool).await)?;
        for (id, search_name) in people {
            s.people.insert(
                id,
                PersonRec {
                    search_name,
                    ..PersonRec::default()
                },
            );
        }
        let phones: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
            "SELECT person_id, phone FROM person_phones WHERE company_id = $1")
            .bind(company).fetch_all(pool).await)?;
        for (person, phone) in phones {
            if let Some(p) = s.people.get_mut(&person) {
                p.phones.insert(phone.clone());
                s.by_phone.entry(phone).or_default().push(person);
            }
        }
        let emails: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(
            "SELECT person_id, email FROM person_emails WHERE company_id = $1")
            .bind(company).fetch_all(pool).await)?;
        for (person, email) in emails {
            if let Some(p) = s.people.get_mut(&person) {
                p.emails.insert(email);
            }
        }
        let links: Vec<LinkRow> = on_db!(db, pool => sqlx::query_as(
            "SELECT pu.person_id, pu.unit_id, pu.relation, pu.share_num, pu.share_den FROM person_units pu \
             JOIN units u ON u.id = pu.unit_id WHERE u.building_id = $1")
            .bind(building).fetch_all(pool).await)?;
        for (person, unit, relation, num, den) in links {
            let Some(relation) = Relation::from_db(&relation) else {
                continue;
            };
            s.links.entry(unit).or_default().push(LinkRec {
                person,
                relation,
                share: num.zip(den),
            });
        }
        let balances: Vec<(i64, i64)> = on_db!(db, pool => sqlx::query_as(
            "SELECT b.unit_id, b.amount FROM unit_balances b JOIN units u ON u.id = b.unit_id WHERE u.building_id = $1")
            .bind(building).fetch_all(pool).await)?;
        s.balances.extend(balances);
        Ok(s)
    }

    fn tmp(&mut self) -> i64 {
        let t = self.next_tmp;
        self.next_tmp -= 1;
        t
    }

    fn entrance(&self, name: &str) -> Option<&EntranceRec> {
        let want = fold(name);
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        self.entrances
            .iter()
            .find(|e| fold(&e.name) == want)
            .or_else(|| {
                let d = digits(name);
                (!d.is_empty())
                    .then(|| self.entrances.iter().find(|e| digits(&e.name) == d))
                    .flatten()
            })
    }

    /// The unit of the row, existing or to be created, with its writes.
    fn plan_unit(&mut self, row: &ParsedRow, out: &mut Planned) -> Result<i64, Vec<String>> {
        let by_account = match &row.account {
            Some(a) => match self.by_account.get(a) {
                Some(&(_, b)) if b != self.building => {
                    return Err(vec![problem("account", "other_building")]);
                }
                Some(&(u, _)) => Some(u),
                None => None,
            },
            None => None,
        };
        let by_number = row
            .number
            .as_ref()
            .and_then(|n| self.by_number.get(&key(n)).copied());
        // An account names one unit: a row giving another number for it is refused rather
        // than guessed (a renumbered unit is fixed in the grid editor first).
        if let (Some(a), Some(n)) = (by_account, &row.number)
            && self.units.get(&a).is_some_and(|u| key(&u.number) != key(n))
        {
            return Err(vec![problem("account", "other_unit")]);
        }
        let unit = match (by_account, by_number) {
            (Some(a), Some(n)) if a != n => return Err(vec![problem("account", "other_unit")]),
            (Some(u), _) | (None, Some(u)) => u,
            (None, None) => return self.create_unit(row, out),
        };
        let Some(rec) = self.units.get_mut(&unit) else {
            return Err(vec![problem("unit", "not_found")]);
        };
        let kind = row.kind.unwrap_or(rec.kind);
        let area = row.area.or(rec.area);
        let account = row.account.clone().or_else(|| rec.account.clone());
        if kind != rec.kind || area != rec.area || account != rec.account {
            if let Some(old) = rec.account.take()
                && Some(&old) != account.as_ref()
            {
                self.by_account.remove(&old);
            }
            if let Some(a) = &account {
                self.by_account.insert(a.clone(), (unit, self.building));
            }
            rec.kind = kind;
            rec.area = area;
            rec.account.clone_from(&account);
            out.ops.push(Op::UpdateUnit {
                unit,
                kind,
                area,
                account,
            });
            out.detail.push(problem("unit", "updated"));
        }
        Ok(unit)
    }

    fn create_unit(&mut self, row: &ParsedRow, out: &mut Planned) -> Result<i64, Vec<String>> {
        let Some(number) = &row.number else {
            return Err(vec![problem("account", "not_found")]);
        };
        let (Some(entrance), Some(floor)) = (&row.entrance, row.floor) else {
            return Err(vec![problem("unit", "not_found")]);
        };
        let Some(e) = self.entrance(entrance).cloned() else {
            return Err(vec![problem("entrance", "not_found")]);
        };
        if floor < e.floor_from || floor > e.floor_to {
            return Err(vec![problem("floor", "not_in_entrance")]);
        }
        let tmp = self.tmp();
        let next = self.next_position.entry((e.id, floor)).or_insert(0);
        let position = *next;
        *next += 1;
        let kind = row.kind.unwrap_or(if e.parking {
            UnitKind::Parking
        } else {
            UnitKind::Apartment
        });
        self.by_number.insert(key(number), tmp);
        if let Some(a) = &row.account {
            self.by_account.insert(a.clone(), (tmp, self.building));
        }
        self.units.insert(
            tmp,
            UnitRec {
                id: tmp,
                number: number.clone(),
                account: row.account.clone(),
                area: row.area,
                kind,
            },
        );
        out.ops.push(Op::CreateUnit {
            tmp,
            entrance_id: e.id,
            floor,
            position,
            number: number.clone(),
            kind,
            area: row.area,
            account: row.account.clone(),
        });
        out.detail.push(problem("unit", "created"));
        Ok(tmp)
    }

    fn find_person(&self, unit: i64, p: &CheckedPerson) -> Option<i64> {
        let same_name = |id: &i64| {
            self.people
                .get(id)
                .is_some_and(|r| r.search_name == p.search_name)
        };
        if let Some(l) = self
            .links
            .get(&unit)
            .and_then(|ls| ls.iter().find(|l| same_name(&l.person)))
        {
            return Some(l.person);
        }
        p.phones.iter().find_map(|(phone, _)| {
            self.by_phone
                .get(phone.as_str())
                .and_then(|ids| ids.iter().copied().find(|id| same_name(id)))
        })
    }

    fn plan_person(&mut self, unit: i64, row: &ParsedRow, p: &CheckedPerson, out: &mut Planned) {
        let person = if let Some(id) = self.find_person(unit, p) {
            let rec = self.people.entry(id).or_default();
            let mut added = false;
            for (phone, _) in &p.phones {
                if rec.phones.insert(phone.as_str().to_owned()) {
                    out.ops.push(Op::AddPhone {
                        person: id,
                        phone: phone.as_str().to_owned(),
                        position: len_i32(rec.phones.len()),
                    });
                    self.by_phone
                        .entry(phone.as_str().to_owned())
                        .or_default()
                        .push(id);
                    added = true;
                }
            }
            for email in &p.emails {
                if rec.emails.insert(email.as_str().to_owned()) {
                    out.ops.push(Op::AddEmail {
                        person: id,
                        email: email.as_str().to_owned(),
                        position: len_i32(rec.emails.len()),
                    });
                    added = true;
                }
            }
            if added {
                out.detail.push(problem("person", "contacts"));
            }
            id
        } else {
            let tmp = self.tmp();
            self.people.insert(
                tmp,
                PersonRec {
                    search_name: p.search_name.clone(),
                    phones: p
                        .phones
                        .iter()
                        .map(|(ph, _)| ph.as_str().to_owned())
                        .collect(),
                    emails: p.emails.iter().map(|e| e.as_str().to_owned()).collect(),
                },
            );
            for (phone, _) in &p.phones {
                self.by_phone
                    .entry(phone.as_str().to_owned())
                    .or_default()
                    .push(tmp);
            }
            out.ops.push(Op::CreatePerson {
                tmp,
                person: p.clone(),
            });
            out.detail.push(problem("person", "created"));
            tmp
        };
        let share = row.share.map(share_pair);
        let links = self.links.entry(unit).or_default();
        match links
            .iter_mut()
            .find(|l| l.person == person && l.relation == row.relation)
        {
            Some(l) if share.is_none() || l.share == share => {}
            Some(l) => {
                l.share = share;
                out.ops.push(Op::Link {
                    person,
                    unit,
                    relation: row.relation,
                    share,
                });
                out.detail.push(problem("link", "updated"));
            }
            None => {
                links.push(LinkRec {
                    person,
                    relation: row.relation,
                    share,
                });
                out.ops.push(Op::Link {
                    person,
                    unit,
                    relation: row.relation,
                    share,
                });
                out.detail.push(problem("link", "created"));
            }
        }
    }

    /// Plans one row, updating the snapshot as if its writes were done (so later rows of the
    /// same file see them). Errors: the row's problems; the snapshot is then unchanged.
    pub fn plan(&mut self, row: &ParsedRow) -> Result<Planned, Vec<String>> {
        let mut out = Planned {
            outcome: RowOutcome::Unchanged,
            unit: 0,
            ops: Vec::new(),
            detail: Vec::new(),
        };
        let unit = self.plan_unit(row, &mut out)?;
        out.unit = unit;
        if let Some(p) = &row.person {
            self.plan_person(unit, row, p, &mut out);
        }
        if let Some(amount) = row.arrears
            && self.balances.get(&unit) != Some(&amount)
        {
            self.balances.insert(unit, amount);
            out.ops.push(Op::Balance { unit, amount });
            out.detail.push(problem("arrears", "set"));
        }
        out.outcome = if out
            .detail
            .iter()
            .any(|d| d == "unit:created" || d == "person:created")
        {
            RowOutcome::Created
        } else if out.ops.is_empty() {
            RowOutcome::Unchanged
        } else {
            RowOutcome::Updated
        };
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::model::{mapping_from_codes, parse_row};

    fn snapshot() -> Snapshot {
        let mut s = Snapshot {
            building: 1,
            next_tmp: -1,
            ..Snapshot::default()
        };
        s.entrances.push(EntranceRec {
            id: 10,
            name: "1".into(),
            parking: false,
            floor_from: 1,
            floor_to: 5,
        });
        s.units.insert(
            100,
            UnitRec {
                id: 100,
                number: "1".into(),
                account: Some("A1".into()),
                area: None,
                kind: UnitKind::Apartment,
            },
        );
        s.by_number.insert("1".into(), 100);
        s.by_account.insert("A1".into(), (100, 1));
        s.by_account.insert("B9".into(), (900, 2));
        s.next_position.insert((10, 1), 1);
        s
    }

    fn row(cells: &[&str]) -> ParsedRow {
        let m = mapping_from_codes(
            "account,unit,entrance,floor,full_name,phone,share,relation,arrears",
            9,
        )
        .expect("codes");
        let cells: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        parse_row(&cells, &m).expect("valid row")
    }

    #[test]
    fn the_second_run_of_the_same_rows_changes_nothing() {
        let mut s = snapshot();
        let rows = [
            row(&[
                "A1",
                "1",
                "",
                "",
                "Иванов Иван",
                "89001112233",
                "1/2",
                "",
                "100",
            ]),
            row(&["", "2", "1", "1", "Иванова Мария", "", "1/2", "", ""]),
            row(&[
                "A3",
                "3",
                "1",
                "2",
                "ООО «Вектор»",
                "",
                "",
                "арендатор",
                "0",
            ]),
        ];
        let first: Vec<Planned> = rows.iter().map(|r| s.plan(r).expect("planned")).collect();
        assert_eq!(first[0].outcome, RowOutcome::Created);
        assert_eq!(
            first[0].detail,
            vec!["person:created", "link:created", "arrears:set"]
        );
        assert_eq!(first[1].detail[0], "unit:created");
        assert!(matches!(
            first[1].ops[0],
            Op::CreateUnit {
                position: 1,
                floor: 1,
                ..
            }
        ));
        assert!(matches!(
            first[2].ops[0],
            Op::CreateUnit {
                position: 0,
                floor: 2,
                ..
            }
        ));
        for r in &rows {
            let again = s.plan(r).expect("planned");
            assert_eq!(again.outcome, RowOutcome::Unchanged, "{again:?}");
            assert!(again.ops.is_empty());
        }
    }

    #[test]
    fn matches_and_refusals() {
        let mut s = snapshot();
        s.people.insert(
            7,
            PersonRec {
                search_name: "петров петр".into(),
                phones: ["+79001112233".to_owned()].into(),
                emails: BTreeSet::new(),
            },
        );
        s.by_phone.insert("+79001112233".into(), vec![7]);
        // Same name and a shared phone elsewhere in the company: the same person, a new link.
        let p = s
            .plan(&row(&["", "1", "", "", "Пётр Петров", "", "", "", ""]))
            .expect("planned");
        assert_eq!(p.detail, vec!["person:created", "link:created"]);
        let p = s
            .plan(&row(&[
                "",
                "1",
                "",
                "",
                "Петров Петр",
                "8 900 111-22-33, 8 900 000 00 01",
                "",
                "",
                "",
            ]))
            .expect("planned");
        assert_eq!(p.detail, vec!["person:contacts", "link:created"]);
        assert_eq!(p.outcome, RowOutcome::Updated);
        for (cells, code) in [
            (
                ["B9", "", "", "", "", "", "", "", ""],
                "account:other_building",
            ),
            (
                ["A1", "5", "", "", "", "", "", "", ""],
                "account:other_unit",
            ),
            (["", "5", "", "", "", "", "", "", ""], "unit:not_found"),
            (
                ["", "5", "9", "1", "", "", "", "", ""],
                "entrance:not_found",
            ),
            (
                ["", "5", "1", "9", "", "", "", "", ""],
                "floor:not_in_entrance",
            ),
            (["Z1", "", "", "", "", "", "", "", ""], "account:not_found"),
        ] {
            assert_eq!(
                s.plan(&row(&cells)),
                Err(vec![code.to_owned()]),
                "{cells:?}"
            );
        }
        // A share change updates the link; a new account and area update the unit.
        let p = s
            .plan(&row(&["", "1", "", "", "Петров Петр", "", "1/3", "", ""]))
            .expect("planned");
        assert_eq!(p.detail, vec!["link:updated"]);
    }
}
