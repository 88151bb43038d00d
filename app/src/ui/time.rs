//! Instants as people read them: in the company's time zone and the current language, inside a
//! `<time>` element that carries the exact UTC instant for machines and tooltips.

use crate::i18n::{format_datetime_in, use_i18n, use_zone};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// "4 декабря 2026, 21:30" in the zone of the signed-in user's company.
#[component]
pub fn Time(at: DateTime<Utc>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = use_zone();
    view! {
        <time datetime=at.to_rfc3339() title=move || zone.get().label(i18n.locale())>
            {move || format_datetime_in(at, zone.get(), i18n.locale())}
        </time>
    }
}

/// The sentence that names the zone times on a page are shown in ("Время — Москва (UTC+3)").
#[component]
pub fn ZoneNote() -> impl IntoView {
    let i18n = use_i18n();
    let zone = use_zone();
    view! {
        <p class="text-xs text-ink-600" data-testid="zone-note">
            {move || crate::i18n::fill(i18n.t().audit_zone_note, &[("zone", &zone.get().label(i18n.locale()))])}
        </p>
    }
}
