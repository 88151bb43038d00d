//! Demo phonebook: emergency and utility services, contractors, the district police officer and
//! staff on duty of both demo companies, some serving particular buildings or work areas.

use crate::AppError;
use crate::db::Tx;
use crate::fake::DemoRng;
use crate::on_tx;
use chrono::Utc;

/// (company, category, name, organisation, title, phones, e-mail, note, building or work area)
type DemoEntry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    Option<&'static str>,
);

const NORTH: &str = "УК «Северный квартал»";
const RIVER: &str = "УК «Речной берег»";

const ENTRIES: &[DemoEntry] = &[
    (
        NORTH,
        "emergency",
        "Единая служба спасения",
        "",
        "",
        &["112"],
        "",
        "С мобильного и городского.",
        None,
    ),
    (
        NORTH,
        "emergency",
        "Аварийная газовая служба",
        "АО «Мосгаз»",
        "",
        &["104", "+74956810404"],
        "",
        "Запах газа — сразу, не дожидаясь заявки.",
        None,
    ),
    (
        NORTH,
        "emergency",
        "Аварийная служба лифтов",
        "ООО «ЛифтТехСервис»",
        "Диспетчер",
        &["+74952223344"],
        "avaria@lifttech.ru",
        "Круглосуточно. Застревание — выезд до 30 минут.",
        Some("ЖК «Северный квартал», корпус 1"),
    ),
    (
        NORTH,
        "utility",
        "Мосводоканал, аварийная",
        "АО «Мосводоканал»",
        "",
        &["+74956572161"],
        "",
        "",
        None,
    ),
    (
        NORTH,
        "utility",
        "МОЭК, горячее водоснабжение и отопление",
        "ПАО «МОЭК»",
        "",
        &["+74956625050"],
        "",
        "",
        None,
    ),
    (
        NORTH,
        "utility",
        "Мосэнергосбыт",
        "АО «Мосэнергосбыт»",
        "Контакт-центр",
        &["+74959811981"],
        "",
        "",
        None,
    ),
    (
        NORTH,
        "contractor",
        "Клининг",
        "ООО «ЧистоГрад»",
        "Бригадир Орехова Наталья",
        &["+79261234500"],
        "clean@chistograd.ru",
        "Уборка подъездов по графику пн/чт.",
        Some("Старый фонд"),
    ),
    (
        NORTH,
        "contractor",
        "Домофоны и шлагбаумы",
        "ООО «Ключ-Сервис»",
        "Мастер Алексей",
        &["+79037778899", "+74951112233"],
        "",
        "",
        None,
    ),
    (
        NORTH,
        "contractor",
        "Вывоз мусора и КГМ",
        "ООО «ЭкоЛайн»",
        "",
        &["+74957654321"],
        "",
        "КГМ по заявке за сутки.",
        None,
    ),
    (
        NORTH,
        "government",
        "Участковый уполномоченный",
        "ОМВД по району Северный",
        "Капитан Зуев Антон",
        &["+74954880202"],
        "",
        "Приём: вт 18–20, чт 10–12.",
        Some("Лесная, 12"),
    ),
    (
        NORTH,
        "government",
        "Управа района",
        "Управа района Северный",
        "Приёмная",
        &["+74954881010"],
        "uprava-sev@mos.ru",
        "",
        None,
    ),
    (
        NORTH,
        "staff",
        "Дежурный инженер",
        "УК «Северный квартал»",
        "Смена 08:00–20:00",
        &["+79161110001"],
        "",
        "Ночью — через диспетчерскую.",
        None,
    ),
    (
        NORTH,
        "staff",
        "Диспетчерская",
        "УК «Северный квартал»",
        "Круглосуточно",
        &["+74951234567"],
        "ads@sev-kvartal.ru",
        "",
        None,
    ),
    (
        RIVER,
        "emergency",
        "Единая служба спасения",
        "",
        "",
        &["112"],
        "",
        "",
        None,
    ),
    (
        RIVER,
        "utility",
        "Химкинский водоканал",
        "МУП «Химкинский водоканал»",
        "Аварийная",
        &["+74955721515"],
        "",
        "",
        None,
    ),
    (
        RIVER,
        "contractor",
        "Лифты",
        "ООО «ЛифтТехСервис»",
        "Диспетчер",
        &["+74952223344"],
        "",
        "",
        Some("Набережная, 7"),
    ),
];

/// Writes the demo phonebook.
pub async fn seed(tx: &mut Tx, _rng: &mut DemoRng) -> Result<String, AppError> {
    let now = Utc::now();
    for (company, category, name, org, title, phones, email, note, place) in ENTRIES {
        let company_id: i64 = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM companies WHERE short_name = $1")
            .bind(company).fetch_one(conn).await)?;
        let search = crate::values::fold(&format!("{name} {org} {title}"));
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO phonebook_entries (company_id, category, name, organization, title, email, note, search_name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
            .bind(company_id).bind(category).bind(name).bind(org).bind(title).bind(email).bind(note).bind(&search).bind(now)
            .fetch_one(conn).await)?;
        for (i, phone) in phones.iter().enumerate() {
            on_tx!(tx, conn => sqlx::query("INSERT INTO phonebook_phones (entry_id, phone, label, position) VALUES ($1, $2, '', $3)")
                .bind(id).bind(phone).bind(i32::try_from(i).unwrap_or(0)).execute(conn).await.map(|_| ()))?;
        }
        if let Some(place) = place {
            let building: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM buildings WHERE name = $1 AND company_id = $2")
                .bind(place).bind(company_id).fetch_optional(conn).await)?;
            let area: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM work_areas WHERE name = $1 AND company_id = $2")
                .bind(place).bind(company_id).fetch_optional(conn).await)?;
            on_tx!(tx, conn => sqlx::query("INSERT INTO phonebook_places (entry_id, building_id, work_area_id) VALUES ($1, $2, $3)")
                .bind(id).bind(building).bind(area).execute(conn).await.map(|_| ()))?;
        }
    }
    Ok(format!("{} phonebook entries", ENTRIES.len()))
}
