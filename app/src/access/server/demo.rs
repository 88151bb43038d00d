//! Demo accounts: default roles in every company, and a person for every role in the demo УК,
//! an administrator in the second УК (to show isolation) and technicians of the two contractors.
//! All demo accounts share the password [`DEMO_PASSWORD`]; `./dev run` prints the logins.

use super::repo::{self, NewStaff};
use crate::AppError;
use crate::access::Scope;
use crate::access::roles::default_role;
use crate::db::Tx;
use crate::fake::{DemoRng, names};
use crate::on_tx;

/// The password of every demo account (demo installations only).
pub const DEMO_PASSWORD: &str = "demo-platforma";

/// The platform operator's demo login (a platform administrator: sees every company).
pub const DEMO_OPERATOR: &str = "operator";

/// `(login, role code, company short name)` of the demo accounts.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("admin", "administrator", "УК «Северный квартал»"),
    ("dispatcher", "dispatcher", "УК «Северный квартал»"),
    ("manager", "object_manager", "УК «Северный квартал»"),
    ("service", "customer_service", "УК «Северный квартал»"),
    ("technician", "technician", "УК «Северный квартал»"),
    ("concierge", "concierge", "УК «Северный квартал»"),
    ("guard", "guard", "УК «Северный квартал»"),
    ("marketer", "marketer", "УК «Северный квартал»"),
    ("hq", "hq_client_service", "УК «Северный квартал»"),
    ("admin2", "administrator", "УК «Речной берег»"),
    ("lift", "technician", "ООО «ЛифтТехСервис»"),
    ("clean", "technician", "ООО «ЧистоГрад»"),
];

/// `(phone, company short name)` of the demo residents: they sign in on `/cabinet/login` with a
/// one-time code (shown in the server log) or with [`DEMO_PASSWORD`].
pub const DEMO_RESIDENTS: &[(&str, &str)] = &[
    ("+79000000001", "УК «Северный квартал»"),
    ("+79000000002", "УК «Речной берег»"),
];

/// The demo hierarchy of positions: `(name, parent)`, parents first.
const DEMO_POSITIONS: &[(&str, Option<&str>)] = &[
    ("Директор", None),
    ("Главный инженер", Some("Директор")),
    ("Руководитель клиентской службы", Some("Директор")),
    ("Начальник диспетчерской службы", Some("Главный инженер")),
    ("Диспетчер", Some("Начальник диспетчерской службы")),
    ("Техник", Some("Главный инженер")),
    (
        "Управляющий объектом",
        Some("Руководитель клиентской службы"),
    ),
    (
        "Менеджер клиентской службы",
        Some("Руководитель клиентской службы"),
    ),
    ("Консьерж", Some("Управляющий объектом")),
    ("Охранник", Some("Управляющий объектом")),
];

/// Which demo login holds which position.
const DEMO_POSITION_HOLDERS: &[(&str, &str)] = &[
    ("admin", "Директор"),
    ("dispatcher", "Диспетчер"),
    ("manager", "Управляющий объектом"),
    ("service", "Менеджер клиентской службы"),
    ("technician", "Техник"),
    ("concierge", "Консьерж"),
    ("guard", "Охранник"),
    ("admin2", "Директор"),
];

/// Positions in every management company, and the demo staff placed in them.
async fn seed_positions(tx: &mut Tx, companies: &[(i64, String)]) -> Result<(), AppError> {
    let now = chrono::Utc::now();
    for (company_id, _) in companies {
        let kind: String = on_tx!(tx, conn => sqlx::query_scalar("SELECT kind FROM companies WHERE id = $1")
            .bind(company_id).fetch_one(&mut *conn).await)?;
        if kind != "management" {
            continue;
        }
        let mut ids = std::collections::HashMap::new();
        for (name, parent) in DEMO_POSITIONS {
            let parent_id = parent.and_then(|p| ids.get(p).copied());
            let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                "INSERT INTO positions (company_id, name, parent_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(company_id).bind(name).bind(parent_id).bind(now).fetch_one(&mut *conn).await)?;
            ids.insert(*name, id);
        }
        for (login, position) in DEMO_POSITION_HOLDERS {
            on_tx!(tx, conn => sqlx::query("UPDATE users SET position_id = $1 WHERE login = $2 AND company_id = $3")
                .bind(ids[position]).bind(login).bind(company_id).execute(&mut *conn).await.map(|_| ()))?;
        }
    }
    Ok(())
}

