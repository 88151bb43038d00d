//! The language switch: changes the UI language at once (no reload) and remembers it.

use super::{Icon, IconName, ToastKind, use_toasts};
use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;

/// A compact RU / EN toggle. `dark` renders it for dark headers.
#[component]
pub fn LanguageSwitch(#[prop(optional)] dark: bool) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let group = if dark {
        "bg-white/10 ring-white/20"
    } else {
        "bg-ink-100 ring-ink-200"
    };
    view! {
        <div role="group" aria-label=move || i18n.t().common_language class=format!("inline-flex items-center gap-1 rounded-lg p-1 ring-1 {group}")>
            <Icon name=IconName::Globe class=if dark { "mx-1 hidden size-4 text-white/80 sm:block" } else { "mx-1 hidden size-4 text-ink-500 sm:block" } />
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    let active = move || i18n.locale() == locale;
                    view! {
                        <button
                            type="button"
                            lang=locale.code()
                            title=locale.native_name()
                            aria-pressed=move || if active() { "true" } else { "false" }
                            data-testid=format!("lang-{}", locale.code())
                            class=move || {
                                let base = "min-h-8 min-w-10 rounded-md px-2 text-xs font-bold uppercase tracking-wide focus-visible:outline-2 focus-visible:outline-brand-500";
                                match (active(), dark) {
                                    (true, false) => format!("{base} bg-white text-brand-800 shadow-sm"),
                                    (true, true) => format!("{base} bg-white text-ink-900"),
                                    (false, false) => format!("{base} text-ink-600 hover:text-ink-900"),
                                    (false, true) => format!("{base} text-white/80 hover:text-white"),
                                }
                            }
                            on:click=move |_| {
                                if i18n.locale() != locale {
                                    i18n.set_locale(locale);
                                    toasts.push(ToastKind::Info, locale.table().common_language_changed);
                                }
                            }
                        >
                            {locale.code()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
