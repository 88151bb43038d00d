//! Page-level building blocks: the heading every page starts with, stat cards, and the
//! sections of a record's page (the client card, the unit page).

use leptos::prelude::*;

/// A page heading with a lead paragraph.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] lead: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="mb-6">
            <h1 class="text-2xl font-bold tracking-tight text-ink-900">{move || title.get()}</h1>
            <p class="mt-1 text-ink-600">{move || lead.get()}</p>
        </div>
    }
}

/// A white card with a small caption and content.
#[component]
pub fn Card(
    /// Small caption above the content.
    #[prop(into)]
    caption: Signal<String>,
    #[prop(optional)] test_id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid=test_id>
            <h2 class="text-sm font-medium text-ink-600">{move || caption.get()}</h2>
            <div class="mt-2">{children()}</div>
        </section>
    }
}

/// A section of a record's page (the client card, the unit page): a heading and content.
#[component]
pub fn Section(
    #[prop(into)] caption: Signal<String>,
    test_id: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-ink-200 sm:p-5" data-testid=test_id>
            <h2 class="mb-3 text-base font-semibold text-ink-900">{move || caption.get()}</h2>
            {children()}
        </section>
    }
}
