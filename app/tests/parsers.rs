//! Every parser of outside input, fed generated text: the forms' `parse`/`check` functions (the
//! same code runs in the browser for instant feedback and on the server as the authority),
//! phones and plates, import rows and whole files. None may panic, and a refusal is always a
//! `Validation` a person can act on, never an internal error. Bounded: a few thousand cases per
//! parser, a few seconds in all (`PROPTEST_CASES` raises it for a longer hunt).

use app::AppError;
use proptest::prelude::*;

/// Text a person or an attacker might type: any characters, with a bias towards the ones parsers
/// care about (digits, separators, quotes, Cyrillic, control characters, lookalikes).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        ".{0,40}",
        proptest::collection::vec(
            prop_oneof![
                Just("0"),
                Just("7"),
                Just("9"),
                Just("+"),
                Just("-"),
                Just(" "),
                Just("("),
                Just(")"),
                Just("/"),
                Just(","),
                Just("."),
                Just(";"),
                Just("'"),
                Just("\""),
                Just("="),
                Just("@"),
                Just("ё"),
                Just("Ё"),
                Just("А"),
                Just("а"),
                Just("В"),
                Just("A"),
                Just("x"),
                Just("\t"),
                Just("\n"),
                Just("\r"),
                Just("\u{0}"),
                Just("\u{a0}"),
                Just("\u{feff}"),
                Just("\u{202e}"),
                Just("１"),
                Just("٣"),
                Just("%"),
                Just("\\"),
                Just("<"),
                Just(">"),
            ],
            0..30
        )
        .prop_map(|v| v.concat()),
    ]
}

