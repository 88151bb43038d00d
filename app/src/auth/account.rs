//! "Profile and security" for every signed-in person (`/staff/account`, `/cabinet/account`):
//! change (or, for a resident who signs in by code, set) the password, see the devices signed
//! in, and sign out everywhere. A guard tablet has no such page: it belongs to the post.

use super::api::{ChangePassword, SignOutEverywhere, current_user, my_sessions};
use crate::AppError;
use crate::Invalid;
use crate::i18n::{Tr, use_i18n};
use crate::ui::Time;
use crate::ui::{
    Badge, Button, ButtonVariant, FormError, Icon, IconName, Modal, PageHeader, TextField,
    ToastKind, Tone, load_error, loading, use_toasts,
};
use crate::ui::{FieldText, error_text};
use leptos::prelude::*;
use leptos_meta::Title;

const PASSWORD_FIELDS: &[FieldText] = &[
    ("current", Some(Invalid::Wrong), |t| t.account_current_wrong),
    ("current", None, |t| t.account_current_required),
    ("*", Some(Invalid::TooShort), |t| t.account_too_short),
];

fn password_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, PASSWORD_FIELDS)
}

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |()| current_user());
    view! {
        <Title text=move || i18n.t().account_title />
        <PageHeader
            title=Signal::derive(move || i18n.t().account_title.to_owned())
            lead=Signal::derive(move || i18n.t().account_lead.to_owned())
        />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(m) => view! {
                        <div class="grid max-w-5xl gap-5 lg:grid-cols-2">
                            <PasswordCard has_password=m.has_password />
                            <SessionsCard sign_in_page=if m.is_resident { "/cabinet/login" } else { "/login" } />
                        </div>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| me.refetch())),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PasswordCard(has_password: bool) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let has = RwSignal::new(has_password);
    let change = ServerAction::<ChangePassword>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            password.set(String::new());
            has.set(true);
            toasts.push(ToastKind::Success, i18n.t().account_saved);
        }
    });
    let error = move |field: &'static str| {
        Signal::derive(move || match change.value().get() {
            Some(Err(ref e @ AppError::Validation { field: ref f, .. })) if f == field => {
                Some(password_error(e, i18n.t()))
            }
            _ => None,
        })
    };
    let other_error = Signal::derive(move || match change.value().get() {
        Some(Err(AppError::Validation { .. }) | Ok(())) | None => None,
        Some(Err(e)) => Some(password_error(&e, i18n.t())),
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangePassword {
            current: current.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="password-card">
            <h2 class="flex items-center gap-2 text-lg font-semibold text-ink-900">
                <Icon name=IconName::Lock class="size-5 text-ink-500" />
                {move || i18n.t().account_password_title}
            </h2>
            <p class="mt-1 text-sm text-ink-600">
                {move || if has.get() { i18n.t().account_password_lead } else { i18n.t().account_password_lead_first }}
            </p>
            <form class="mt-4 space-y-4" on:submit=submit novalidate data-testid="password-form">
                // Lets password managers tie the new password to the account.
                <input type="text" name="username" autocomplete="username" class="hidden" aria-hidden="true" tabindex="-1" />
                <Show when=move || has.get()>
                    <TextField id="current-password" input_type="password" autocomplete="current-password"
                        label=Signal::derive(move || i18n.t().account_current.to_owned())
                        value=current error=error("current") />
                </Show>
                <TextField id="new-password" input_type="password" autocomplete="new-password"
                    label=Signal::derive(move || i18n.t().account_new.to_owned())
                    hint=Signal::derive(move || i18n.t().account_new_hint.to_owned())
                    value=password error=error("password") />
                <FormError message=other_error />
                <div class="flex justify-end">
                    <Button button_type="submit" disabled=change.pending() test_id="change-password">
                        {move || if has.get() { i18n.t().account_save } else { i18n.t().account_set_first }}
                    </Button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn SessionsCard(sign_in_page: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let sessions = Resource::new(|| (), |()| my_sessions());
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let confirm_open = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = everywhere.value().get() {
            crate::auth::pages::leave_after_sign_out(sign_in_page);
        }
    });
    view! {
        <section class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="sessions-card">
            <h2 class="flex items-center gap-2 text-lg font-semibold text-ink-900">
                <Icon name=IconName::Monitor class="size-5 text-ink-500" />
                {move || i18n.t().account_sessions_title}
            </h2>
            <p class="mt-1 text-sm text-ink-600">{move || i18n.t().account_sessions_lead}</p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! {
                            <ul class="mt-3 divide-y divide-ink-100">
                                {list.into_iter().map(|s| {
                                    let kind = s.kind.clone();
                                    let agent = s.user_agent.as_deref().map(short_agent).unwrap_or_default();
                                    view! {
                                        <li class="py-3 text-sm" data-testid="my-session">
                                            <p class="flex flex-wrap items-center gap-2 font-medium text-ink-900">
                                                {move || match kind.as_str() {
                                                    "guard" => i18n.t().admin_session_kind_guard,
                                                    "resident" => i18n.t().admin_session_kind_resident,
                                                    _ => i18n.t().admin_session_kind_staff,
                                                }}
                                                {s.current.then(|| view! { <Badge tone=Tone::Success>{move || i18n.t().account_this_device}</Badge> })}
                                            </p>
                                            <p class="mt-0.5 break-words text-xs text-ink-600">
                                                {format!("{agent} · {}", s.ip.clone().unwrap_or_default())}
                                            </p>
                                            <p class="text-xs text-ink-600">{move || i18n.t().account_last_seen}" "<Time at=s.last_seen_at /></p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => load_error(e, Callback::new(move |()| sessions.refetch())),
                    }
                })}
            </Suspense>
            <div class="mt-4 flex justify-end">
                <Button variant=ButtonVariant::DangerOutline test_id="sign-out-everywhere" on_click=Callback::new(move |()| confirm_open.set(true))>
                    {move || i18n.t().account_sign_out_everywhere}
                </Button>
            </div>
            <Modal open=confirm_open title=Signal::derive(move || i18n.t().account_sign_out_everywhere.to_owned()) close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
                <p class="text-ink-800">{move || i18n.t().account_sign_out_everywhere_confirm}</p>
                <div class="mt-5 flex justify-end gap-2">
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| confirm_open.set(false))>{move || i18n.t().admin_cancel}</Button>
                    <Button variant=ButtonVariant::Danger test_id="confirm" on_click=Callback::new(move |()| {
                        everywhere.dispatch(SignOutEverywhere {});
                        confirm_open.set(false);
                    })>{move || i18n.t().account_sign_out_everywhere}</Button>
                </div>
            </Modal>
        </section>
    }
}

/// A short, readable name of a browser from its user agent ("Chrome on Android").
fn short_agent(ua: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("YaBrowser", "Яндекс Браузер"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| name);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b}, {o}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(o)) => o.to_owned(),
        (None, None) => ua.chars().take(40).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::short_agent;

    #[test]
    fn agents_are_named_briefly() {
        assert_eq!(
            short_agent(
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
            ),
            "Chrome, Android"
        );
        assert_eq!(
            short_agent("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"),
            "Firefox, Linux"
        );
        assert_eq!(short_agent("curl/8.5"), "curl/8.5");
    }
}
