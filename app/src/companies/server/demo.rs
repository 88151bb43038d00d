//! Demo companies: the management company the demo runs, a second one (to show isolation),
//! and the contractors and service providers they work with.

use crate::AppError;
use crate::companies::model::{CompanyKind, Inn, NewCompany};
use crate::db::Tx;
use crate::fake::DemoRng;

struct Template {
    kind: CompanyKind,
    legal_form: &'static str,
    brand: &'static str,
    short_prefix: &'static str,
    street: &'static str,
}

const COMPANIES: &[Template] = &[
    Template {
        kind: CompanyKind::Management,
        legal_form: "Общество с ограниченной ответственностью",
        brand: "Северный квартал",
        short_prefix: "УК",
        street: "ул. Дыбенко, д. 7, корп. 1",
    },
    Template {
        kind: CompanyKind::Management,
        legal_form: "Общество с ограниченной ответственностью",
        brand: "Речной берег",
        short_prefix: "УК",
        street: "Ленинградское ш., д. 112, стр. 3",
    },
    Template {
        kind: CompanyKind::Contractor,
        legal_form: "Общество с ограниченной ответственностью",
        brand: "ЛифтТехСервис",
        short_prefix: "ООО",
        street: "ул. Клинская, д. 14",
    },
    Template {
        kind: CompanyKind::Contractor,
        legal_form: "Общество с ограниченной ответственностью",
        brand: "ЧистоГрад",
        short_prefix: "ООО",
        street: "Фестивальная ул., д. 29",
    },
    Template {
        kind: CompanyKind::ServiceProvider,
        legal_form: "Акционерное общество",
        brand: "Домофон-Сервис",
        short_prefix: "АО",
        street: "Флотская ул., д. 5А",
    },
];

/// Writes the demo companies.
pub async fn seed(tx: &mut Tx, rng: &mut DemoRng) -> Result<String, AppError> {
    for t in COMPANIES {
        // Moscow tax offices have codes 77xx; the rest of the INN is drawn from the demo stream.
        let mut nine = rng.digits::<9>();
        nine[0] = 7;
        nine[1] = 7;
        let slug: String = t
            .brand
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let company = NewCompany::parse(NewCompany {
            kind: t.kind,
            name: format!("{} «{}»", t.legal_form, t.brand),
            short_name: format!("{} «{}»", t.short_prefix, t.brand),
            inn: Inn::complete_org(nine),
            phone: Some(rng.moscow_phone()),
            email: Some(format!("info@{}.demo", translit(&slug))),
            address: Some(format!("г. Москва, {}", t.street)),
        })?;
        super::repo::insert(tx, &company).await?;
    }
    Ok(format!("{} companies", COMPANIES.len()))
}

/// Latin transliteration for demo e-mail domains.
fn translit(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sch",
            'ю' => "yu",
            'я' => "ya",
            _ => "",
        })
        .collect()
}
