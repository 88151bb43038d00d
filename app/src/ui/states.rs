//! Loading, empty and error states: every list and page has all three.

use super::icon::{Icon, IconName};
use leptos::prelude::*;

/// Shown while data loads.
#[component]
pub fn LoadingState(#[prop(into)] label: Signal<String>) -> impl IntoView {
    view! {
        <div class="flex items-center gap-3 px-4 py-10 text-ink-600" role="status" aria-live="polite">
            <span class="size-5 animate-spin rounded-full border-2 border-ink-300 border-t-brand-700"></span>
            <span>{move || label.get()}</span>
        </div>
    }
}

/// Shown when a list has nothing in it: says why and what to do next.
#[component]
pub fn EmptyState(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] icon: Option<IconName>,
    /// An action (a button or link) to take from here.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col items-center gap-3 rounded-xl border border-dashed border-ink-300 bg-white px-6 py-12 text-center" data-testid="empty-state">
            <Icon name=icon.unwrap_or(IconName::Inbox) class="size-10 text-ink-400" />
            <h3 class="text-base font-semibold text-ink-900">{move || title.get()}</h3>
            <p class="max-w-md text-sm text-ink-600">{move || text.get()}</p>
            {children.map(|c| c())}
        </div>
    }
}

/// Shown when loading failed, with a retry.
#[component]
pub fn ErrorState(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(into)] retry_label: Signal<String>,
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col items-center gap-3 rounded-xl bg-danger-50 px-6 py-10 text-center ring-1 ring-danger-200" role="alert">
            <Icon name=IconName::Alert class="size-8 text-danger-700" />
            <h3 class="text-base font-semibold text-danger-800">{move || title.get()}</h3>
            <p class="max-w-md text-sm text-danger-800">{move || text.get()}</p>
            <super::Button variant=super::ButtonVariant::Secondary on_click=on_retry>
                {move || retry_label.get()}
            </super::Button>
        </div>
    }
}

/// The loading state with the standard label (a `Suspense` fallback).
pub fn loading() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    view! { <LoadingState label=Signal::derive(move || i18n.t().common_loading.to_owned()) /> }
}

/// The error state for a failed load, in the user's words, with a retry.
pub fn load_error(err: crate::AppError, retry: Callback<()>) -> AnyView {
    let i18n = crate::i18n::use_i18n();
    view! {
        <ErrorState
            title=Signal::derive(move || i18n.t().common_error_title.to_owned())
            text=Signal::derive(move || err.describe(i18n.t()))
            retry_label=Signal::derive(move || i18n.t().common_retry.to_owned())
            on_retry=retry
        />
    }
    .into_any()
}

/// A form's error message (already translated), announced when it appears; nothing when `None`.
#[component]
pub fn FormError(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(optional)] test_id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="rounded-lg bg-danger-50 px-3 py-2 text-sm font-medium text-danger-800 ring-1 ring-danger-200" role="alert" data-testid=test_id>
                {move || message.get().unwrap_or_default()}
            </p>
        </Show>
    }
}
