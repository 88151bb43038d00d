//! Time zones. Every time is stored in UTC and shown in the company's zone (a company setting).
//! The zones offered are those of Russia and its neighbours, none of which moves its clocks
//! (Russia stopped in 2014, Kazakhstan unified on UTC+5 in 2024), so a zone is a fixed offset:
//! the browser needs no time-zone database and the server and the browser render the same text.

use super::Locale;
use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};
use leptos::prelude::*;

/// A time zone a company can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    /// The IANA name stored in the database (`Europe/Moscow`).
    pub id: &'static str,
    /// Minutes east of UTC.
    pub offset_minutes: i32,
    ru: &'static str,
    en: &'static str,
}

const fn z(id: &'static str, hours: i32, ru: &'static str, en: &'static str) -> Zone {
    Zone {
        id,
        offset_minutes: hours * 60,
        ru,
        en,
    }
}

/// The zones offered, west to east.
pub const ZONES: &[Zone] = &[
    z("Europe/Kaliningrad", 2, "Калининград", "Kaliningrad"),
    z("Europe/Moscow", 3, "Москва", "Moscow"),
    z("Europe/Minsk", 3, "Минск", "Minsk"),
    z("Europe/Samara", 4, "Самара", "Samara"),
    z("Asia/Yerevan", 4, "Ереван", "Yerevan"),
    z("Asia/Yekaterinburg", 5, "Екатеринбург", "Yekaterinburg"),
    z("Asia/Almaty", 5, "Алматы", "Almaty"),
    z("Asia/Tashkent", 5, "Ташкент", "Tashkent"),
    z("Asia/Omsk", 6, "Омск", "Omsk"),
    z("Asia/Bishkek", 6, "Бишкек", "Bishkek"),
    z("Asia/Novosibirsk", 7, "Новосибирск", "Novosibirsk"),
    z("Asia/Krasnoyarsk", 7, "Красноярск", "Krasnoyarsk"),
    z("Asia/Irkutsk", 8, "Иркутск", "Irkutsk"),
    z("Asia/Yakutsk", 9, "Якутск", "Yakutsk"),
    z("Asia/Vladivostok", 10, "Владивосток", "Vladivostok"),
    z("Asia/Magadan", 11, "Магадан", "Magadan"),
    z(
        "Asia/Kamchatka",
        12,
        "Петропавловск-Камчатский",
        "Petropavlovsk-Kamchatsky",
    ),
];

/// The zone of a company that has not chosen one, and of the platform operator.
pub const DEFAULT_ZONE: &str = "Europe/Moscow";

impl Zone {
    /// The zone with this IANA name.
    pub fn find(id: &str) -> Option<&'static Zone> {
        ZONES.iter().find(|z| z.id == id)
    }

    /// The zone with this name, or Moscow.
    pub fn or_default(id: &str) -> &'static Zone {
        Self::find(id).unwrap_or(&ZONES[1])
    }

    pub fn offset(&self) -> FixedOffset {
        FixedOffset::east_opt(self.offset_minutes * 60).unwrap_or_else(|| Utc.fix())
    }

    /// "Москва (UTC+3)".
    pub fn label(&self, locale: Locale) -> String {
        let city = match locale {
            Locale::Ru => self.ru,
            Locale::En => self.en,
        };
        format!("{city} (UTC{:+})", self.offset_minutes / 60)
    }

    /// The local calendar date of an instant in this zone.
    pub fn date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset()).date_naive()
    }
}

/// The zone times are shown in, provided by the layout once the signed-in user is known.
#[derive(Debug, Clone, Copy)]
pub struct ZoneContext(pub Signal<&'static Zone>);

/// Provides the zone of the signed-in user's company to the pages below.
pub fn provide_zone(zone: Signal<&'static Zone>) {
    provide_context(ZoneContext(zone));
}

/// The zone to show times in (Moscow outside a layout that knows the user).
pub fn use_zone() -> Signal<&'static Zone> {
    use_context::<ZoneContext>()
        .map_or_else(|| Signal::stored(Zone::or_default(DEFAULT_ZONE)), |c| c.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_unique_known_and_labelled() {
        let mut ids: Vec<_> = ZONES.iter().map(|z| z.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ZONES.len());
        assert_eq!(Zone::or_default("Mars/Olympus").id, DEFAULT_ZONE);
        let msk = Zone::or_default(DEFAULT_ZONE);
        assert_eq!(msk.label(Locale::Ru), "Москва (UTC+3)");
        let at: DateTime<Utc> = "2026-12-04T21:30:00Z".parse().expect("time");
        assert_eq!(msk.date(at).to_string(), "2026-12-05");
        assert_eq!(
            super::super::format_datetime_in(at, msk, Locale::Ru),
            "5 декабря 2026, 00:30"
        );
    }
}
