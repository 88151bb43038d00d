//! Building types shared by the browser and the server: addresses and their normal form, the
//! grid generator ("entrances × floors × units per floor, numbering rule"), unit edits, and what
//! the building list and the шахматка show.

use crate::AppError;
use crate::Invalid;
use crate::values::db_enum;
use crate::values::fold;
use serde::{Deserialize, Serialize};

/// A building's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BuildingId(pub i64);

/// A unit's id. Stable: renaming or retyping a unit keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnitId(pub i64);

db_enum!(
    /// What a unit is.
    UnitKind {
        Apartment = "apartment",
        NonResidential = "non_residential",
        Parking = "parking",
        Storage = "storage",
    }
);

db_enum!(
    /// What an entrance (section, block) of a building holds.
    EntranceKind {
        Residential = "residential",
        Parking = "parking",
        NonResidential = "non_residential",
    }
);

impl UnitKind {
    /// Short label for a grid cell's tooltip and the unit editor.
    pub fn label(self, t: &crate::i18n::Tr) -> &'static str {
        match self {
            Self::Apartment => t.unit_kind_apartment,
            Self::NonResidential => t.unit_kind_non_residential,
            Self::Parking => t.unit_kind_parking,
            Self::Storage => t.unit_kind_storage,
        }
    }
}

/// Street-type words and their one abbreviation, so "улица Ленина", "ул. Ленина" and "Ленина ул"
/// normalise alike.
const STREET_TYPES: &[(&[&str], &str)] = &[
    (&["улица", "ул"], "ул"),
    (&["проспект", "просп", "пр-т", "пр-кт", "пркт"], "пр-кт"),
    (&["переулок", "пер"], "пер"),
    (&["шоссе", "ш"], "ш"),
    (&["бульвар", "б-р", "бул"], "б-р"),
    (&["площадь", "пл"], "пл"),
    (&["набережная", "наб"], "наб"),
    (&["проезд", "пр-д"], "проезд"),
    (&["тупик", "туп"], "туп"),
    (&["микрорайон", "мкр", "мкрн"], "мкр"),
];

const HOUSE_WORDS: &[&str] = &["дом", "д"];
const BLOCK_WORDS: &[&str] = &["корпус", "корп", "к", "строение", "стр"];
const CITY_WORDS: &[&str] = &["город", "г"];

/// The street in normal form: folded, the street type abbreviated and put last.
fn normalize_street(street: &str) -> String {
    let mut kind = None;
    let mut words = Vec::new();
    for w in fold(street).split(' ').filter(|w| !w.is_empty()) {
        match STREET_TYPES.iter().find(|(forms, _)| forms.contains(&w)) {
            Some((_, abbr)) if kind.is_none() => kind = Some(*abbr),
            _ => words.push(w.to_owned()),
        }
    }
    if let Some(k) = kind {
        words.push(k.to_owned());
    }
    words.join(" ")
}

/// Folds a part and drops the leading words that only name it ("д. 5" → "5", "корп. 2" → "2").
fn strip_words(s: &str, words: &[&str]) -> String {
    let folded = fold(s);
    let mut parts: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    while parts.len() > 1 && words.contains(&parts[0]) {
        parts.remove(0);
    }
    parts.join(" ")
}

/// An address as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressInput {
    pub region: String,
    pub city: String,
    pub street: String,
    pub house: String,
    /// Корпус / строение; may be empty.
    pub block: String,
}

/// A checked address with its normal form (one address, one row, however it was typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub region: String,
    pub city: String,
    pub street: String,
    pub house: String,
    pub block: String,
    pub normalized: String,
}

impl Address {
    /// Checks an address: city, street and house are required, every part at most 200
    /// characters. Errors: `Validation { field: "city" | "street" | "house" | …, .. }`.
    pub fn parse(raw: &AddressInput) -> Result<Self, AppError> {
        let clean = |field: &'static str, v: &str, required: bool| {
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if required && fold(&v).is_empty() {
                return Err(AppError::validation(field, Invalid::Required));
            }
            if v.chars().count() > 200 {
                return Err(AppError::validation(field, Invalid::TooLong));
            }
            Ok(v)
        };
        let region = clean("region", &raw.region, false)?;
        let city = clean("city", &raw.city, true)?;
        let street = clean("street", &raw.street, true)?;
        let house = clean("house", &raw.house, true)?;
        let block = clean("block", &raw.block, false)?;
        let normalized = [
            fold(&region),
            strip_words(&city, CITY_WORDS),
            normalize_street(&street),
            strip_words(&house, HOUSE_WORDS),
            strip_words(&block, BLOCK_WORDS),
        ]
        .join("|");
        Ok(Self {
            region,
            city,
            street,
            house,
            block,
            normalized,
        })
    }

    /// The address as people write it: "Москва, ул. Ленина, д. 5, корп. 2".
    pub fn display(&self) -> String {
        display_address(&self.city, &self.street, &self.house, &self.block)
    }
}

