//! Demo data: a deterministic generator that makes the running app look like a real company.
//!
//! `platforma seed-demo` (and `./dev run` on first start) runs every [`Step`] that has not run on
//! this database yet, each in its own write transaction, and records it in `instance_meta` as
//! `demo_step:<name>`. Later features append their own step to [`STEPS`]; existing demo databases
//! then get only the new step. The generator uses a fixed seed, so every installation gets the
//! same companies, names and phone numbers.

use crate::AppError;
use crate::db::{Db, Tx};
use crate::{on_db, on_tx};
use std::future::Future;
use std::pin::Pin;

use crate::fake::DemoRng;

/// The future a demo step returns.
pub type StepFuture<'a> = Pin<Box<dyn Future<Output = Result<String, AppError>> + Send + 'a>>;

/// One demo-data step: a stable name and a function that writes its rows and says what it wrote.
pub struct Step {
    pub name: &'static str,
    pub run: for<'a> fn(&'a mut Tx, &'a mut DemoRng) -> StepFuture<'a>,
}

/// Every demo step, in order. Append; never reorder or rename (names are recorded in databases).
pub const STEPS: &[Step] = &[
    Step {
        name: "companies",
        run: |tx, rng| Box::pin(crate::companies::server::demo::seed(tx, rng)),
    },
    Step {
        name: "access",
        run: |tx, rng| Box::pin(crate::access::server::demo::seed(tx, rng)),
    },
    Step {
        name: "buildings",
        run: |tx, rng| {
            Box::pin(async move {
                let buildings = crate::buildings::server::demo::seed(tx, rng).await?;
                let residents = crate::residents::server::demo::seed(tx).await?;
                Ok(format!("{buildings}; {residents}"))
            })
        },
    },
    Step {
        name: "people",
        run: |tx, rng| Box::pin(crate::people::server::demo::seed(tx, rng)),
    },
    Step {
        name: "phonebook",
        run: |tx, rng| Box::pin(crate::phonebook::server::demo::seed(tx, rng)),
    },
    Step {
        name: "imports",
        run: |tx, rng| Box::pin(crate::imports::server::demo::seed(tx, rng)),
    },
];

/// The fixed seed of the demo generator.
pub const SEED: u64 = 0x005E_ED0F_DA7A;

/// What `seed-demo` did: each step and whether it ran now or had run before.
#[derive(Debug, Clone)]
pub struct SeedReport {
    pub steps: Vec<(String, StepOutcome)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Ran(String),
    AlreadyDone,
}

/// Runs the demo steps this database has not had yet.
pub async fn seed(db: &Db) -> Result<SeedReport, AppError> {
    let mut report = SeedReport { steps: Vec::new() };
    for (i, step) in STEPS.iter().enumerate() {
        let key = format!("demo_step:{}", step.name);
        let done: Option<String> = on_db!(db, pool =>
            sqlx::query_scalar("SELECT value FROM instance_meta WHERE key = $1").bind(&key).fetch_optional(pool).await)?;
        if done.is_some() {
            report
                .steps
                .push((step.name.to_owned(), StepOutcome::AlreadyDone));
            continue;
        }
        // Each step draws from its own stream, so adding a step never changes earlier steps' data.
        let mut rng = DemoRng::new(SEED ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut tx = db.begin_write().await?;
        let summary = (step.run)(&mut tx, &mut rng).await?;
        let now = chrono::Utc::now();
        on_tx!(&mut tx, conn => sqlx::query("INSERT INTO instance_meta (key, value, updated_at) VALUES ($1, $2, $3)")
            .bind(&key).bind(&summary).bind(now).execute(conn).await.map(|_| ()))?;
        tx.commit().await?;
        report
            .steps
            .push((step.name.to_owned(), StepOutcome::Ran(summary)));
    }
    Ok(report)
}
