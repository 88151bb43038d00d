//! Pieces the people screens share: error texts, relation colours and words, the name link,
//! the hits table, and small helpers.

use super::person::{PersonBrief, PersonHit, PersonKind, SearchField};
use crate::AppError;
use crate::Invalid;
use crate::i18n::{Tr, fill, format_date, label, use_i18n};
use crate::ui::{Badge, TD, TR, Table, TableHead, Tone};
use crate::ui::{FieldText, error_text};
use crate::values::Relation;
use leptos::prelude::*;
use std::fmt::Write as _;

/// The message for a people error, in the current language.
pub const PEOPLE_FIELDS: &[FieldText] = &[
    ("last_name", Some(Invalid::Required), |t| {
        t.people_error_name
    }),
    ("organization", Some(Invalid::Required), |t| {
        t.people_error_organization
    }),
    ("phones", None, |t| t.people_error_phone),
    ("phone", None, |t| t.people_error_phone),
    ("emails", None, |t| t.people_error_email),
    ("email", None, |t| t.people_error_email),
    ("share", Some(Invalid::OwnersOnly), |t| {
        t.people_error_share_owner
    }),
    ("share", None, |t| t.people_error_share),
    ("valid_to", Some(Invalid::BeforeStart), |t| {
        t.people_error_period
    }),
    ("valid_from", Some(Invalid::Future), |t| {
        t.people_error_future
    }),
    ("valid_to", Some(Invalid::Future), |t| t.people_error_future),
    ("given_on", Some(Invalid::Future), |t| t.people_error_future),
    ("valid_from", None, |t| t.people_error_date),
    ("valid_to", None, |t| t.people_error_date),
    ("given_on", None, |t| t.people_error_date),
    ("building", None, |t| t.people_error_building),
    ("number", Some(Invalid::NotFound), |t| t.people_error_unit),
    ("unit", None, |t| t.people_error_unit),
    ("number", None, |t| t.unit_error_number),
    ("plate", Some(Invalid::Taken), |t| {
        t.people_error_plate_taken
    }),
    ("plate", None, |t| t.people_error_plate),
    ("body", Some(Invalid::Required), |t| t.people_error_note),
    ("q", Some(Invalid::TooShort), |t| t.people_error_query_short),
    ("*", Some(Invalid::TooLong), |t| t.errors_too_long),
];

pub fn people_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, PEOPLE_FIELDS)
}

/// Owners green and tenants cyan, as in the шахматка's occupancy mode (one palette everywhere).
pub fn relation_tone(r: Relation) -> Tone {
    match r {
        Relation::Owner => Tone::Success,
        Relation::Tenant => Tone::Info,
        Relation::Occupant | Relation::Representative => Tone::Neutral,
    }
}

pub fn kind_options(t: &Tr) -> Vec<(String, String)> {
    vec![
        ("person".into(), t.people_kind_person.into()),
        ("organization".into(), t.people_kind_organization.into()),
    ]
}

pub fn relation_options(t: &Tr) -> Vec<(String, String)> {
    Relation::ALL
        .iter()
        .map(|r| (r.as_db().to_owned(), r.label(t).to_owned()))
        .collect()
}