/// "Москва, ул. Ленина, д. 5, корп. 2" from the parts (house and block without their own words).
pub fn display_address(city: &str, street: &str, house: &str, block: &str) -> String {
    let house = strip_words(house, HOUSE_WORDS);
    let mut s = format!("{city}, {street}, д. {house}");
    let block = strip_words(block, BLOCK_WORDS);
    if !block.is_empty() {
        s.push_str(", корп. ");
        s.push_str(&block);
    }
    s
}

/// How units are numbered when a grid is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Numbering {
    /// 1, 2, 3 … through the whole building: entrance by entrance, floor by floor (the usual
    /// Russian numbering).
    Continuous,
    /// Floor and place: 101, 102 … 201 (in every entrance after the first prefixed "2-", "3-" …).
    ByFloor,
}

impl Numbering {
    pub const ALL: [Numbering; 2] = [Self::Continuous, Self::ByFloor];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Continuous => "continuous",
            Self::ByFloor => "by_floor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == s)
    }
}

/// A new building: its address and the grid to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingPlan {
    pub name: String,
    pub address: AddressInput,
    pub year_built: Option<i32>,
    pub entrances: u32,
    pub floors: u32,
    pub units_per_floor: u32,
    /// Non-residential units on the ground floor of every entrance; when not zero, flats start
    /// on the second floor.
    pub commercial_per_entrance: u32,
    /// Spaces of an underground parking (one extra block on floor −1); zero for none.
    pub parking_spaces: u32,
    pub first_number: u32,
    pub numbering: Numbering,
}

impl Default for BuildingPlan {
    fn default() -> Self {
        Self {
            name: String::new(),
            address: AddressInput::default(),
            year_built: None,
            entrances: 1,
            floors: 9,
            units_per_floor: 4,
            commercial_per_entrance: 0,
            parking_spaces: 0,
            first_number: 1,
            numbering: Numbering::Continuous,
        }
    }
}

/// An entrance the generator lays out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedEntrance {
    pub name: String,
    pub kind: EntranceKind,
    pub floor_from: i32,
    pub floor_to: i32,
    pub units: Vec<PlannedUnit>,
}

/// A unit the generator lays out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedUnit {
    pub floor: i32,
    /// Place on the floor, from 1, left to right.
    pub position: i32,
    pub number: String,
    pub kind: UnitKind,
}

impl BuildingPlan {
    pub const MAX_ENTRANCES: u32 = 40;
    pub const MAX_FLOORS: u32 = 100;
    pub const MAX_UNITS_PER_FLOOR: u32 = 40;
    pub const MAX_UNITS: u32 = 10_000;
    pub const MAX_PARKING: u32 = 2_000;

