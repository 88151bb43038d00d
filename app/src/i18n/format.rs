//! Russian-first formatting: "21 ноября 2026", 24-hour times, thousands separated by a
//! no-break space, phone numbers as "+7 900 123-45-67".

use super::Locale;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

const RU_MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "21 ноября 2026" / "21 November 2026".
pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    let m = date.month0() as usize;
    match locale {
        Locale::Ru => format!("{} {} {}", date.day(), RU_MONTHS_GENITIVE[m], date.year()),
        Locale::En => format!("{} {} {}", date.day(), EN_MONTHS[m], date.year()),
    }
}

/// "21 ноября 2026, 12:05": an instant in a time zone (see [`super::Zone`]).
pub fn format_datetime_in(at: DateTime<Utc>, zone: &super::Zone, locale: Locale) -> String {
    let local = at.with_timezone(&zone.offset());
    format!(
        "{}, {:02}:{:02}",
        format_date(local.date_naive(), locale),
        local.hour(),
        local.minute()
    )
}

/// 1234567 → "1 234 567" with no-break spaces (the Russian convention, also fine in English UI).
pub fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('−');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(ch);
    }
    out
}

/// "+79001234567" → "+7 900 123-45-67"; anything that is not a Russian E.164 number is returned as is.
pub fn format_phone(e164: &str) -> String {
    let d: Vec<char> = e164.chars().collect();
    if d.len() == 12 && e164.starts_with("+7") && d[1..].iter().all(char::is_ascii_digit) {
        let s: String = d[2..].iter().collect();
        format!("+7 {} {}-{}-{}", &s[0..3], &s[3..6], &s[6..8], &s[8..10])
    } else {
        e164.to_owned()
    }
}

/// Kopecks as Russian money text: 1234567 → "12 345,67 ₽".
pub fn format_money(kopecks: i64) -> String {
    let rub = format_int(kopecks / 100);
    let sign = if kopecks < 0 && kopecks > -100 {
        "−"
    } else {
        ""
    };
    format!("{sign}{rub},{:02}\u{a0}₽", (kopecks % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_use_genitive_months() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).expect("valid date");
        assert_eq!(format_date(d, Locale::Ru), "21 ноября 2026");
        assert_eq!(format_date(d, Locale::En), "21 November 2026");
    }

    #[test]
    fn integers_group_thousands() {
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(999), "999");
        assert_eq!(format_int(1000), "1\u{a0}000");
        assert_eq!(format_int(-1_234_567), "−1\u{a0}234\u{a0}567");
    }

    #[test]
    fn phones_print_in_russian_style() {
        assert_eq!(format_phone("+79001234567"), "+7 900 123-45-67");
        assert_eq!(format_phone("+4930123"), "+4930123");
    }
}