/// Writes the demo roles and accounts.
pub async fn seed(tx: &mut Tx, rng: &mut DemoRng) -> Result<String, AppError> {
    let companies: Vec<(i64, String)> = on_tx!(tx, conn => sqlx::query_as("SELECT id, short_name FROM companies ORDER BY id")
        .fetch_all(&mut *conn).await)?;
    let mut roles_by_company = std::collections::HashMap::new();
    for (id, _) in &companies {
        roles_by_company.insert(*id, repo::seed_default_roles(tx, *id).await?);
    }
    // One hash for all demo accounts: argon2 is deliberately slow, and they share a password.
    let hash = crate::access::server::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut dispatch_group = None;
    for (login, role, company) in DEMO_ACCOUNTS {
        let Some((company_id, _)) = companies.iter().find(|(_, n)| n == company) else {
            tracing::error!(company, "demo company is missing");
            return Err(AppError::Conflict(crate::Conflict::DemoIncomplete));
        };
        let name = names::full_name(rng).full();
        let user_id = repo::insert_staff(
            tx,
            &NewStaff {
                company_id: *company_id,
                login,
                display_name: &name,
                password_hash: &hash,
            },
        )
        .await?;
        let role_id = roles_by_company[company_id][role];
        let scope = default_role(role).map_or(Scope::Company, |r| r.scope);
        if *role == "dispatcher" {
            // Dispatchers get their role through the "Диспетчерская служба" department.
            let group = if let Some(g) = dispatch_group {
                g
            } else {
                let g = repo::create_group_with_role(
                    tx,
                    *company_id,
                    "Диспетчерская служба",
                    role_id,
                    Scope::Company,
                )
                .await?;
                dispatch_group = Some(g);
                g
            };
            repo::add_to_group(tx, group, user_id).await?;
        } else {
            repo::grant_to_user(tx, *company_id, role_id, user_id, scope).await?;
        }
    }
    seed_positions(tx, &companies).await?;
    for (phone, company) in DEMO_RESIDENTS {
        let Some((company_id, _)) = companies.iter().find(|(_, n)| n == company) else {
            tracing::error!(company, "demo company is missing");
            return Err(AppError::Conflict(crate::Conflict::DemoIncomplete));
        };
        let phone = crate::values::Phone::parse(phone)?;
        let name = names::full_name(rng).full();
        let user_id = repo::insert_resident(
            tx,
            &repo::NewResident {
                phone: &phone,
                display_name: &name,
                password_hash: Some(&hash),
            },
        )
        .await?;
        let role_id = roles_by_company[company_id]["resident"];
        repo::grant_to_user(tx, *company_id, role_id, user_id, Scope::OwnUnits).await?;
    }
    let now = chrono::Utc::now();
    let operator = names::full_name(rng).full();
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO users (company_id, kind, login, display_name, password_hash, is_platform_admin, created_at, updated_at) \
         VALUES (NULL, 'staff', $1, $2, $3, TRUE, $4, $4)")
        .bind(DEMO_OPERATOR).bind(&operator).bind(&hash).bind(now).execute(conn).await.map(|_| ()))?;
    Ok(format!(
        "{} companies with default roles, {} staff accounts, {} residents",
        companies.len(),
        DEMO_ACCOUNTS.len() + 1,
        DEMO_RESIDENTS.len()
    ))
}
