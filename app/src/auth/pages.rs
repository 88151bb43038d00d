//! Sign-in pages. `/login`: staff sign in with login and password; `?mode=guard` signs a guard
//! tablet in for one shift. `/cabinet/login`: residents sign in with their phone and a one-time
//! code from an SMS, or with a password they set. Errors sit under the form in plain words; no
//! page says whether a login or a phone has an account.

use super::model::SignInMode;
use crate::AppError;
use crate::i18n::{fill, use_i18n};
use crate::ui::LanguageSwitch;
use crate::ui::{Button, ButtonSize, FormError, Icon, IconName, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A `next` target is followed only when it is a path on this site, as the browser will read it.
///
/// URL parsers (the WHATWG rules every browser follows) drop tabs and newlines anywhere, trim
/// controls and spaces at the ends, and read `\\` as `/`: `/\t/evil.example` becomes
/// `//evil.example`, another site. So a target must start with one `/` followed by anything but
/// `/` or `\\`, and hold no control character, no whitespace and no backslash at all; anything
/// else falls back to the home page. Property-tested against a WHATWG parser (the `url` crate).
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| {
        let mut chars = n.chars();
        n.len() <= 2048
            && chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && !n
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    })
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
            go_after_sign_in(next.get_untracked(), done.home);
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
                        <div class="mt-4"><FormError message=error test_id="sign-in-error" /></div>
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
                            view! {
                                <span class="flex flex-wrap justify-center gap-x-5 gap-y-2">
                                    <a class="font-medium text-brand-700 underline" href="/login?mode=guard">{i18n.t().auth_to_guard}</a>
                                    <a class="font-medium text-brand-700 underline" href="/cabinet/login">{i18n.t().auth_to_resident}</a>
                                </span>
                            }.into_any()
                        }}
                    </p>
                </main>
            </div>
        </div>
    }
}

/// The sign-out action of a layout's button. Once the server has ended the session (or it was
/// gone already) the page leaves for `to`; when the server could not be reached the session is
/// still open, so the page stays, signed in, and says why (press again once online).
pub fn sign_out_action(to: &'static str) -> ServerAction<super::api::SignOut> {
    let i18n = use_i18n();
    let toasts = crate::ui::use_toasts();
    let action = ServerAction::<super::api::SignOut>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(()) | Err(AppError::Unauthenticated)) => leave_after_sign_out(to),
        Some(Err(e)) => toasts.push(crate::ui::ToastKind::Error, e.describe(i18n.t())),
        None => {}
    });
    action
}

/// After signing out: empties Cache Storage (whatever an older service worker kept, in browsers
/// that ignore `Clear-Site-Data`, e.g. on plain http in a LAN) and then goes to `to`.
pub fn leave_after_sign_out(to: &'static str) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        use wasm_bindgen::JsCast as _;
        use wasm_bindgen_futures::JsFuture;
        let Some(w) = web_sys::window() else {
            return;
        };
        if let Ok(caches) = w.caches()
            && let Ok(keys) = JsFuture::from(caches.keys()).await
        {
            let keys: js_sys::Array = keys.unchecked_into();
            for key in keys.iter() {
                if let Some(name) = key.as_string() {
                    let _ = JsFuture::from(caches.delete(&name)).await;
                }
            }
        }
        let _ = w.location().assign(to);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = to;
}

/// Follows a successful sign-in to `next` (a path on this site) or the user's home.
fn go_after_sign_in(next: Option<String>, home: String) {
    let target = next.unwrap_or(home);
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(&target);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = target;
}

/// How a resident signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResidentMode {
    Code,
    Password,
}

/// The message for a resident sign-in error, in the current language.
const RESIDENT_FIELDS: &[crate::ui::FieldText] = &[
    ("phone", None, |t| t.auth_phone_invalid),
    ("code", None, |t| t.auth_code_format),
    ("*", None, |t| t.auth_password_required),
];

fn resident_error(err: &AppError, t: &crate::i18n::Tr, mode: ResidentMode) -> String {
    match err {
        AppError::Unauthenticated if mode == ResidentMode::Code => t.auth_code_invalid.to_owned(),
        AppError::Unauthenticated => t.auth_resident_invalid.to_owned(),
        AppError::TooManyRequests(s) => fill(t.auth_too_many, &[("seconds", &s.to_string())]),
        other => crate::ui::error_text(other, t, RESIDENT_FIELDS),
    }
}

