//! The sign-in page (`/login`): staff sign in with login and password; `?mode=guard` signs a
//! guard tablet in for one shift. Errors sit under the form in plain words; the page never says
//! whether a login exists.

use super::model::SignInMode;
use crate::AppError;
use crate::i18n::{fill, use_i18n};
use crate::shell::LanguageSwitch;
use crate::ui::{Button, ButtonSize, Icon, IconName, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A `next` target is followed only when it is a path on this site.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let guard = Memo::new(move |_| query.with(|q| q.get("mode").as_deref() == Some("guard")));
    let next = Memo::new(move |_| safe_next(query.with(|q| q.get("next"))));
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = ServerAction::<super::api::SignIn>::new();
    let pending = action.pending();

    // Leave for the home page (or where the user was going) once signed in.
    Effect::new(move |_| {
        if let Some(Ok(done)) = action.value().get() {
            let target = next.get_untracked().unwrap_or(done.home);
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&target);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = target;
        }
    });
    let error = Signal::derive(move || {
        let t = i18n.t();
        match action.value().get() {
            Some(Err(AppError::Unauthenticated)) => Some(t.auth_invalid.to_owned()),
            Some(Err(AppError::Forbidden)) => Some(t.auth_not_a_guard.to_owned()),
            Some(Err(AppError::TooManyRequests(s))) => {
                Some(fill(t.auth_too_many, &[("seconds", &s.to_string())]))
            }
            Some(Err(AppError::Validation { field, .. })) if field == "login" => {
                Some(t.auth_login_required.to_owned())
            }
            Some(Err(AppError::Validation { .. })) => Some(t.auth_password_required.to_owned()),
            Some(Err(e)) => Some(e.describe(t)),
            _ => None,
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(super::api::SignIn {
            login: login.get_untracked(),
            password: password.get_untracked(),
            mode: if guard.get_untracked() {
                SignInMode::GuardPost
            } else {
                SignInMode::Staff
            },
        });
    };

    view! {
        <Title text=move || i18n.t().auth_title />
        <div class=move || if guard.get() { "min-h-dvh bg-ink-950" } else { "min-h-dvh bg-ink-50" }>
            <div class="mx-auto flex min-h-dvh max-w-md flex-col px-4 py-6">
                <header class="flex items-center justify-between">
                    <a href="/" class=move || format!("flex items-center gap-2 font-bold {}", if guard.get() { "text-white" } else { "text-brand-800" })>
                        <img src="/icons/icon.svg" alt="" class="size-8" />
                        {move || i18n.t().app_name}
                    </a>
                    <LanguageSwitch dark=guard.get_untracked() />
                </header>
                <main id="main" class="flex flex-1 flex-col justify-center py-8">
                    <form
                        class="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-ink-200 sm:p-8"
                        method="post"
                        action="/api/auth/sign-in"
                        on:submit=submit
                        novalidate
                        data-testid="sign-in-form"
                    >
                        // Without JavaScript the form posts to the server function itself.
                        <input type="hidden" name="mode" value=move || if guard.get() { "GuardPost" } else { "Staff" } />
                        <div class="mb-6 flex items-center gap-3">
                            <span class="rounded-xl bg-brand-50 p-2.5 text-brand-700">
                                <Icon name=IconName::User class="size-6" />
                            </span>
                            <div>
                                <h1 class="text-xl font-bold text-ink-900">
                                    {move || if guard.get() { i18n.t().auth_title_guard } else { i18n.t().auth_title }}
                                </h1>
                                <p class="text-sm text-ink-600">
                                    {move || if guard.get() { i18n.t().auth_lead_guard } else { i18n.t().auth_lead }}
                                </p>
                            </div>
                        </div>
                        <div class="space-y-4">
                            <TextField
                                id="login"
                                label=Signal::derive(move || i18n.t().auth_login.to_owned())
                                value=login
                                autocomplete="username"
                            />
                            <TextField
                                id="password"
                                input_type="password"
                                label=Signal::derive(move || i18n.t().auth_password.to_owned())
                                value=password
                                autocomplete="current-password"
                            />
                        </div>
                        <Show when=move || error.get().is_some()>
                            <p class="mt-4 rounded-lg bg-danger-50 px-3 py-2 text-sm font-medium text-danger-800 ring-1 ring-danger-200" role="alert" data-testid="sign-in-error">
                                {move || error.get().unwrap_or_default()}
                            </p>
                        </Show>
                        <div class="mt-6 grid">
                            <Button button_type="submit" size=ButtonSize::Lg disabled=pending test_id="sign-in-submit">
                                {move || if pending.get() { i18n.t().auth_signing_in } else if guard.get() { i18n.t().auth_submit_guard } else { i18n.t().auth_submit }}
                            </Button>
                        </div>
                    </form>
                    <p class=move || format!("mt-6 text-center text-sm {}", if guard.get() { "text-white/80" } else { "text-ink-600" })>
                        {move || if guard.get() {
                            view! { <a class="font-medium underline" href="/login">{i18n.t().auth_to_staff}</a> }.into_any()
                        } else {
                            view! { <a class="font-medium text-brand-700 underline" href="/login?mode=guard">{i18n.t().auth_to_guard}</a> }.into_any()
                        }}
                    </p>
                </main>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/staff/companies?q=1".into())).as_deref(),
            Some("/staff/companies?q=1")
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "staff",
        ] {
            assert_eq!(safe_next(Some(bad.into())), None, "{bad}");
        }
    }
}
