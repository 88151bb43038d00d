//! The resident cabinet layout (phone first, 360 px): a slim header, one column of content,
//! large tap targets. Installs as its own PWA (`/manifests/cabinet.webmanifest`). Only signed-in
//! residents reach it (the server sends everyone else to `/cabinet/login` or their own home).

use crate::auth::api::{SignOut, current_user};
use crate::companies::api::public_contacts;
use crate::i18n::{fill, format_phone, use_i18n};
use crate::ui::LanguageSwitch;
use crate::ui::{ButtonSize, ButtonVariant, Icon, IconName, LinkButton, load_error, loading};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::components::Outlet;

#[component]
pub fn CabinetLayout() -> impl IntoView {
    let i18n = use_i18n();
    // Times in the cabinet are shown in the zone of the resident's company.
    let me = Resource::new(|| (), |()| current_user());
    crate::i18n::provide_zone(Signal::derive(move || {
        let zone = me.get().and_then(Result::ok).map(|m| m.time_zone);
        crate::i18n::Zone::or_default(zone.as_deref().unwrap_or_default())
    }));
    view! {
        <Link rel="manifest" href="/manifests/cabinet.webmanifest" />
        <div class="mx-auto flex min-h-dvh max-w-xl flex-col bg-ink-50">
            <header class="sticky top-0 z-20 flex h-14 items-center justify-between gap-3 border-b border-ink-200 bg-white px-4">
                <a href="/cabinet" class="flex items-center gap-2 font-bold text-brand-800">
                    <img src="/icons/icon.svg" alt="" class="size-7" />
                    <span>{move || i18n.t().cabinet_title}</span>
                </a>
                <div class="flex items-center gap-1">
                    <LanguageSwitch />
                    <a href="/cabinet/account" class="inline-flex size-10 items-center justify-center rounded-lg text-ink-700 hover:bg-ink-100" data-testid="account-link"
                        aria-label=move || i18n.t().account_open title=move || i18n.t().account_open>
                        <Icon name=IconName::User class="size-5" />
                    </a>
                    <CabinetSignOut />
                </div>
            </header>
            <main id="main" class="flex-1 px-4 py-5">
                <Outlet />
            </main>
        </div>
    }
}

#[component]
fn CabinetSignOut() -> impl IntoView {
    let i18n = use_i18n();
    let sign_out = crate::auth::pages::sign_out_action("/cabinet/login");
    view! {
        <button type="button" class="inline-flex size-10 items-center justify-center rounded-lg text-ink-700 hover:bg-ink-100" data-testid="sign-out"
            aria-label=move || i18n.t().auth_sign_out title=move || i18n.t().auth_sign_out
            on:click=move |_| { sign_out.dispatch(SignOut {}); }>
            <Icon name=IconName::LogOut class="size-5" />
        </button>
    }
}

/// How a resident is greeted: first name and patronymic when the full name has them.
fn greeting_name(full: &str) -> String {
    let parts: Vec<&str> = full.split_whitespace().collect();
    match parts.as_slice() {
        [_, rest @ ..] if !rest.is_empty() => rest.join(" "),
        _ => full.to_owned(),
    }
}

/// The cabinet's first screen: a greeting and how to reach the management company's dispatchers.
#[component]
pub fn CabinetHome() -> impl IntoView {
    let i18n = use_i18n();
    let contacts = Resource::new(|| (), |()| public_contacts());
    let me = Resource::new(|| (), |()| current_user());
    view! {
        <Title text=move || i18n.t().cabinet_title />
        <h1 class="text-2xl font-bold text-ink-900" data-testid="cabinet-greeting">
            <Transition fallback=move || i18n.t().cabinet_greeting>
                {move || me.get().map(|m| match m {
                    Ok(m) => fill(i18n.t().cabinet_greeting_name, &[("name", &greeting_name(&m.name))]),
                    Err(_) => i18n.t().cabinet_greeting.to_owned(),
                })}
            </Transition>
        </h1>
        <p class="mt-2 text-ink-700">{move || i18n.t().cabinet_lead}</p>
        <div class="mt-6"><crate::residents::pages::MyUnitsSection /></div>
        <section class="mt-6" aria-labelledby="contacts-title">
            <h2 id="contacts-title" class="text-lg font-semibold text-ink-900">{move || i18n.t().cabinet_contacts_title}</h2>
            <p class="mt-1 text-sm text-ink-600">{move || i18n.t().cabinet_contacts_lead}</p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match contacts.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="mt-4 rounded-xl bg-white p-4 text-ink-700 ring-1 ring-ink-200">{move || i18n.t().cabinet_no_contacts}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-4 space-y-3">
                                {list.into_iter().map(|c| {
                                    let phone_href = c.phone.clone().map(|p| format!("tel:{p}"));
                                    let mail_href = c.email.clone().map(|m| format!("mailto:{m}"));
                                    view! {
                                        <li class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-ink-200" data-testid="company-contact">
                                            <p class="font-semibold text-ink-900">{c.short_name.clone()}</p>
                                            {c.address.clone().map(|a| view! {
                                                <p class="mt-1 flex items-start gap-2 text-sm text-ink-600"><Icon name=IconName::MapPin class="mt-0.5 size-4 shrink-0" />{a}</p>
                                            })}
                                            {c.phone.clone().map(|p| view! {
                                                <p class="mt-3 text-2xl font-bold tabular-nums text-ink-900">{format_phone(&p)}</p>
                                            })}
                                            <div class="mt-3 grid grid-cols-2 gap-2">
                                                {phone_href.map(|h| view! {
                                                    <LinkButton href=h size=ButtonSize::Lg>
                                                        <Icon name=IconName::Phone class="size-5" />{move || i18n.t().cabinet_call}
                                                    </LinkButton>
                                                })}
                                                {mail_href.map(|h| view! {
                                                    <LinkButton href=h size=ButtonSize::Lg variant=ButtonVariant::Secondary>
                                                        <Icon name=IconName::Mail class="size-5" />{move || i18n.t().cabinet_write}
                                                    </LinkButton>
                                                })}
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => view! {
                            <div class="mt-4">{load_error(err, Callback::new(move |()| contacts.refetch()))}</div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::greeting_name;

    #[test]
    fn residents_are_greeted_by_first_name_and_patronymic() {
        assert_eq!(greeting_name("Иванова Анна Сергеевна"), "Анна Сергеевна");
        assert_eq!(greeting_name("Анна"), "Анна");
    }
}
