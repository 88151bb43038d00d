//! Demo people: about 300 owners, co-owners with shares, tenants with periods, an organisation
//! owning commercial premises, phones, e-mails, vehicles with real-format plates, consents and a
//! few notes, spread over both demo companies' flats. Fixed people that the README and the
//! browser tests name: the demo residents' own cards, the Семёновы (co-owners of Лесная, 12 —
//! flat 7, car А123ВС 77) and a duplicate pair (Орлов Денис, entered twice) to merge.

use super::registry::{insert_person, upsert_unit_link};
use crate::AppError;
use crate::buildings::model::UnitId;
use crate::db::Tx;
use crate::fake::{DemoRng, names};
use crate::on_tx;
use crate::people::person::{
    CheckedUnitLink, PersonForm, PersonKind, PhoneInput, Share, UnitTarget,
};
use crate::values::Relation;
use chrono::{NaiveDate, Utc};
use std::collections::BTreeSet;

const NORTH: &str = "УК «Северный квартал»";
const RIVER: &str = "УК «Речной берег»";

/// The phone of Ольга Семёнова, the demo's co-owner of Лесная, 12 — flat 7.
pub const DEMO_CLIENT_PHONE: &str = "+79165551234";
/// Her car.
pub const DEMO_CLIENT_PLATE: &str = "А123ВС77";

const CARS: &[&str] = &[
    "Kia Rio",
    "Hyundai Solaris",
    "Lada Vesta",
    "Volkswagen Polo",
    "Skoda Octavia",
    "Toyota Camry",
    "Renault Logan",
    "Haval Jolion",
    "Chery Tiggo 7",
    "Geely Coolray",
    "Mazda CX-5",
    "BMW X3",
];
const COLORS: &[&str] = &[
    "белый",
    "чёрный",
    "серый",
    "серебристый",
    "синий",
    "красный",
];
const PLATE_LETTERS: &[char] = &['А', 'В', 'Е', 'К', 'М', 'Н', 'О', 'Р', 'С', 'Т', 'У', 'Х'];
const REGIONS: &[&str] = &["77", "97", "99", "177", "197", "777", "50", "150", "750"];
const DOMAINS: &[&str] = &["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru"];

/// Cyrillic → Latin for demo e-mail addresses.
fn translit(s: &str) -> String {
    const TABLE: &[(char, &str)] = &[
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "y"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "kh"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "sch"),
        ('ы', "y"),
        ('э', "e"),
        ('ю', "yu"),
        ('я', "ya"),
    ];
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| TABLE.iter().find(|(k, _)| *k == c).map_or("", |(_, v)| *v))
        .collect()
}

/// A random name that is not one of the fixed demo people's surnames (tests find those by name).
fn random_name(rng: &mut DemoRng) -> names::FullName {
    loop {
        let n = names::full_name(rng);
        if !n.surname.starts_with("Семёнов") && !n.surname.starts_with("Орлов") {
            return n;
        }
    }
}

struct Gen<'a> {
    rng: &'a mut DemoRng,
    phones: BTreeSet<String>,
    plates: BTreeSet<String>,
}

impl Gen<'_> {
    fn mobile(&mut self) -> String {
        loop {
            let code = *self.rng.pick(&[
                "903", "905", "909", "915", "916", "925", "926", "977", "985", "999",
            ]);
            let p = format!("+7{code}{:07}", self.rng.range(1_000_000, 9_999_999));
            if self.phones.insert(p.clone()) {
                return p;
            }
        }
    }

    fn plate(&mut self) -> String {
        loop {
            let l = |g: &mut Self| *g.rng.pick(PLATE_LETTERS);
            let p = format!(
                "{}{:03}{}{}{}",
                l(self),
                self.rng.range(1, 999),
                l(self),
                l(self),
                self.rng.pick(REGIONS)
            );
            if self.plates.insert(p.clone()) {
                return p;
            }
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.below(100) < percent
    }

    fn day(&mut self, from_year: i32, to_year: i32) -> NaiveDate {
        let year = from_year
            + i32::try_from(
                self.rng
                    .below(u64::try_from(to_year - from_year + 1).unwrap_or(1)),
            )
            .unwrap_or(0);
        let month = u32::try_from(self.rng.range(1, 12)).unwrap_or(1);
        let day = u32::try_from(self.rng.range(1, 28)).unwrap_or(1);
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
    }
}