    /// Checks the plan and lays out its grid. Errors name the field: `entrances`, `floors`,
    /// `units_per_floor`, `commercial_per_entrance`, `parking_spaces`, `first_number`,
    /// `year_built`, `name`, or an address part.
    pub fn generate(&self) -> Result<(Address, Vec<PlannedEntrance>), AppError> {
        let range = |field: &'static str, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(AppError::validation(field, Invalid::Range))
            }
        };
        let address = Address::parse(&self.address)?;
        if self.name.trim().chars().count() > 200 {
            return Err(AppError::validation("name", Invalid::TooLong));
        }
        let entrances = range("entrances", self.entrances, 1, Self::MAX_ENTRANCES)?;
        let floors = range("floors", self.floors, 1, Self::MAX_FLOORS)?;
        let per_floor = range(
            "units_per_floor",
            self.units_per_floor,
            1,
            Self::MAX_UNITS_PER_FLOOR,
        )?;
        let commercial = range(
            "commercial_per_entrance",
            self.commercial_per_entrance,
            0,
            Self::MAX_UNITS_PER_FLOOR,
        )?;
        let parking = range("parking_spaces", self.parking_spaces, 0, Self::MAX_PARKING)?;
        let first = range("first_number", self.first_number, 1, 100_000)?;
        if let Some(y) = self.year_built
            && !(1700..=2100).contains(&y)
        {
            return Err(AppError::validation("year_built", Invalid::Range));
        }
        if commercial > 0 && floors < 2 {
            return Err(AppError::validation(
                "commercial_per_entrance",
                Invalid::Floors,
            ));
        }
        let first_flat_floor = if commercial > 0 { 2 } else { 1 };
        let flat_floors = floors + 1 - first_flat_floor;
        let total = u64::from(entrances)
            * (u64::from(flat_floors) * u64::from(per_floor) + u64::from(commercial))
            + u64::from(parking);
        if total > u64::from(Self::MAX_UNITS) {
            return Err(AppError::validation("units_per_floor", Invalid::TooMany));
        }
        let mut out = Vec::new();
        let mut next = first;
        let mut next_commercial = 1;
        for e in 1..=entrances {
            let mut units = Vec::new();
            for p in 1..=commercial {
                units.push(PlannedUnit {
                    floor: 1,
                    position: to_i32(p),
                    number: format!("Н{next_commercial}"),
                    kind: UnitKind::NonResidential,
                });
                next_commercial += 1;
            }
            for f in first_flat_floor..=floors {
                for p in 1..=per_floor {
                    let number = match self.numbering {
                        Numbering::Continuous => {
                            let n = next.to_string();
                            next += 1;
                            n
                        }
                        Numbering::ByFloor if e == 1 => format!("{}", f * 100 + p),
                        Numbering::ByFloor => format!("{e}-{}", f * 100 + p),
                    };
                    units.push(PlannedUnit {
                        floor: to_i32(f),
                        position: to_i32(p),
                        number,
                        kind: UnitKind::Apartment,
                    });
                }
            }
            out.push(PlannedEntrance {
                name: e.to_string(),
                kind: EntranceKind::Residential,
                floor_from: 1,
                floor_to: to_i32(floors),
                units,
            });
        }
        if parking > 0 {
            out.push(PlannedEntrance {
                name: "П".into(),
                kind: EntranceKind::Parking,
                floor_from: -1,
                floor_to: -1,
                units: (1..=parking)
                    .map(|p| PlannedUnit {
                        floor: -1,
                        position: to_i32(p),
                        number: format!("М{p}"),
                        kind: UnitKind::Parking,
                    })
                    .collect(),
            });
        }
        Ok((address, out))
    }

    /// The name to store: the one typed, or the street and house when left empty.
    pub fn display_name(&self, address: &Address) -> String {
        let n = self.name.trim();
        if n.is_empty() {
            let house = strip_words(&address.house, HOUSE_WORDS);
            format!("{}, {house}", address.street)
        } else {
            n.to_owned()
        }
    }
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// An area typed as "45,6", "45.60" or "45 м²", in hundredths of a square metre.
pub fn parse_area(raw: &str) -> Result<Option<i64>, AppError> {
    let err = || AppError::validation("area", Invalid::Format);
    let s: String = raw
        .trim()
        .trim_end_matches("м²")
        .trim_end_matches("м2")
        .trim_end_matches("кв.м")
        .trim()
        .replace(',', ".");
    if s.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || whole.len() > 6
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err());
    }
    let whole: i64 = whole.parse().map_err(|_| err())?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| err())? * 10,
        _ => frac.parse().map_err(|_| err())?,
    };
    let v = whole * 100 + frac;
    if v == 0 {
        return Err(AppError::validation("area", Invalid::Range));
    }
    Ok(Some(v))
}

/// Hundredths of a square metre as Russian text: 4560 → "45,6".
pub fn format_area(dm2: i64) -> String {
    let whole = dm2 / 100;
    let frac = dm2 % 100;
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole},{}", f / 10),
        f => format!("{whole},{f:02}"),
    }
}

/// A unit number as typed: 1–20 letters, digits, "-" or "/", no spaces around.
pub fn parse_unit_number(raw: &str) -> Result<String, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(AppError::validation("number", Invalid::Required));
    }
    if s.chars().count() > 20
        || !s
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '/')
    {
        return Err(AppError::validation("number", Invalid::Format));
    }
    Ok(s.to_owned())
}

