//! Sign-in throttling: failures are counted per account and per client IP in a sliding window;
//! past the limit the caller gets 429 with the seconds to wait. Nothing locks an account for good:
//! the window slides and old failures expire.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits (from `[security]` in Leptos.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    pub window: Duration,
    /// Failures allowed from one IP within the window (the next attempt gets 429).
    pub per_ip: usize,
    /// Failures allowed for one account within the window.
    pub per_account: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            window: Duration::from_mins(15),
            per_ip: 10,
            per_account: 5,
        }
    }
}

impl ThrottleConfig {
    /// Limits for sending sign-in codes: a phone gets at most 3 codes and an IP asks for at most
    /// 20 within 15 minutes.
    pub const CODE_SENDS: Self = Self {
        window: Duration::from_mins(15),
        per_ip: 20,
        per_account: 3,
    };
}

/// In-memory failure counters. One process serves an installation, so memory is the right place;
/// a restart forgives everyone, which is acceptable for a throttle (it is not an audit).
#[derive(Debug, Default)]
pub struct Throttle {
    cfg: ThrottleConfig,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    pub fn new(cfg: ThrottleConfig) -> Self {
        Self {
            cfg,
            failures: Mutex::default(),
        }
    }

    /// `Err(seconds)` when the IP or the account must wait before trying again.
    pub fn check(&self, ip: &str, account: &str) -> Result<(), u64> {
        self.check_at(ip, account, Instant::now())
    }

    fn check_at(&self, ip: &str, account: &str, now: Instant) -> Result<(), u64> {
        let Ok(mut map) = self.failures.lock() else {
            return Ok(());
        };
        let mut wait = 0u64;
        for (key, limit) in [
            (format!("ip:{ip}"), self.cfg.per_ip),
            (format!("acct:{account}"), self.cfg.per_account),
        ] {
            let entry = map.entry(key).or_default();
            entry.retain(|t| now.duration_since(*t) < self.cfg.window);
            if entry.len() >= limit
                && let Some(oldest) = entry.first()
            {
                let left = self.cfg.window.saturating_sub(now.duration_since(*oldest));
                wait = wait.max(left.as_secs().max(1));
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    /// Records a failed attempt.
    pub fn failed(&self, ip: &str, account: &str) {
        self.failed_at(ip, account, Instant::now());
    }

    fn failed_at(&self, ip: &str, account: &str, now: Instant) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        for key in [format!("ip:{ip}"), format!("acct:{account}")] {
            map.entry(key).or_default().push(now);
        }
        // Keep memory bounded under a spray of random accounts.
        if map.len() > 100_000 {
            map.retain(|_, v| {
                v.last()
                    .is_some_and(|t| now.duration_since(*t) < self.cfg.window)
            });
        }
    }

    /// Forgets an account's failures after a successful sign-in (the IP's count stays).
    pub fn succeeded(&self, account: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("acct:{account}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_failure_from_one_ip_waits() {
        let t = Throttle::new(ThrottleConfig {
            per_account: 100,
            ..ThrottleConfig::default()
        });
        let now = Instant::now();
        for i in 0..10 {
            assert!(
                t.check_at("1.2.3.4", &format!("user{i}"), now).is_ok(),
                "attempt {}",
                i + 1
            );
            t.failed_at("1.2.3.4", &format!("user{i}"), now);
        }
        let wait = t
            .check_at("1.2.3.4", "user10", now)
            .expect_err("11th attempt throttled");
        assert!((1..=900).contains(&wait), "{wait}");
        assert!(
            t.check_at("5.6.7.8", "user10", now).is_ok(),
            "other IPs are not affected"
        );
    }

    #[test]
    fn the_window_slides_so_nothing_locks_for_good() {
        let t = Throttle::new(ThrottleConfig {
            window: Duration::from_mins(1),
            per_ip: 2,
            per_account: 2,
        });
        let start = Instant::now();
        t.failed_at("ip", "acct", start);
        t.failed_at("ip", "acct", start);
        assert!(
            t.check_at("ip", "acct", start + Duration::from_secs(30))
                .is_err()
        );
        assert!(
            t.check_at("ip", "acct", start + Duration::from_secs(61))
                .is_ok()
        );
    }

    #[test]
    fn accounts_are_throttled_across_ips() {
        let t = Throttle::new(ThrottleConfig {
            per_ip: 100,
            per_account: 3,
            ..ThrottleConfig::default()
        });
        let now = Instant::now();
        for ip in ["a", "b", "c"] {
            t.failed_at(ip, "victim", now);
        }
        assert!(t.check_at("d", "victim", now).is_err());
        t.succeeded("victim");
        assert!(t.check_at("d", "victim", now).is_ok());
    }
}
