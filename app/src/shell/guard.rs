//! The guard desk layout (tablet, landscape and portrait): high-contrast dark header, huge type,
//! large targets. Installs as its own PWA (`/manifests/guard.webmanifest`). The home screen shows
//! the local time and whether the tablet can reach the server (checked against `/readyz`), which a
//! guard must know before trusting any verdict on screen.

use crate::i18n::{fill, use_i18n};
use crate::ui::LanguageSwitch;
use crate::ui::{Icon, IconName};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::components::Outlet;

#[component]
pub fn GuardLayout() -> impl IntoView {
    let i18n = use_i18n();
    // Ending the shift signs the tablet out and clears what the browser kept (Clear-Site-Data).
    // Offline, the session is still open on the server: the tablet stays signed in and says why.
    let end_shift = crate::auth::pages::sign_out_action("/login?mode=guard");
    view! {
        <Link rel="manifest" href="/manifests/guard.webmanifest" />
        <div class="flex min-h-dvh flex-col bg-ink-950 text-white">
            <header class="flex min-h-16 items-center justify-between gap-3 border-b border-white/10 px-4 sm:px-8">
                <a href="/guard" class="flex min-w-0 items-center gap-2 text-lg font-bold sm:gap-3 sm:text-xl">
                    <Icon name=IconName::Shield class="size-7 shrink-0 text-brand-300 sm:size-8" />
                    <span>{move || i18n.t().guard_title}</span>
                </a>
                <div class="flex items-center gap-2 sm:gap-3">
                    <LanguageSwitch dark=true />
                    // On a phone-sized screen only the icon shows; the name stays for screen readers.
                    <button
                        type="button"
                        class="inline-flex min-h-12 min-w-12 items-center justify-center gap-2 rounded-xl px-3 text-base font-semibold text-white ring-2 ring-inset ring-white/30 hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-brand-300 disabled:opacity-60 sm:px-4"
                        data-testid="guard-end-shift"
                        aria-label=move || i18n.t().guard_end_shift
                        title=move || i18n.t().guard_end_shift
                        disabled=move || end_shift.pending().get()
                        on:click=move |_| { end_shift.dispatch(crate::auth::api::SignOut {}); }
                    >
                        <Icon name=IconName::LogOut class="size-5" />
                        <span class="hidden sm:inline">{move || i18n.t().guard_end_shift}</span>
                    </button>
                </div>
            </header>
            <main id="main" class="flex flex-1 flex-col px-4 py-6 sm:px-8">
                <Outlet />
            </main>
        </div>
    }
}

/// Connection state of the tablet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser learns the connection state")
)]
enum Connection {
    Checking,
    Online,
    Offline,
}

#[component]
pub fn GuardHome() -> impl IntoView {
    let i18n = use_i18n();
    // Both stay empty on the server and during hydration; the browser fills them in.
    let clock = RwSignal::new(None::<(String, String)>);
    let link = RwSignal::new(Connection::Checking);
    let checked_at = RwSignal::new(None::<String>);

    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            let tick = move || clock.set(Some(browser::now(i18n.locale())));
            tick();
            let _ = set_interval_with_handle(tick, std::time::Duration::from_secs(1));
            let check = move || {
                leptos::task::spawn_local(async move {
                    let ok = browser::server_ready().await;
                    link.set(if ok {
                        Connection::Online
                    } else {
                        Connection::Offline
                    });
                    checked_at.set(Some(browser::now(i18n.locale()).0));
                });
            };
            check();
            let _ = set_interval_with_handle(check, std::time::Duration::from_secs(15));
        });
    }

    view! {
        <Title text=move || i18n.t().guard_title />
        <div class="grid flex-1 content-center gap-8 lg:grid-cols-2 lg:items-center">
            <section aria-label=move || i18n.t().guard_now>
                <p class="text-lg font-medium uppercase tracking-widest text-white/70">{move || i18n.t().guard_now}</p>
                <p class="mt-2 text-7xl font-bold tabular-nums sm:text-8xl" data-testid="guard-clock">
                    {move || clock.get().map_or_else(|| "––:––:––".to_owned(), |c| c.0)}
                </p>
                <p class="mt-2 text-2xl text-white/80">{move || clock.get().map(|c| c.1).unwrap_or_default()}</p>
            </section>
            <section
                class=move || format!(
                    "flex items-center gap-5 rounded-3xl p-6 ring-2 sm:p-8 {}",
                    match link.get() {
                        Connection::Online => "bg-success-900/60 ring-success-400",
                        Connection::Offline => "bg-danger-900/70 ring-danger-400",
                        Connection::Checking => "bg-white/5 ring-white/20",
                    },
                )
                role="status"
                aria-live="polite"
                data-testid="guard-link"
                data-state=move || match link.get() { Connection::Online => "online", Connection::Offline => "offline", Connection::Checking => "checking" }
            >
                {move || match link.get() {
                    Connection::Offline => view! { <Icon name=IconName::WifiOff class="size-14 shrink-0 text-danger-200" /> }.into_any(),
                    _ => view! { <Icon name=IconName::Wifi class="size-14 shrink-0 text-success-200" /> }.into_any(),
                }}
                <div>
                    <p class="text-3xl font-bold">
                        {move || match link.get() {
                            Connection::Online => i18n.t().guard_online,
                            Connection::Offline => i18n.t().guard_offline,
                            Connection::Checking => i18n.t().guard_checking,
                        }}
                    </p>
                    <p class="mt-1 text-lg text-white/80">
                        {move || checked_at.get().map(|t| fill(i18n.t().guard_last_check, &[("time", &t)])).unwrap_or_default()}
                    </p>
                </div>
            </section>
        </div>
        <p class="mt-8 text-lg text-white/70">{move || i18n.t().guard_lead}</p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::i18n::{Locale, format_date};
    use wasm_bindgen::JsCast;

    /// ("14:05:09", "21 ноября 2026") in the tablet's local time.
    pub fn now(locale: Locale) -> (String, String) {
        let d = js_sys::Date::new_0();
        let time = format!(
            "{:02}:{:02}:{:02}",
            d.get_hours(),
            d.get_minutes(),
            d.get_seconds()
        );
        let date = chrono::NaiveDate::from_ymd_opt(
            i32::try_from(d.get_full_year()).unwrap_or(1970),
            d.get_month() + 1,
            d.get_date(),
        )
        .map(|day| format_date(day, locale))
        .unwrap_or_default();
        (time, date)
    }

    /// True when `/readyz` answers 200 (the server is up and its database answers). The body is
    /// read to the end: an unread body of a `no-store` answer keeps the request open.
    pub async fn server_ready() -> bool {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let Ok(resp) = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str("/readyz")).await
        else {
            return false;
        };
        let Ok(resp) = resp.dyn_into::<web_sys::Response>() else {
            return false;
        };
        let ok = resp.ok();
        if let Ok(text) = resp.text() {
            let _ = wasm_bindgen_futures::JsFuture::from(text).await;
        }
        ok
    }
}
