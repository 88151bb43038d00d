//! Platforma's design system: the few components every screen is built from, so that buttons,
//! fields, tables, dialogs and states look and behave the same for staff, residents and guards.
//!
//! One status palette ([`Tone`]) is used everywhere; colour always comes with a text label.

mod badge;
mod button;
mod errors;
mod field;
pub mod icon;
mod lang;
mod modal;
mod page;
mod route;
mod states;
mod submit;
mod table;
mod time;
mod toast;

pub use badge::{Badge, Tone};
pub use button::{Button, ButtonSize, ButtonVariant, LinkButton};
pub use errors::{FieldText, error_text};
pub use field::{INPUT_CLASS, SelectField, TextField};
pub use icon::{Icon, IconName};
pub use lang::LanguageSwitch;
pub use modal::Modal;
pub use page::{Card, PageHeader, Section};
pub use route::use_id_param;
pub use states::{
    EmptyState, ErrorState, FormError, Loaded, LoadingState, MissingState, load_error, loading,
    page_load_error,
};
pub use submit::{Submit, use_submit};
pub use table::{TD, TR, Table, TableHead};
pub use time::{Time, ZoneNote};
pub use toast::{ToastKind, ToastRegion, Toasts, provide_toasts, use_toasts};
