//! Password hashing with argon2id (19 MiB, t=2, p=1: the OWASP baseline), off the async threads
//! and at most one hash per CPU core at a time: a burst of sign-ins queues here instead of
//! allocating 19 MiB per request on hundreds of blocking threads. A sign-in waits at most a few
//! seconds for a slot and is then asked to retry (429); slow hashes are logged.

use crate::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Permits for concurrent hashes: one per available core.
fn slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
        )
    })
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string on a blocking thread.
pub async fn hash(password: String) -> Result<String, AppError> {
    let _permit = slot().await?;
    let started = std::time::Instant::now();
    let result = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })
    })
    .await
    .map_err(|_| AppError::Internal)?;
    slow_hash(started);
    result
}

/// Checks a password against a stored PHC string on a blocking thread. `Err` (429) when no
/// hashing slot came free in time.
pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    let _permit = slot().await?;
    let started = std::time::Instant::now();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc).is_ok_and(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false);
    slow_hash(started);
    Ok(ok)
}

/// How long a sign-in waits for a hashing slot: the slots bound memory under a burst, and a
/// sign-in that cannot get one in time is answered "try again" (429) instead of hanging.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A hashing slot, or `TooManyRequests` after [`SLOT_WAIT`] (logged: the hashes are far slower
/// than they should be, or a slot was never given back).
async fn slot() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    match tokio::time::timeout(SLOT_WAIT, slots().acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(_)) => Err(AppError::Internal),
        Err(_) => {
            tracing::error!(
                waited_secs = SLOT_WAIT.as_secs(),
                "no password-hashing slot came free in time; the sign-in is asked to retry"
            );
            Err(AppError::TooManyRequests(SLOT_WAIT.as_secs()))
        }
    }
}

/// Logs a hash that took over a second (about 50 ms is normal): a starved CPU shows here first.
fn slow_hash(started: std::time::Instant) {
    let took = started.elapsed();
    if took > std::time::Duration::from_secs(1) {
        tracing::warn!(millis = took.as_millis(), "password hashing was slow");
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_and_carry_the_parameters() {
        let phc = super::hash("correct horse battery".into())
            .await
            .expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            super::verify("correct horse battery".into(), phc.clone())
                .await
                .expect("slot")
        );
        assert!(
            !super::verify("wrong horse battery".into(), phc)
                .await
                .expect("slot")
        );
        assert!(
            !super::verify("x".into(), "not a hash".into())
                .await
                .expect("slot")
        );
    }
}