/// "с 1 февраля 2024 по 31 января 2025", "1/2", or nothing.
pub fn relation_details(
    t: &Tr,
    locale: crate::i18n::Locale,
    share: Option<&String>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> String {
    let mut parts = Vec::new();
    if let Some(s) = share {
        parts.push(fill(t.people_share_n, &[("share", s)]));
    }
    if let Some(d) = from {
        parts.push(fill(t.people_from, &[("date", &format_date(d, locale))]));
    }
    if let Some(d) = to {
        parts.push(fill(t.people_to, &[("date", &format_date(d, locale))]));
    }
    parts.join(" · ")
}

/// A person's relation as the audit log writes it ("owner #5 1/2 2024-01-01–"): "Собственник ·
/// доля 1/2 · с 01.01.2024". `None` when it does not start with a relation.
pub fn link_text(t: &Tr, locale: crate::i18n::Locale, value: &str) -> Option<String> {
    let mut words = value.split_whitespace();
    let relation = Relation::from_db(words.next()?)?;
    let mut share = None;
    let (mut from, mut to) = (None, None);
    for w in words {
        if w.contains('/') {
            share = Some(w.to_owned());
        } else if let Some((a, b)) = w.split_once('–') {
            from = a.parse().ok();
            to = b.parse().ok();
        }
    }
    let details = relation_details(t, locale, share.as_ref(), from, to);
    let name = relation.label(t);
    Some(if details.is_empty() {
        name.to_owned()
    } else {
        format!("{name} · {details}")
    })
}

pub fn matched_label(t: &Tr, f: SearchField) -> &'static str {
    match f {
        SearchField::Name => t.people_matched_name,
        SearchField::Phone => t.people_matched_phone,
        SearchField::Plate => t.people_matched_plate,
        SearchField::Email => t.people_matched_email,
        SearchField::Account => t.people_matched_account,
        SearchField::Unit => t.people_matched_unit,
    }
}

/// A person's name as a link to the card.
#[component]
pub fn PersonLink(person: PersonBrief) -> impl IntoView {
    let org = person.kind == PersonKind::Organization;
    view! {
        <a href=format!("/staff/people/{}", person.id.0) class="font-medium text-brand-700 hover:underline" data-testid="person-link">
            {person.name}
        </a>
        {org.then(|| view! { <span class="ml-2"><Badge tone=Tone::Neutral>{move || use_i18n().t().people_kind_organization}</Badge></span> })}
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// People hits as a table, and as a list of cards on phones. `show_match` adds the column that
/// says what matched (search results).
#[component]
pub fn PeopleTable(items: Vec<PersonHit>, #[prop(optional)] show_match: bool) -> impl IntoView {
    let i18n = use_i18n();
    let matched_text = move |h: &PersonHit| {
        let (matched, detail) = (h.matched, h.detail.clone());
        move || {
            let l = matched_label(i18n.t(), matched);
            if detail.is_empty() {
                l.to_owned()
            } else {
                format!("{l}: {detail}")
            }
        }
    };
    let cards = items.clone();
    view! {
        <ul class="space-y-2 sm:hidden" data-testid="people-cards">
            {cards.into_iter().map(|h| {
                let units = h.person.units.join(", ");
                let phone = h.person.phone.clone().unwrap_or_default();
                let found = matched_text(&h);
                view! {
                    <li class="rounded-lg bg-white p-3 ring-1 ring-ink-200">
                        <PersonLink person=h.person />
                        <p class="text-sm tabular-nums text-ink-800">{phone}</p>
                        <p class="text-sm text-ink-600">{units}</p>
                        {show_match.then(|| view! { <p class="text-xs text-ink-600">{found}</p> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="hidden sm:block">
            <Table caption=label(|t| t.people_title)>
                <TableHead labels=Signal::derive(move || {
                    let t = i18n.t();
                    let mut l = vec![t.people_col_name, t.people_col_phone, t.people_col_units];
                    if show_match {
                        l.push(t.people_col_found);
                    }
                    l
                }) />
                <tbody data-testid="people-rows">
                    {items.into_iter().map(|h| {
                        let units = h.person.units.join(", ");
                        let phone = h.person.phone.clone().unwrap_or_default();
                        let found = matched_text(&h);
                        view! {
                            <tr class=TR>
                                <td class=TD><PersonLink person=h.person /></td>
                                <td class=format!("{TD} whitespace-nowrap tabular-nums")>{phone}</td>
                                <td class=TD>{units}</td>
                                {show_match.then(|| view! { <td class=format!("{TD} text-ink-600")>{found}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </Table>
        </div>
    }
}
