//! Badges: a short label with a colour from the one status palette.

use leptos::prelude::*;

/// The status palette. Each tone means one thing everywhere (lists, kanban, шахматка, charts):
/// `Neutral` — no state; `Info` — in progress / informational; `Success` — done, valid, healthy;
/// `Warning` — needs attention soon; `Danger` — overdue, invalid, failed; `Brand` — our own marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Neutral,
    Info,
    Success,
    Warning,
    Danger,
    Brand,
}

impl Tone {
    /// Background, text and ring classes (contrast ≥ 4.5:1 on each).
    pub fn classes(self) -> &'static str {
        match self {
            Self::Neutral => "bg-ink-100 text-ink-800 ring-ink-300",
            Self::Info => "bg-info-50 text-info-800 ring-info-300",
            Self::Success => "bg-success-50 text-success-800 ring-success-300",
            Self::Warning => "bg-warning-50 text-warning-900 ring-warning-300",
            Self::Danger => "bg-danger-50 text-danger-800 ring-danger-300",
            Self::Brand => "bg-brand-50 text-brand-800 ring-brand-300",
        }
    }
}

/// A small label; always carries text, never colour alone.
#[component]
pub fn Badge(#[prop(optional)] tone: Tone, children: Children) -> impl IntoView {
    view! {
        <span class=format!(
            "inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset whitespace-nowrap {}",
            tone.classes(),
        )>{children()}</span>
    }
}
