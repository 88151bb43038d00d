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

/// What a page shows when the thing it opens does not exist (or is another company's, which
/// answers alike) or is not for this user: no retry, since retrying cannot help, and a way on.
/// As the page itself (`page`: the record the route opens) it also sets the answer's status on
/// the server (404 or 403), so a missing card is not a 200; that takes a route rendered whole
/// (`SsrMode::Async`), since a streamed answer has sent its status already.
#[component]
pub fn MissingState(forbidden: bool, #[prop(optional)] page: bool) -> impl IntoView {
    #[cfg(not(feature = "ssr"))]
    let _ = page;
    #[cfg(feature = "ssr")]
    if page && let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(if forbidden {
            http::StatusCode::FORBIDDEN
        } else {
            http::StatusCode::NOT_FOUND
        });
    }
    let i18n = crate::i18n::use_i18n();
    let home = if leptos_router::hooks::use_location()
        .pathname
        .get_untracked()
        .starts_with("/cabinet")
    {
        "/cabinet"
    } else {
        "/staff"
    };
    view! {
        <div class="flex flex-col items-center gap-3 rounded-xl bg-white px-6 py-12 text-center ring-1 ring-ink-200" data-testid="missing-state">
            <Icon name=if forbidden { IconName::Shield } else { IconName::Search } class="size-10 text-ink-400" />
            <h3 class="text-base font-semibold text-ink-900">
                {move || if forbidden { i18n.t().common_forbidden_title } else { i18n.t().common_missing_title }}
            </h3>
            <p class="max-w-md text-sm text-ink-600">
                {move || if forbidden { i18n.t().common_forbidden_text } else { i18n.t().common_missing_text }}
            </p>
            <super::LinkButton href=home variant=super::ButtonVariant::Secondary>{move || i18n.t().common_to_home}</super::LinkButton>
        </div>
    }
}

/// The error state for a failed load, in the user's words: "not found" and "no access" as
/// [`MissingState`], anything else with a retry.
pub fn load_error(err: crate::AppError, retry: Callback<()>) -> AnyView {
    error_view(err, retry, false)
}

/// [`load_error`] for the record a route opens (`/staff/people/:id`): a missing or foreign one
/// also answers 404 (403 when it is not for this user).
pub fn page_load_error(err: crate::AppError, retry: Callback<()>) -> AnyView {
    error_view(err, retry, true)
}

fn error_view(err: crate::AppError, retry: Callback<()>, page: bool) -> AnyView {
    match err {
        crate::AppError::NotFound => {
            return view! { <MissingState forbidden=false page=page /> }.into_any();
        }
        crate::AppError::Forbidden => {
            return view! { <MissingState forbidden=true page=page /> }.into_any();
        }
        _ => {}
    }
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

/// The page pattern every screen shares: while `resource` loads, the loading state (the old
/// content stays during a reload: a `Transition`); when it has loaded, `show` with the value;
/// when it failed, the error state with a retry (or "not found" / "no access", which no retry
/// helps). `page`: the resource is the record the route opens, so a missing one also answers 404.
#[component]
pub fn Loaded<T, F, V>(
    resource: Resource<Result<T, crate::AppError>>,
    show: F,
    #[prop(optional)] page: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let show = StoredValue::new(show);
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => show.with_value(|f| f(value)).into_any(),
                    Err(e) => error_view(e, Callback::new(move |()| resource.refetch()), page),
                }
            })}
        </Transition>
    }
}