/// A personal account number (лицевой счёт): up to 30 letters, digits or "-"; empty for none.
pub fn parse_account(raw: &str) -> Result<Option<String>, AppError> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > 30 || !s.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return Err(AppError::validation("account", Invalid::Format));
    }
    Ok(Some(s))
}

/// An edit of one unit in the grid editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitUpdate {
    pub id: UnitId,
    pub number: String,
    pub kind: UnitKind,
    /// As typed ("45,6"); empty for unknown.
    pub area: String,
    /// As typed; empty for none.
    pub account: String,
}

/// A checked [`UnitUpdate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUnit {
    pub number: String,
    pub kind: UnitKind,
    pub area_dm2: Option<i64>,
    pub account: Option<String>,
}

impl UnitUpdate {
    pub fn check(&self) -> Result<CheckedUnit, AppError> {
        Ok(CheckedUnit {
            number: parse_unit_number(&self.number)?,
            kind: self.kind,
            area_dm2: parse_area(&self.area)?,
            account: parse_account(&self.account)?,
        })
    }
}

/// A floor added on top of an entrance, with `units` new flats numbered after the building's
/// highest flat number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloorAdd {
    pub entrance_id: i64,
    pub units: u32,
}

/// A unit split in two on its floor: it keeps its id; the new unit gets `new_number` and the
/// next place on the floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSplit {
    pub id: UnitId,
    pub new_number: String,
}

/// Two neighbouring units on one floor merged: `id` stays (with the summed area), `with` goes.
/// Refused while anyone is linked to or invited into `with`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitMerge {
    pub id: UnitId,
    pub with: UnitId,
}

/// The next free flat number after the numeric numbers already used ("12а" and "Н1" are skipped).
pub fn next_flat_number<'a>(numbers: impl IntoIterator<Item = &'a str>) -> u32 {
    numbers
        .into_iter()
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .map_or(1, |m| m.saturating_add(1))
}

/// A building in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingSummary {
    pub id: BuildingId,
    pub name: String,
    pub address: String,
    pub year_built: Option<i32>,
    /// Residential entrances (parking and non-residential blocks are not counted).
    pub entrances: i64,
    pub floors: i64,
    pub units: i64,
    pub residents: i64,
}

/// An entrance as the grid shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridEntrance {
    pub id: i64,
    pub name: String,
    pub kind: EntranceKind,
    pub floor_from: i32,
    pub floor_to: i32,
}

/// A unit as the grid shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridUnit {
    pub id: UnitId,
    pub entrance_id: i64,
    pub floor: i32,
    pub position: i32,
    pub number: String,
    pub kind: UnitKind,
    pub area_dm2: Option<i64>,
    pub account: Option<String>,
    /// Resident accounts linked (active).
    pub residents: i64,
    /// Claims waiting for staff.
    pub pending: i64,
    /// Current owners in the people registry.
    #[serde(default)]
    pub owners: i64,
    /// Current tenants in the people registry.
    #[serde(default)]
    pub tenants: i64,
    /// Arrears in kopecks (negative: prepaid) as last imported from accounting, and the date.
    #[serde(default)]
    pub arrears: Option<(i64, chrono::NaiveDate)>,
}

/// The unit page (`/staff/units/:id`): the unit and where it is (its history is the history
/// module's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDetails {
    pub unit: GridUnit,
    pub building_id: BuildingId,
    pub building_name: String,
    pub address: String,
    pub entrance: GridEntrance,
    /// The units left and right of this one on its floor (merge candidates).
    pub neighbours: Vec<GridUnit>,
    /// Whether the caller may edit the unit (`buildings.manage` reaching the building).
    pub can_edit: bool,
    /// Whether the caller sees the registry's people of the unit (`people.view`).
    pub can_see_people: bool,
    /// The arrears as last imported, with where they came from.
    pub balance: Option<UnitBalance>,
}

/// A unit's imported balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitBalance {
    /// Kopecks; negative is a prepayment.
    pub amount: i64,
    pub as_of: chrono::NaiveDate,
    /// The import that set it and its source (accounting system), when still known.
    pub job: Option<i64>,
    pub source: Option<String>,
}

/// A building with its whole grid (the шахматка).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingGrid {
    pub id: BuildingId,
    pub name: String,
    pub address: String,
    pub year_built: Option<i32>,
    pub entrances: Vec<GridEntrance>,
    pub units: Vec<GridUnit>,
    /// Whether the caller may edit units here.
    pub can_edit: bool,
}

