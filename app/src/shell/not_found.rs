//! The 404 page (also sets the HTTP status when rendered on the server).

use crate::i18n::use_i18n;
use crate::ui::{ButtonVariant, LinkButton};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t().not_found_title />
        <main id="main" class="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
            <p class="text-6xl font-bold text-brand-700">"404"</p>
            <h1 class="text-2xl font-semibold">{move || i18n.t().not_found_title}</h1>
            <p class="text-ink-600">{move || i18n.t().not_found_text}</p>
            <LinkButton href="/" variant=ButtonVariant::Primary>{move || i18n.t().not_found_back}</LinkButton>
        </main>
    }
}
