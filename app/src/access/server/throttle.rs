//! Sign-in throttling: failures are counted in a sliding window per client IP (any accounts), per
//! account from one IP, and per account from all IPs together. Past the first two limits the
//! caller gets 429 with the seconds to wait. Past the third — someone guessing one account's
//! password from many addresses — only the account's known devices (browsers it signed in from
//! before, see `devices`) may keep trying: brute force stays expensive, and nobody can keep a named
//! dispatcher out of work by typing wrong passwords for their login from elsewhere. Nothing locks
//! an account for good: the window slides and old failures expire.
//!
//! The counters live in this process's memory: a restart forgives everyone (acceptable for a
//! throttle, which is not an audit), and with several app instances each counts its own share.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits (from `[security]` in Leptos.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    pub window: Duration,
    /// Failures allowed from one IP within the window, whatever the accounts.
    pub per_ip: usize,
    /// Failures allowed for one account from one IP.
    pub per_account: usize,
    /// Failures allowed for one account from all IPs together; beyond, only known devices try.
    pub per_account_total: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            window: Duration::from_mins(15),
            per_ip: 10,
            per_account: 5,
            per_account_total: 20,
        }
    }
}

impl ThrottleConfig {
    /// Limits for sending sign-in codes (SMS cost, pumping): one IP asks for at most 20 codes,
    /// 3 for one phone; a phone gets at most 10 from everywhere, except on its own known devices.
    pub const CODE_SENDS: Self = Self {
        window: Duration::from_mins(15),
        per_ip: 20,
        per_account: 3,
        per_account_total: 10,
    };
}

/// Why an attempt must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// Seconds until the oldest counted failure leaves the window.
    pub wait: u64,
    /// Only the account-wide limit was reached: a known device of the account may go ahead.
    pub known_device_passes: bool,
}

/// In-memory failure counters.
#[derive(Debug, Default)]
pub struct Throttle {
    cfg: ThrottleConfig,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

fn keys(ip: &str, account: &str) -> [String; 3] {
    [
        format!("ip:{ip}"),
        format!("pair:{ip}|{account}"),
        format!("acct:{account}"),
    ]
}

impl Throttle {
    pub fn new(cfg: ThrottleConfig) -> Self {
        Self {
            cfg,
            failures: Mutex::default(),
        }
    }

    /// `Err` when this attempt (from `ip`, for `account`) must wait.
    pub fn check(&self, ip: &str, account: &str) -> Result<(), Refusal> {
        self.check_at(ip, account, Instant::now())
    }

    fn check_at(&self, ip: &str, account: &str, now: Instant) -> Result<(), Refusal> {
        let Ok(mut map) = self.failures.lock() else {
            return Ok(());
        };
        let limits = [
            self.cfg.per_ip,
            self.cfg.per_account,
            self.cfg.per_account_total,
        ];
        let mut waits = [0u64; 3];
        for (i, key) in keys(ip, account).into_iter().enumerate() {
            let entry = map.entry(key).or_default();
            entry.retain(|t| now.duration_since(*t) < self.cfg.window);
            if entry.len() >= limits[i]
                && let Some(oldest) = entry.first()
            {
                let left = self.cfg.window.saturating_sub(now.duration_since(*oldest));
                waits[i] = left.as_secs().max(1);
            }
        }
        match waits {
            [0, 0, 0] => Ok(()),
            [0, 0, wait] => Err(Refusal {
                wait,
                known_device_passes: true,
            }),
            [ip, pair, total] => Err(Refusal {
                wait: ip.max(pair).max(total),
                known_device_passes: false,
            }),
        }
    }

    /// Records a failed attempt.
    pub fn failed(&self, ip: &str, account: &str) {
        self.failed_at(ip, account, Instant::now());
    }

    fn failed_at(&self, ip: &str, account: &str, now: Instant) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        for key in keys(ip, account) {
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

    /// Forgets the failures of this account from this IP after a success there. The IP's count
    /// and the account's count from everywhere stay: a success of the real user must not reset
    /// what an attacker elsewhere has used up.
    pub fn succeeded(&self, ip: &str, account: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("pair:{ip}|{account}"));
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
            per_account_total: 100,
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
        let refusal = t
            .check_at("1.2.3.4", "user10", now)
            .expect_err("11th attempt throttled");
        assert!((1..=900).contains(&refusal.wait), "{refusal:?}");
        assert!(!refusal.known_device_passes);
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
            per_account_total: 2,
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
    fn guessing_from_elsewhere_does_not_lock_the_owner_out() {
        let t = Throttle::new(ThrottleConfig {
            per_ip: 100,
            per_account: 5,
            per_account_total: 20,
            ..ThrottleConfig::default()
        });
        let now = Instant::now();
        // The probe's attack: five wrong passwords for the dispatcher from one address.
        for _ in 0..5 {
            t.failed_at("attacker", "dispatcher", now);
        }
        assert!(t.check_at("attacker", "dispatcher", now).is_err());
        assert!(
            t.check_at("office", "dispatcher", now).is_ok(),
            "the dispatcher signs in from the office"
        );
        // Many addresses: the account as a whole is under attack; only its known devices try.
        for i in 0..20 {
            t.failed_at(&format!("bot{i}"), "dispatcher", now);
        }
        let refusal = t
            .check_at("office", "dispatcher", now)
            .expect_err("unknown devices wait");
        assert!(refusal.known_device_passes, "{refusal:?}");
        // A success forgets only that address's failures for the account.
        t.succeeded("attacker", "dispatcher");
        let refusal = t
            .check_at("bot1", "dispatcher", now)
            .expect_err("still waits");
        assert!(refusal.known_device_passes);
    }
}
