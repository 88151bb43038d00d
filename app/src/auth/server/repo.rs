//! SQL for accounts.

use crate::AppError;
use crate::Invalid;
use crate::auth::model::{Login, NewPassword};
use crate::db::Db;
use crate::on_tx;

/// Creates a platform administrator (belongs to no company; manages the whole installation).
/// A login that exists already is a `Validation` error on `login`.
pub async fn create_platform_admin(
    db: &Db,
    login: &Login,
    name: &str,
    password: &NewPassword,
) -> Result<i64, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::validation("name", Invalid::Required));
    }
    let hash = crate::access::server::password::hash(password.expose().to_owned()).await?;
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    let res: Result<i64, sqlx::Error> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "INSERT INTO users (company_id, kind, login, display_name, password_hash, is_platform_admin, is_active, created_at, updated_at) \
         VALUES (NULL, 'staff', $1, $2, $3, TRUE, TRUE, $4, $4) RETURNING id")
        .bind(login.as_str()).bind(name).bind(&hash).bind(now)
        .fetch_one(conn).await);
    match res {
        Ok(id) => {
            tx.commit().await?;
            Ok(id)
        }
        Err(e) if crate::db::is_unique_violation(&e, "users_login_key", "users.login") => {
            Err(AppError::validation("login", Invalid::Taken))
        }
        Err(e) => Err(e.into()),
    }
}