struct NewDemoPerson<'a> {
    kind: PersonKind,
    last: &'a str,
    first: &'a str,
    middle: &'a str,
    organization: &'a str,
    phones: Vec<String>,
    emails: Vec<String>,
}

async fn person(tx: &mut Tx, company: i64, p: NewDemoPerson<'_>) -> Result<i64, AppError> {
    let form = PersonForm {
        kind: p.kind,
        last_name: p.last.into(),
        first_name: p.first.into(),
        middle_name: p.middle.into(),
        organization: p.organization.into(),
        phones: p
            .phones
            .into_iter()
            .map(|phone| PhoneInput {
                phone,
                label: String::new(),
            })
            .collect(),
        emails: p.emails,
    };
    insert_person(tx, company, &form.check()?).await
}

async fn link(
    tx: &mut Tx,
    company: i64,
    person: i64,
    unit: i64,
    relation: Relation,
    share: Option<Share>,
    period: (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<(), AppError> {
    let l = CheckedUnitLink {
        unit: UnitTarget::Id(UnitId(unit)),
        relation,
        share,
        valid_from: period.0,
        valid_to: period.1,
    };
    upsert_unit_link(tx, company, person, UnitId(unit), &l).await
}

async fn vehicle(
    tx: &mut Tx,
    company: i64,
    person: i64,
    plate: &str,
    model: &str,
    color: &str,
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO vehicles (company_id, person_id, plate, model, color, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(company).bind(person).bind(plate).bind(model).bind(color).bind(Utc::now())
        .execute(conn).await.map(|_| ()))?;
    Ok(())
}

async fn consent(
    tx: &mut Tx,
    company: i64,
    person: i64,
    kind: &str,
    day: NaiveDate,
    source: &str,
) -> Result<(), AppError> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO person_consents (company_id, person_id, kind, given_on, source, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(company).bind(person).bind(kind).bind(day).bind(source).bind(Utc::now())
        .execute(conn).await.map(|_| ()))?;
    Ok(())
}

async fn company(tx: &mut Tx, name: &str) -> Result<i64, AppError> {
    Ok(
        on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM companies WHERE short_name = $1")
        .bind(name).fetch_one(conn).await)?,
    )
}

async fn unit(tx: &mut Tx, building: &str, number: &str) -> Result<i64, AppError> {
    Ok(on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.name = $1 AND u.number = $2")
        .bind(building).bind(number).fetch_one(conn).await)?)
}

