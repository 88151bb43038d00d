//! Demo imports: each demo company's billing centre as an import source with its saved column
//! mapping (the headers of docs/import-sample.*), and the arrears of "Лесная, 12" and the
//! river company's buildings as the last accounting export gave them, so the шахматка's arrears
//! mode has something to show. No import job is invented: the import history starts empty.

use crate::AppError;
use crate::db::Tx;
use crate::fake::DemoRng;
use crate::on_tx;
use chrono::{Duration, Utc};

/// Folded header → field, as the sample files need it.
const MAPPING: &str = r#"{"лицевой счет":"account","подъезд":"entrance","этаж":"floor","кв":"unit","тип помещения":"unit_kind","площадь м2":"area","площадь м²":"area","фио собственника":"full_name","статус":"relation","доля в праве":"share","телефон":"phone","e-mail":"email","задолженность руб":"arrears"}"#;

pub async fn seed(tx: &mut Tx, rng: &mut DemoRng) -> Result<String, AppError> {
    let now = Utc::now();
    let companies: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT id FROM companies WHERE short_name IN ('УК «Северный квартал»', 'УК «Речной берег»') ORDER BY id")
        .fetch_all(conn).await)?;
    for c in &companies {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO import_sources (company_id, name, mapping, created_at, updated_at) VALUES ($1, 'Расчётный центр', $2, $3, $3) \
             ON CONFLICT (company_id, name) DO NOTHING")
            .bind(c).bind(MAPPING).bind(now).execute(conn).await.map(|_| ()))?;
    }
    let units: Vec<(i64, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT u.id, u.company_id FROM units u JOIN buildings b ON b.id = u.building_id \
         WHERE (b.name = 'Лесная, 12' OR b.company_id = (SELECT id FROM companies WHERE short_name = 'УК «Речной берег»')) \
           AND u.account IS NOT NULL ORDER BY u.id")
        .fetch_all(conn).await)?;
    let as_of = (now - Duration::days(3)).date_naive();
    let mut debts = 0;
    for (unit, company) in &units {
        let roll = rng.below(100);
        let rubles = match roll {
            0..=62 => 0,
            63..=72 => -i64::try_from(rng.range(300, 3_000)).unwrap_or(0),
            73..=91 => i64::try_from(rng.range(400, 9_900)).unwrap_or(0),
            _ => i64::try_from(rng.range(10_000, 95_000)).unwrap_or(0),
        };
        let kopecks =
            rubles * 100 + i64::try_from(rng.below(100)).unwrap_or(0) * i64::from(rubles != 0);
        if kopecks > 0 {
            debts += 1;
        }
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO unit_balances (unit_id, company_id, amount, as_of, job_id, updated_at) VALUES ($1, $2, $3, $4, NULL, $5)")
            .bind(unit).bind(company).bind(kopecks).bind(as_of).bind(now).execute(conn).await.map(|_| ()))?;
    }
    Ok(format!(
        "{} import sources, balances of {} units ({debts} with arrears)",
        companies.len(),
        units.len()
    ))
}
