//! Platforma's design system: the few components every screen is built from, so that buttons,
//! fields, tables, dialogs and states look and behave the same for staff, residents and guards.
//!
//! One status palette ([`Tone`]) is used everywhere; colour always comes with a text label.

mod badge;
mod button;
mod field;
pub mod icon;
mod modal;
mod page;
mod states;
mod table;
mod toast;

pub use badge::{Badge, Tone};
pub use button::{Button, ButtonSize, ButtonVariant, LinkButton};
pub use field::{INPUT_CLASS, SelectField, TextField};
pub use icon::{Icon, IconName};
pub use modal::Modal;
pub use page::{Card, PageHeader, Section};
pub use states::{EmptyState, ErrorState, FormError, LoadingState, load_error, loading};
pub use table::{TD, TR, Table, TableHead};
pub use toast::{ToastKind, ToastRegion, Toasts, provide_toasts, use_toasts};