/// Random owners (some with a co-owner and shares), tenants and their details for `count`
/// flats of one company.
async fn populate(
    tx: &mut Tx,
    g: &mut Gen<'_>,
    company: i64,
    count: usize,
) -> Result<usize, AppError> {
    // Each flat with the year its building was finished: nobody owns a flat before that.
    let flats: Vec<(i64, Option<i32>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT u.id, b.year_built FROM units u JOIN buildings b ON b.id = u.building_id \
         WHERE u.company_id = $1 AND u.kind = 'apartment' \
         AND NOT EXISTS (SELECT 1 FROM person_units pu WHERE pu.unit_id = u.id) ORDER BY u.id")
        .bind(company).fetch_all(conn).await)?;
    let parking: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT id FROM units WHERE company_id = $1 AND kind = 'parking' ORDER BY id")
        .bind(company).fetch_all(conn).await)?;
    let mut made = 0;
    let mut used = BTreeSet::new();
    let mut next_parking = 0;
    while made < count && used.len() < flats.len() {
        let (flat, built) = *g.rng.pick(&flats);
        let first_year = built.unwrap_or(1995).clamp(1995, 2024);
        if !used.insert(flat) {
            continue;
        }
        let owner = random_name(g.rng);
        let co_owned = g.chance(18);
        let mut people_here = vec![(owner.clone(), Relation::Owner)];
        if co_owned {
            let mut spouse = random_name(g.rng);
            // Spouses share the surname's stem: "Иванов" / "Иванова".
            spouse.surname = if owner.surname.ends_with('а') && !spouse.surname.ends_with('а') {
                owner.surname.trim_end_matches('а').to_owned()
            } else if !owner.surname.ends_with('а') && spouse.surname.ends_with('а') {
                format!("{}а", owner.surname)
            } else {
                spouse.surname
            };
            people_here.push((spouse, Relation::Owner));
        }
        if g.chance(20) {
            people_here.push((random_name(g.rng), Relation::Tenant));
        } else if g.chance(15) {
            people_here.push((random_name(g.rng), Relation::Occupant));
        }
        for (name, relation) in people_here {
            let mut phones = vec![g.mobile()];
            if g.chance(10) {
                phones.push(g.rng.moscow_phone());
            }
            let emails = if g.chance(35) {
                vec![format!(
                    "{}.{}{}@{}",
                    translit(&name.first),
                    translit(&name.surname),
                    g.rng.range(1, 99),
                    g.rng.pick(DOMAINS)
                )]
            } else {
                vec![]
            };
            let id = person(
                tx,
                company,
                NewDemoPerson {
                    kind: PersonKind::Person,
                    last: &name.surname,
                    first: &name.first,
                    middle: &name.patronymic,
                    organization: "",
                    phones,
                    emails,
                },
            )
            .await?;
            let (share, period) = match relation {
                Relation::Owner if co_owned => (
                    Some(Share { num: 1, den: 2 }),
                    (Some(g.day(first_year.max(2005), 2024)), None),
                ),
                Relation::Owner => (None, (Some(g.day(first_year, 2024)), None)),
                Relation::Tenant => {
                    let from = g.day(2024, 2026);
                    let to = from
                        .checked_add_months(chrono::Months::new(11))
                        .unwrap_or(from);
                    (None, (Some(from), Some(to)))
                }
                _ => (None, (None, None)),
            };
            link(tx, company, id, flat, relation, share, period).await?;
            if relation == Relation::Owner && g.chance(30) {
                let plate = g.plate();
                let model = *g.rng.pick(CARS);
                let color = *g.rng.pick(COLORS);
                vehicle(tx, company, id, &plate, model, color).await?;
                if let Some(space) = parking.get(next_parking)
                    && g.chance(50)
                {
                    next_parking += 1;
                    link(tx, company, id, *space, Relation::Owner, None, period).await?;
                }
            }
            if g.chance(85) {
                let day = g.day(2019, 2025);
                let source = *g
                    .rng
                    .pick(&["бумажное заявление", "личный кабинет", "офис УК"]);
                consent(tx, company, id, "personal_data", day, source).await?;
                if g.chance(45) {
                    consent(tx, company, id, "mailings", day, source).await?;
                }
            }
            made += 1;
        }
    }
    Ok(made)
}

