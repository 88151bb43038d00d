//! Translations, plural rules and Russian-first formatting of dates and numbers.
//!
//! Strings live in `app/locales/{ru,en}.toml`; `build.rs` turns them into [`Tr`] with one static per
//! locale ([`RU`], [`EN`]), checked at compile time. Components read the current table through
//! [`use_i18n`]: `{move || i18n.t().nav_overview}`. The chosen locale is kept in the `lang` cookie so
//! the server renders the same language the browser will hydrate; Russian is the default.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

mod format;
mod zone;
pub use format::{format_date, format_datetime_in, format_int, format_money, format_phone};
pub use zone::{DEFAULT_ZONE, ZONES, Zone, ZoneContext, provide_zone, use_zone};

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Ru,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ru, Locale::En];
    /// The cookie that remembers the user's choice.
    pub const COOKIE: &'static str = "lang";

    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// Parses a language code ("ru", "en-US"); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// Finds the `lang` cookie in a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Option<Self> {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == Self::COOKIE)
            .and_then(|(_, value)| Self::from_code(value))
    }

    /// The name of the language in that language, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Ru => "Русский",
            Self::En => "English",
        }
    }

    pub fn table(self) -> &'static Tr {
        match self {
            Self::Ru => &RU,
            Self::En => &EN,
        }
    }
}

/// The CLDR plural category of an integer in a locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralCategory {
    One,
    Few,
    Many,
    Other,
}

impl Locale {
    /// CLDR cardinal plural rules for integers (Russian: 1, 21, 101 → one; 2–4, 22–24 → few;
    /// 0, 5–20, 25–30, 11–14 → many; English: 1 → one, else other).
    pub fn plural_category(self, n: i64) -> PluralCategory {
        let n = n.unsigned_abs();
        match self {
            Self::Ru => {
                let (m10, m100) = (n % 10, n % 100);
                if m10 == 1 && m100 != 11 {
                    PluralCategory::One
                } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                    PluralCategory::Few
                } else {
                    PluralCategory::Many
                }
            }
            Self::En => {
                if n == 1 {
                    PluralCategory::One
                } else {
                    PluralCategory::Other
                }
            }
        }
    }
}

/// A string with plural forms; `{n}` in a form is replaced by the formatted number.
#[derive(Debug, Clone, Copy)]
pub struct Plural {
    pub locale: Locale,
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub other: &'static str,
}

impl Plural {
    /// "1 заявка", "2 заявки", "5 заявок".
    pub fn fmt(&self, n: i64) -> String {
        let form = match self.locale.plural_category(n) {
            PluralCategory::One => self.one,
            PluralCategory::Few => self.few,
            PluralCategory::Many => self.many,
            PluralCategory::Other => self.other,
        };
        form.replace("{n}", &format_int(n))
    }
}

/// Replaces `{name}` placeholders in a translated template.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The current locale, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
    /// The language of this server render. A page is rendered once in one language, so on the
    /// server translations are read from this plain value, never from the signal: `leptos_meta`
    /// formats the `<title>` after the render, outside the reactive owner, where reading a signal
    /// panics ("no Arena is active"), depending on which thread polls the response.
    #[cfg(feature = "ssr")]
    rendered: Locale,
}

impl I18n {
    fn new(locale: Locale) -> Self {
        Self {
            locale: RwSignal::new(locale),
            #[cfg(feature = "ssr")]
            rendered: locale,
        }
    }

    pub fn locale(&self) -> Locale {
        #[cfg(feature = "ssr")]
        {
            self.rendered
        }
        #[cfg(not(feature = "ssr"))]
        {
            self.locale.get()
        }
    }

    /// The translation table of the current locale (tracks the locale signal in the browser).
    pub fn t(&self) -> &'static Tr {
        self.locale().table()
    }

    /// Switches the language, remembers it in the cookie and updates `<html lang>`.
    pub fn set_locale(&self, locale: Locale) {
        self.locale.set(locale);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                if let Ok(html_doc) = doc.clone().dyn_into::<web_sys::HtmlDocument>() {
                    let cookie = format!(
                        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                        Locale::COOKIE,
                        locale.code()
                    );
                    let _ = html_doc.set_cookie(&cookie);
                }
                if let Some(el) = doc.document_element() {
                    let _ = el.set_attribute("lang", locale.code());
                }
            }
        }
    }
}

/// Provides the locale to the tree: on the server from the request's `lang` cookie, in the browser
/// from the same cookie, so both render the same language.
pub fn provide_i18n() -> I18n {
    let initial = initial_locale();
    let i18n = I18n::new(initial);
    provide_context(i18n);
    i18n
}

/// The i18n handle provided by [`provide_i18n`].
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n::new(Locale::default()))
}

fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .and_then(|c| Locale::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

/// A translated label as a signal (follows the language switch): `label(|t| t.unit_number)`.
/// For component props that take `Signal<String>`; call it inside a component.
pub fn label(f: fn(&Tr) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || f(i18n.t()).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plural_categories_follow_cldr() {
        let cases = [
            (0, PluralCategory::Many),
            (1, PluralCategory::One),
            (2, PluralCategory::Few),
            (4, PluralCategory::Few),
            (5, PluralCategory::Many),
            (11, PluralCategory::Many),
            (12, PluralCategory::Many),
            (14, PluralCategory::Many),
            (21, PluralCategory::One),
            (22, PluralCategory::Few),
            (25, PluralCategory::Many),
            (101, PluralCategory::One),
            (111, PluralCategory::Many),
            (1001, PluralCategory::One),
        ];
        for (n, want) in cases {
            assert_eq!(Locale::Ru.plural_category(n), want, "ru plural of {n}");
        }
    }

    #[test]
    fn english_plural_categories() {
        assert_eq!(Locale::En.plural_category(1), PluralCategory::One);
        for n in [0, 2, 11, 21] {
            assert_eq!(
                Locale::En.plural_category(n),
                PluralCategory::Other,
                "en plural of {n}"
            );
        }
    }

    #[test]
    fn plural_strings_render_with_grouped_numbers() {
        let p = RU.plural_companies;
        assert_eq!(p.fmt(1), "1 компания");
        assert_eq!(p.fmt(3), "3 компании");
        assert_eq!(p.fmt(11), "11 компаний");
        assert_eq!(p.fmt(12_345), "12\u{a0}345 компаний");
        assert_eq!(EN.plural_companies.fmt(1), "1 company");
        assert_eq!(EN.plural_companies.fmt(2), "2 companies");
    }

    #[test]
    fn locale_is_read_from_cookie_header() {
        assert_eq!(
            Locale::from_cookie_header("a=1; lang=en; b=2"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_cookie_header("lang=ru"), Some(Locale::Ru));
        assert_eq!(Locale::from_cookie_header("lang=de"), None);
        assert_eq!(Locale::from_cookie_header("xlang=en"), None);
        assert_eq!(Locale::from_code("en-US"), Some(Locale::En));
    }

    #[test]
    fn fill_replaces_named_placeholders() {
        assert_eq!(fill("{a} и {b}", &[("a", "1"), ("b", "2")]), "1 и 2");
    }
}