impl BuildingGrid {
    /// Floors from the top down, as the grid's rows.
    pub fn floors_desc(&self) -> Vec<i32> {
        let mut floors: Vec<i32> = self
            .entrances
            .iter()
            .flat_map(|e| e.floor_from..=e.floor_to)
            .chain(self.units.iter().map(|u| u.floor))
            .collect();
        floors.sort_unstable_by(|a, b| b.cmp(a));
        floors.dedup();
        floors
    }
}

/// A work area: a named set of buildings (routing, access scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkArea {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub buildings: Vec<(BuildingId, String)>,
}

/// A work area to create or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkAreaUpdate {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub buildings: Vec<BuildingId>,
}

/// What a building scope target may be: a building or a work area, with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeTargets {
    pub buildings: Vec<(i64, String)>,
    pub work_areas: Vec<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn addr(city: &str, street: &str, house: &str, block: &str) -> AddressInput {
        AddressInput {
            region: "Московская обл.".into(),
            city: city.into(),
            street: street.into(),
            house: house.into(),
            block: block.into(),
        }
    }

    #[test]
    fn address_forms_normalise_alike() {
        let a = Address::parse(&addr("Москва", "улица Ленина", "д. 5", "корп. 2")).expect("ok");
        for (c, s, h, b) in [
            ("г. Москва", "ул. Ленина", "5", "2"),
            ("МОСКВА", "Ленина ул", "дом 5", "к 2"),
            ("  москва ", "ул.  ленина", "Д.5", "корпус 2"),
        ] {
            let other = Address::parse(&addr(c, s, h, b)).expect("ok");
            assert_eq!(a.normalized, other.normalized, "{c} / {s} / {h} / {b}");
        }
        let other = Address::parse(&addr("Москва", "проспект Ленина", "5", "2")).expect("ok");
        assert_ne!(a.normalized, other.normalized, "a street type matters");
        assert_eq!(a.display(), "Москва, улица Ленина, д. 5, корп. 2");
    }

    #[test]
    fn address_needs_city_street_house() {
        for (field, input) in [
            ("city", addr("", "Ленина", "5", "")),
            ("street", addr("Москва", " ", "5", "")),
            ("house", addr("Москва", "Ленина", "", "")),
        ] {
            match Address::parse(&input) {
                Err(AppError::Validation { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn continuous_numbering_runs_through_entrances() {
        let plan = BuildingPlan {
            address: addr("Москва", "Ленина", "5", ""),
            entrances: 2,
            floors: 3,
            units_per_floor: 4,
            ..BuildingPlan::default()
        };
        let (_, grid) = plan.generate().expect("valid plan");
        assert_eq!(grid.len(), 2);
        assert_eq!(grid[0].units.len(), 12);
        assert_eq!(grid[0].units[0].number, "1");
        assert_eq!(grid[0].units[11].number, "12");
        assert_eq!(grid[1].units[0].number, "13");
        assert_eq!((grid[1].units[0].floor, grid[1].units[0].position), (1, 1));
        assert_eq!(grid[1].units[23 - 12].number, "24");
    }

    #[test]
    fn big_building_has_1200_units_with_unique_numbers() {
        let plan = BuildingPlan {
            address: addr("Москва", "Ленина", "5", ""),
            entrances: 6,
            floors: 25,
            units_per_floor: 8,
            ..BuildingPlan::default()
        };
        let (_, grid) = plan.generate().expect("valid plan");
        let numbers: std::collections::HashSet<_> = grid
            .iter()
            .flat_map(|e| e.units.iter().map(|u| u.number.clone()))
            .collect();
        assert_eq!(numbers.len(), 1200);
    }

    #[test]
    fn commercial_ground_floor_and_parking() {
        let plan = BuildingPlan {
            address: addr("Москва", "Ленина", "5", ""),
            entrances: 2,
            floors: 5,
            units_per_floor: 2,
            commercial_per_entrance: 3,
            parking_spaces: 10,
            numbering: Numbering::ByFloor,
            ..BuildingPlan::default()
        };
        let (_, grid) = plan.generate().expect("valid plan");
        let first = &grid[0];
        assert_eq!(first.units[0].number, "Н1");
        assert_eq!(first.units[0].kind, UnitKind::NonResidential);
        assert_eq!(first.units[3].number, "201", "flats start on floor 2");
        assert_eq!(grid[1].units[0].number, "Н4");
        assert_eq!(grid[1].units[3].number, "2-201");
        let parking = &grid[2];
        assert_eq!(parking.kind, EntranceKind::Parking);
        assert_eq!(parking.units.len(), 10);
        assert!(parking.units.iter().all(|u| u.floor == -1));
    }

    #[test]
    fn plan_limits_name_their_field() {
        let base = BuildingPlan {
            address: addr("Москва", "Ленина", "5", ""),
            ..BuildingPlan::default()
        };
        for (field, plan) in [
            (
                "entrances",
                BuildingPlan {
                    entrances: 0,
                    ..base.clone()
                },
            ),
            (
                "floors",
                BuildingPlan {
                    floors: 101,
                    ..base.clone()
                },
            ),
            (
                "units_per_floor",
                BuildingPlan {
                    entrances: 40,
                    floors: 100,
                    units_per_floor: 40,
                    ..base.clone()
                },
            ),
            (
                "year_built",
                BuildingPlan {
                    year_built: Some(3000),
                    ..base.clone()
                },
            ),
            (
                "commercial_per_entrance",
                BuildingPlan {
                    floors: 1,
                    commercial_per_entrance: 2,
                    ..base.clone()
                },
            ),
        ] {
            match plan.generate() {
                Err(AppError::Validation { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn new_flats_continue_the_numbering() {
        assert_eq!(next_flat_number(["1", "2", "12а", "Н1", "40"]), 41);
        assert_eq!(next_flat_number(["Н1", "М2"]), 1);
        assert_eq!(next_flat_number([]), 1);
    }

    #[test]
    fn areas_parse_and_format() {
        for (raw, want) in [
            ("45,6", Some(4560)),
            ("45.60", Some(4560)),
            ("45.05 м²", Some(4505)),
            ("120", Some(12000)),
            ("", None),
        ] {
            assert_eq!(parse_area(raw).expect(raw), want, "{raw}");
        }
        for bad in ["abc", "1.234", "-5", "0", "1 000"] {
            assert!(parse_area(bad).is_err(), "{bad}");
        }
        assert_eq!(format_area(4560), "45,6");
        assert_eq!(format_area(4505), "45,05");
        assert_eq!(format_area(12000), "120");
    }

    #[test]
    fn unit_numbers_and_accounts() {
        assert_eq!(parse_unit_number(" 12а ").expect("ok"), "12а");
        assert_eq!(parse_unit_number("2-501").expect("ok"), "2-501");
        assert!(parse_unit_number("").is_err());
        assert!(parse_unit_number("12 a").is_err());
        assert_eq!(
            parse_account(" 1234 5678 ").expect("ok"),
            Some("12345678".into())
        );
        assert_eq!(parse_account("").expect("ok"), None);
        assert!(parse_account("12;DROP").is_err());
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.contains('ё'));
            prop_assert!(!once.contains("  "));
        }

        #[test]
        fn address_parse_never_panics(c in "\\PC{0,30}", s in "\\PC{0,30}", h in "\\PC{0,10}", b in "\\PC{0,10}") {
            let _ = Address::parse(&addr(&c, &s, &h, &b));
        }

        #[test]
        fn area_round_trips(v in 1i64..100_000_000) {
            prop_assert_eq!(parse_area(&format_area(v)).expect("formatted area parses"), Some(v));
        }

        #[test]
        fn generated_numbers_are_unique(e in 1u32..6, f in 1u32..30, p in 1u32..10, c in 0u32..4, by_floor in any::<bool>()) {
            let plan = BuildingPlan {
                address: addr("Москва", "Ленина", "5", ""),
                entrances: e, floors: f.max(2), units_per_floor: p, commercial_per_entrance: c,
                numbering: if by_floor { Numbering::ByFloor } else { Numbering::Continuous },
                ..BuildingPlan::default()
            };
            let (_, grid) = plan.generate().expect("valid plan");
            let all: Vec<_> = grid.iter().flat_map(|e| e.units.iter()).collect();
            let numbers: std::collections::HashSet<_> = all.iter().map(|u| u.number.as_str()).collect();
            prop_assert_eq!(numbers.len(), all.len());
            prop_assert!(all.iter().all(|u| parse_unit_number(&u.number).is_ok()));
        }
    }
}
