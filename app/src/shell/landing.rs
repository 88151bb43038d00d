//! The entry page: where each audience goes.

use crate::i18n::use_i18n;
use crate::ui::LanguageSwitch;
use crate::ui::{Icon, IconName};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Landing() -> impl IntoView {
    let i18n = use_i18n();
    let card = |href: &'static str,
                icon: IconName,
                title: fn(&crate::i18n::Tr) -> &'static str,
                text: fn(&crate::i18n::Tr) -> &'static str,
                id: &'static str| {
        view! {
            <a href=href data-testid=id class="group flex items-start gap-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-ink-200 transition hover:ring-brand-400 hover:shadow-md focus-visible:outline-3 focus-visible:outline-brand-600">
                <span class="rounded-xl bg-brand-50 p-3 text-brand-700"><Icon name=icon class="size-7" /></span>
                <span class="flex-1">
                    <span class="block text-lg font-semibold text-ink-900">{move || title(i18n.t())}</span>
                    <span class="mt-1 block text-sm text-ink-600">{move || text(i18n.t())}</span>
                </span>
                <Icon name=IconName::ChevronRight class="mt-1 size-5 text-ink-400 group-hover:text-brand-700" />
            </a>
        }
    };
    view! {
        <Title text="" />
        <div class="mx-auto flex min-h-dvh max-w-3xl flex-col px-4 py-6 sm:py-10">
            <header class="flex items-center justify-between gap-4">
                <span class="flex items-center gap-2 text-lg font-bold text-brand-800">
                    <img src="/icons/icon.svg" alt="" class="size-8" />
                    {move || i18n.t().app_name}
                </span>
                <LanguageSwitch />
            </header>
            <main id="main" class="mt-10 flex-1 sm:mt-16">
                <h1 class="text-3xl font-bold tracking-tight text-ink-900 sm:text-4xl">{move || i18n.t().landing_title}</h1>
                <p class="mt-3 text-lg text-ink-600">{move || i18n.t().app_tagline}</p>
                <h2 class="mt-10 text-sm font-semibold uppercase tracking-wide text-ink-500">{move || i18n.t().landing_subtitle}</h2>
                <nav class="mt-3 grid gap-3">
                    {card("/staff", IconName::Building, |t| t.landing_staff_title, |t| t.landing_staff_text, "entry-staff")}
                    {card("/cabinet", IconName::Home, |t| t.landing_cabinet_title, |t| t.landing_cabinet_text, "entry-cabinet")}
                    {card("/guard", IconName::Shield, |t| t.landing_guard_title, |t| t.landing_guard_text, "entry-guard")}
                </nav>
            </main>
        </div>
    }
}