/// A refusal must be something a person can act on.
fn acceptable<T>(
    what: &str,
    input: &dyn std::fmt::Debug,
    r: Result<T, AppError>,
) -> Result<(), TestCaseError> {
    match r {
        Ok(_) | Err(AppError::Validation { .. }) => Ok(()),
        Err(e) => Err(TestCaseError::fail(format!("{what}({input:?}) gave {e:?}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn single_value_parsers(s in text()) {
        use app::people::person::{Email, Share, parse_date, check_note};
        acceptable("Phone::parse", &s, app::values::Phone::parse(&s))?;
        acceptable("Plate::parse", &s, app::values::Plate::parse(&s))?;
        acceptable("Email::parse", &s, Email::parse(&s))?;
        acceptable("Share::parse", &s, Share::parse(&s))?;
        acceptable("parse_date", &s, parse_date("date", &s))?;
        acceptable("check_note", &s, check_note(&s))?;
        acceptable("Login::parse", &s, app::auth::model::Login::parse(&s))?;
        acceptable("NewPassword::parse", &s, app::auth::model::NewPassword::parse(&s))?;
        acceptable("CompanyQuery::parse", &s, app::companies::model::CompanyQuery::parse(&s))?;
        acceptable("Inn::parse", &s, app::companies::model::Inn::parse(&s))?;
        acceptable("parse_area", &s, app::buildings::model::parse_area(&s))?;
        acceptable("parse_unit_number", &s, app::buildings::model::parse_unit_number(&s))?;
        acceptable("parse_account", &s, app::buildings::model::parse_account(&s))?;
        acceptable("parse_name", &s, app::values::parse_name(&s))?;
        acceptable("parse_service_phone", &s, app::phonebook::model::parse_service_phone(&s))?;
    }

    #[test]
    fn people_forms(a in text(), b in text(), c in text(), d in text(), e in text()) {
        use app::people::person::{
            ConsentForm, ConsentKind, PersonForm, PersonKind, PhoneInput, UnitLinkForm, VehicleForm,
        };
        use app::residents::model::{NewClaim, NewInvitation};
        use app::values::Relation;
        for kind in [PersonKind::Person, PersonKind::Organization] {
            let form = PersonForm {
                kind,
                last_name: a.clone(),
                first_name: b.clone(),
                middle_name: c.clone(),
                organization: d.clone(),
                phones: vec![PhoneInput { phone: e.clone(), label: a.clone() }],
                emails: vec![b.clone(), e.clone()],
            };
            acceptable("PersonForm::check", &form, form.check())?;
        }
        for relation in [Relation::Owner, Relation::Tenant, Relation::Occupant] {
            let link = UnitLinkForm {
                unit_id: None,
                building_id: Some(app::buildings::model::BuildingId(1)),
                number: a.clone(),
                relation,
                share: b.clone(),
                valid_from: c.clone(),
                valid_to: d.clone(),
            };
            acceptable("UnitLinkForm::check", &link, link.check())?;
            let claim = NewClaim {
                building_id: app::buildings::model::BuildingId(1),
                number: a.clone(),
                relation,
                note: b.clone(),
            };
            acceptable("NewClaim::check", &claim, claim.check())?;
            let invitation = NewInvitation {
                unit_id: app::buildings::model::UnitId(1),
                phone: c.clone(),
                name: d.clone(),
                relation,
            };
            acceptable("NewInvitation::check", &invitation, invitation.check())?;
        }
        let vehicle = VehicleForm { plate: a.clone(), model: b.clone(), color: c.clone() };
        acceptable("VehicleForm::check", &vehicle, vehicle.check())?;
        let consent = ConsentForm { kind: ConsentKind::Mailings, given_on: d.clone(), source: e.clone() };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
        acceptable("ConsentForm::check", &consent, consent.check(today))?;
    }

    #[test]
    fn registry_and_admin_forms(a in text(), b in text(), c in text(), d in text(), e in text()) {
        use app::companies::model::{CompanyKind, CompanyUpdate};
        for kind in CompanyKind::ALL {
            let company = CompanyUpdate {
                id: None,
                kind,
                type_id: None,
                parent_id: None,
                name: a.clone(),
                short_name: b.clone(),
                inn: c.clone(),
                phone: d.clone(),
                email: e.clone(),
                address: a.clone(),
                holding_access: false,
                time_zone: b.clone(),
            };
            acceptable("CompanyUpdate::check", &company, company.check())?;
        }
        let entry = app::phonebook::model::EntryForm {
            id: None,
            category: app::phonebook::model::Category::Contractor,
            name: a.clone(),
            organization: b.clone(),
            title: c.clone(),
            phones: vec![app::people::person::PhoneInput { phone: d.clone(), label: e.clone() }],
            email: e.clone(),
            note: a.clone(),
            buildings: Vec::new(),
            work_areas: Vec::new(),
        };
        acceptable("EntryForm::check", &entry, entry.check())?;
        let address = app::buildings::model::AddressInput {
            region: a.clone(),
            city: b.clone(),
            street: c.clone(),
            house: d.clone(),
            block: e.clone(),
        };
        acceptable("Address::parse", &address, app::buildings::model::Address::parse(&address))?;
        let unit = app::buildings::model::UnitUpdate {
            id: app::buildings::model::UnitId(1),
            number: a.clone(),
            kind: app::buildings::model::UnitKind::Apartment,
            area: b.clone(),
            account: c.clone(),
        };
        acceptable("UnitUpdate::check", &unit, unit.check())?;
        let role = app::admin::model::RoleUpdate {
            id: 1,
            name: d.clone(),
            description: e.clone(),
            parent_id: None,
            permissions: Vec::new(),
        };
        acceptable("RoleUpdate::parse", &role, role.clone().parse())?;
    }

    /// An import row under any mapping of its columns.
    #[test]
    fn import_rows(cells in proptest::collection::vec(text(), 1..8), codes in proptest::collection::vec(0usize..20, 1..8)) {
        use app::imports::model::{ImportField, parse_row};
        let mapping: Vec<Option<ImportField>> = codes
            .iter()
            .take(cells.len())
            .map(|i| ImportField::ALL.get(*i).copied())
            .collect();
        // Any outcome but a panic: a row's problems are its own, in words.
        let _ = parse_row(&cells, &mapping);
    }

    /// CSV files of arbitrary cells, quotes and separators: read within the limits or refused
    /// with a reason, and every row as wide as the header.
    #[test]
    fn csv_files(rows in proptest::collection::vec(proptest::collection::vec(text(), 0..6), 0..20), sep in prop_oneof![Just(';'), Just(','), Just('\t')]) {
        use app::imports::model::{Encoding, FileKind};
        let body: String = rows
            .iter()
            .map(|r| r.join(&sep.to_string()))
            .collect::<Vec<_>>()
            .join("\n");
        match app::imports::server::read::read_table(body.as_bytes(), FileKind::Csv, Encoding::Auto) {
            Ok(t) => {
                prop_assert!(!t.rows.is_empty());
                prop_assert!(t.rows.iter().all(|(_, r)| r.len() == t.headers.len()));
            }
            Err(e) => acceptable("read_table", &body, Err::<(), _>(e))?,
        }
    }
}
