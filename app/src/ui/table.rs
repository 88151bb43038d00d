//! Data tables: sticky header, zebra-free rows with hover, horizontal scroll on narrow screens.

use leptos::prelude::*;

/// Classes for a body cell, shared so every table looks the same.
pub const TD: &str = "px-4 py-3 text-sm text-ink-800 align-top";
/// Classes for a clickable body row.
pub const TR: &str = "border-t border-ink-200 hover:bg-ink-50";

/// A table with a caption for screen readers. Put a [`TableHead`] and a `<tbody>` inside.
#[component]
pub fn Table(
    /// Describes the table to assistive technology.
    #[prop(into)]
    caption: Signal<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-xl bg-white ring-1 ring-ink-200">
            <table class="min-w-full border-collapse">
                <caption class="sr-only">{move || caption.get()}</caption>
                {children()}
            </table>
        </div>
    }
}

/// The header row; labels are translated by the caller.
#[component]
pub fn TableHead(#[prop(into)] labels: Signal<Vec<&'static str>>) -> impl IntoView {
    view! {
        <thead class="sticky top-0 z-10 bg-ink-50">
            <tr>
                {move || {
                    labels
                        .get()
                        .into_iter()
                        .map(|l| view! {
                            <th scope="col" class="px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-ink-600">
                                {l}
                            </th>
                        })
                        .collect_view()
                }}
            </tr>
        </thead>
    }
}