/// `/cabinet/login`: the resident's sign-in, phone first.
#[component]
pub fn ResidentSignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.with(|q| q.get("next"))));
    let mode = RwSignal::new(ResidentMode::Code);
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let request = ServerAction::<super::api::RequestCode>::new();
    let verify = ServerAction::<super::api::CodeSignIn>::new();
    let with_password = ServerAction::<super::api::SignIn>::new();
    // Seconds until another code may be asked for.
    let resend_in = RwSignal::new(0u64);
    let sent = Memo::new(move |_| request.value().get().and_then(Result::ok));

    Effect::new(move |_| {
        if let Some(Ok(done)) = verify.value().get() {
            go_after_sign_in(next.get_untracked(), done.home);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(done)) = with_password.value().get() {
            go_after_sign_in(next.get_untracked(), done.home);
        }
    });
    Effect::new(move |_| {
        if let Some(s) = sent.get() {
            resend_in.set(s.resend_after_secs);
            code.set(String::new());
            let _ = set_interval_with_handle(
                move || resend_in.update(|n| *n = n.saturating_sub(1)),
                std::time::Duration::from_secs(1),
            );
        }
    });

    let error = Signal::derive(move || {
        let t = i18n.t();
        let m = mode.get();
        let latest = match m {
            ResidentMode::Password => with_password.value().get().and_then(Result::err),
            ResidentMode::Code if sent.get().is_some() => {
                verify.value().get().and_then(Result::err)
            }
            ResidentMode::Code => request.value().get().and_then(Result::err),
        };
        latest.map(|e| resident_error(&e, t, m))
    });
    let ask_code = move || {
        request.dispatch(super::api::RequestCode {
            phone: phone.get_untracked(),
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match (mode.get_untracked(), sent.get_untracked()) {
            (ResidentMode::Password, _) => {
                with_password.dispatch(super::api::SignIn {
                    login: phone.get_untracked(),
                    password: password.get_untracked(),
                    mode: SignInMode::Resident,
                });
            }
            (ResidentMode::Code, Some(s)) => {
                verify.dispatch(super::api::CodeSignIn {
                    phone: s.phone,
                    code: code.get_untracked(),
                });
            }
            (ResidentMode::Code, None) => ask_code(),
        }
    };
    let pending = Signal::derive(move || {
        request.pending().get() || verify.pending().get() || with_password.pending().get()
    });
    let tab = move |m: ResidentMode| {
        move || {
            if mode.get() == m {
                "flex-1 rounded-lg bg-white px-3 py-2 text-sm font-semibold text-brand-800 shadow-sm ring-1 ring-ink-200"
            } else {
                "flex-1 rounded-lg px-3 py-2 text-sm font-medium text-ink-700 hover:text-ink-900"
            }
        }
    };

    view! {
        <Title text=move || i18n.t().auth_resident_title />
        <leptos_meta::Link rel="manifest" href="/manifests/cabinet.webmanifest" />
        <div class="min-h-dvh bg-ink-50">
            <div class="mx-auto flex min-h-dvh max-w-md flex-col px-4 py-6">
                <header class="flex items-center justify-between">
                    <a href="/" class="flex items-center gap-2 font-bold text-brand-800">
                        <img src="/icons/icon.svg" alt="" class="size-8" />
                        {move || i18n.t().cabinet_title}
                    </a>
                    <LanguageSwitch />
                </header>
                <main id="main" class="flex flex-1 flex-col justify-center py-8">
                    <form class="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-ink-200 sm:p-8" on:submit=submit novalidate data-testid="resident-sign-in-form">
                        <div class="mb-5 flex items-center gap-3">
                            <span class="rounded-xl bg-brand-50 p-2.5 text-brand-700">
                                <Icon name=IconName::Home class="size-6" />
                            </span>
                            <div>
                                <h1 class="text-xl font-bold text-ink-900">{move || i18n.t().auth_resident_title}</h1>
                                <p class="text-sm text-ink-600">{move || i18n.t().auth_resident_lead}</p>
                            </div>
                        </div>
                        <div class="mb-5 flex gap-1 rounded-xl bg-ink-100 p-1" role="group">
                            <button type="button" class=tab(ResidentMode::Code) aria-pressed=move || (mode.get() == ResidentMode::Code).to_string()
                                on:click=move |_| mode.set(ResidentMode::Code) data-testid="mode-code">
                                {move || i18n.t().auth_with_code}
                            </button>
                            <button type="button" class=tab(ResidentMode::Password) aria-pressed=move || (mode.get() == ResidentMode::Password).to_string()
                                on:click=move |_| mode.set(ResidentMode::Password) data-testid="mode-password">
                                {move || i18n.t().auth_with_password}
                            </button>
                        </div>
                        <div class="space-y-4">
                            <Show
                                when=move || mode.get() == ResidentMode::Code && sent.get().is_some()
                                fallback=move || view! {
                                    <TextField id="phone" input_type="tel" inputmode="tel" autocomplete="tel"
                                        label=Signal::derive(move || i18n.t().auth_phone.to_owned())
                                        hint=Signal::derive(move || i18n.t().auth_phone_hint.to_owned())
                                        value=phone />
                                }
                            >
                                <p class="rounded-lg bg-info-50 px-3 py-2 text-sm text-info-900 ring-1 ring-info-200" data-testid="code-sent">
                                    {move || sent.get().map(|s| fill(i18n.t().auth_code_sent, &[
                                        ("phone", &crate::i18n::format_phone(&s.phone)),
                                        ("minutes", &s.valid_minutes.to_string()),
                                    ])).unwrap_or_default()}
                                </p>
                                <TextField id="code" inputmode="numeric" autocomplete="one-time-code"
                                    label=Signal::derive(move || i18n.t().auth_code.to_owned())
                                    value=code />
                            </Show>
                            <Show when=move || mode.get() == ResidentMode::Password>
                                <TextField id="password" input_type="password" autocomplete="current-password"
                                    label=Signal::derive(move || i18n.t().auth_password.to_owned())
                                    value=password />
                            </Show>
                        </div>
                        <div class="mt-4"><FormError message=error test_id="sign-in-error" /></div>
                        <div class="mt-6 grid gap-3">
                            <Button button_type="submit" size=ButtonSize::Lg disabled=pending test_id="resident-submit">
                                {move || {
                                    let t = i18n.t();
                                    if pending.get() { t.auth_signing_in }
                                    else if mode.get() == ResidentMode::Code && sent.get().is_none() { t.auth_get_code }
                                    else { t.auth_submit }
                                }}
                            </Button>
                            <Show when=move || mode.get() == ResidentMode::Code && sent.get().is_some()>
                                <div class="flex flex-wrap items-center justify-between gap-2 text-sm">
                                    <button type="button" class="font-medium text-brand-700 underline disabled:text-ink-500 disabled:no-underline"
                                        disabled=move || { resend_in.get() > 0 || pending.get() }
                                        on:click=move |_| ask_code() data-testid="resend-code">
                                        {move || if resend_in.get() > 0 {
                                            fill(i18n.t().auth_code_resend_in, &[("seconds", &resend_in.get().to_string())])
                                        } else {
                                            i18n.t().auth_code_resend.to_owned()
                                        }}
                                    </button>
                                    <button type="button" class="font-medium text-ink-700 underline" on:click=move |_| request.value().set(None) data-testid="change-phone">
                                        {move || i18n.t().auth_code_change_phone}
                                    </button>
                                </div>
                            </Show>
                        </div>
                    </form>
                    <p class="mt-6 text-center text-sm text-ink-600">{move || i18n.t().auth_resident_no_account}</p>
                    <p class="mt-2 text-center text-sm">
                        <a class="font-medium text-brand-700 underline" href="/login">{move || i18n.t().auth_to_staff_login}</a>
                    </p>
                </main>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;
    use proptest::prelude::*;

    #[test]
    fn next_stays_on_this_site() {
        for good in [
            "/staff/companies?q=1",
            "/staff/people?q=Лесная 12",
            "/cabinet",
            "/staff/units/7#unit-7",
        ] {
            let good = good.replace(' ', "%20");
            assert_eq!(
                safe_next(Some(good.clone())).as_deref(),
                Some(good.as_str())
            );
        }
        // The probe's finds (`%09` and `%0A` arrive decoded) and their relatives.
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "staff",
            "",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\t\\evil.example",
            "/ /evil.example",
            "/staff\u{0}",
            "/staff\u{2028}x",
            "/staff\u{3000}",
            " /staff",
            "/staff ",
        ] {
            assert_eq!(safe_next(Some(bad.into())), None, "{bad:?}");
        }
        assert_eq!(safe_next(None), None);
        assert_eq!(safe_next(Some(format!("/{}", "a".repeat(3000)))), None);
    }

    /// Characters that change how a URL parses, and some that do not.
    fn tricky() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("/"),
            Just("\\"),
            Just("\t"),
            Just("\n"),
            Just("\r"),
            Just(" "),
            Just("\u{0}"),
            Just("\u{7f}"),
            Just("\u{a0}"),
            Just("\u{2028}"),
            Just("\u{3000}"),
            Just("\u{ff0f}"),
            Just(":"),
            Just("@"),
            Just("."),
            Just(".."),
            Just("%2F"),
            Just("%5C"),
            Just("%09"),
            Just("?"),
            Just("#"),
            Just("evil.example"),
            Just("http:"),
            Just("https:"),
            Just("javascript:"),
            Just("staff"),
            Just("а"),
            Just("é"),
            Just("1"),
        ];
        proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Whatever is accepted, the browser's parser resolves on this site, unchanged.
        #[test]
        fn an_accepted_target_never_leaves_the_site(s in tricky()) {
            if let Some(kept) = safe_next(Some(s.clone())) {
                prop_assert_eq!(&kept, &s);
                let base = url::Url::parse("https://platforma.test/login").expect("base");
                let joined = base.join(&kept).expect("an accepted target parses");
                prop_assert_eq!(joined.scheme(), "https");
                prop_assert_eq!(joined.host_str(), Some("platforma.test"));
                prop_assert_eq!(joined.port(), None);
                prop_assert_eq!(joined.username(), "");
            }
        }

        /// Arbitrary text never panics and never escapes either.
        #[test]
        fn any_text_is_judged(s in ".{0,40}") {
            if let Some(kept) = safe_next(Some(s)) {
                let base = url::Url::parse("https://platforma.test/login").expect("base");
                let joined = base.join(&kept).expect("parses");
                prop_assert_eq!(joined.host_str(), Some("platforma.test"));
            }
        }
    }
}