/// Writes the demo people. Needs the buildings and access steps before it.
pub async fn seed(tx: &mut Tx, rng: &mut DemoRng) -> Result<String, AppError> {
    let north = company(tx, NORTH).await?;
    let river = company(tx, RIVER).await?;
    let mut g = Gen {
        rng,
        phones: BTreeSet::new(),
        plates: BTreeSet::new(),
    };
    let mut made = 0;
    // The demo residents have cards too, on the flats they are linked to.
    for (phone, co) in [("+79000000001", north), ("+79000000002", river)] {
        let name: String = on_tx!(tx, conn => sqlx::query_scalar("SELECT display_name FROM users WHERE phone = $1")
            .bind(phone).fetch_one(conn).await)?;
        let parts: Vec<&str> = name.split(' ').collect();
        let id = person(
            tx,
            co,
            NewDemoPerson {
                kind: PersonKind::Person,
                last: parts.first().copied().unwrap_or(""),
                first: parts.get(1).copied().unwrap_or(""),
                middle: parts.get(2).copied().unwrap_or(""),
                organization: "",
                phones: vec![phone.to_owned()],
                emails: vec![],
            },
        )
        .await?;
        let flats: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT r.unit_id FROM resident_units r JOIN users u ON u.id = r.user_id WHERE u.phone = $1 AND r.status = 'active'")
            .bind(phone).fetch_all(conn).await)?;
        for flat in flats {
            link(
                tx,
                co,
                id,
                flat,
                Relation::Owner,
                None,
                (NaiveDate::from_ymd_opt(2018, 6, 1), None),
            )
            .await?;
        }
        consent(
            tx,
            co,
            id,
            "personal_data",
            NaiveDate::from_ymd_opt(2024, 3, 15).unwrap_or_default(),
            "личный кабинет",
        )
        .await?;
        made += 1;
    }
    // The Семёновы: co-owners of Лесная, 12 — 7 with a car.
    let flat7 = unit(tx, "Лесная, 12", "7").await?;
    let olga = person(
        tx,
        north,
        NewDemoPerson {
            kind: PersonKind::Person,
            last: "Семёнова",
            first: "Ольга",
            middle: "Викторовна",
            organization: "",
            phones: vec![DEMO_CLIENT_PHONE.into()],
            emails: vec!["olga.semenova@mail.ru".into()],
        },
    )
    .await?;
    let igor = person(
        tx,
        north,
        NewDemoPerson {
            kind: PersonKind::Person,
            last: "Семёнов",
            first: "Игорь",
            middle: "Петрович",
            organization: "",
            phones: vec!["+79165554321".into()],
            emails: vec![],
        },
    )
    .await?;
    let half = Some(Share { num: 1, den: 2 });
    let since = (NaiveDate::from_ymd_opt(2011, 4, 20), None);
    link(tx, north, olga, flat7, Relation::Owner, half, since).await?;
    link(tx, north, igor, flat7, Relation::Owner, half, since).await?;
    vehicle(tx, north, olga, DEMO_CLIENT_PLATE, "Kia Rio", "белый").await?;
    let given = NaiveDate::from_ymd_opt(2023, 9, 1).unwrap_or_default();
    consent(
        tx,
        north,
        olga,
        "personal_data",
        given,
        "бумажное заявление",
    )
    .await?;
    consent(tx, north, olga, "mailings", given, "бумажное заявление").await?;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO person_notes (company_id, person_id, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(north).bind(olga).bind("Диспетчерская")
        .bind("Просит звонить после 18:00. Ключи от квартиры у соседки из кв. 8.")
        .bind(Utc::now()).execute(conn).await.map(|_| ()))?;
    made += 2;
    // A duplicate pair to merge: one card from a call, one from an accounting export.
    let flat15 = unit(tx, "Лесная, 12", "15").await?;
    for emails in [vec![], vec!["d.orlov@yandex.ru".to_owned()]] {
        let id = person(
            tx,
            north,
            NewDemoPerson {
                kind: PersonKind::Person,
                last: "Орлов",
                first: "Денис",
                middle: "Сергеевич",
                organization: "",
                phones: vec!["+79251112233".into()],
                emails,
            },
        )
        .await?;
        link(tx, north, id, flat15, Relation::Owner, None, (None, None)).await?;
        made += 1;
    }
    // An organisation owning commercial premises.
    let shop: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id \
         WHERE b.name = 'Лесная, 12' AND u.kind = 'non_residential' ORDER BY u.id LIMIT 1")
        .fetch_one(conn).await)?;
    let org = person(
        tx,
        north,
        NewDemoPerson {
            kind: PersonKind::Organization,
            last: "",
            first: "",
            middle: "",
            organization: "ООО «Вектор» (аптека)",
            phones: vec!["+74959876543".into()],
            emails: vec!["info@vektor-apteka.ru".into()],
        },
    )
    .await?;
    link(
        tx,
        north,
        org,
        shop,
        Relation::Owner,
        None,
        (NaiveDate::from_ymd_opt(2015, 2, 1), None),
    )
    .await?;
    made += 1;
    g.phones.insert(DEMO_CLIENT_PHONE.into());
    g.plates.insert(DEMO_CLIENT_PLATE.into());
    made += populate(tx, &mut g, north, 215).await?;
    made += populate(tx, &mut g, river, 80).await?;
    Ok(format!(
        "{made} people with units, phones, vehicles and consents"
    ))
}

#[cfg(test)]
mod tests {
    use super::translit;

    #[test]
    fn names_become_latin_addresses() {
        assert_eq!(translit("Семёнова"), "semenova");
        assert_eq!(translit("Жуков"), "zhukov");
    }
}
