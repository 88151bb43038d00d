//! Inline SVG icons (drawn for Platforma on a 24-unit grid, stroke style). Served with the page:
//! no icon font, no external requests, works offline and under a strict CSP.

use leptos::prelude::*;

/// The icons the app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    Home,
    Building,
    Server,
    Search,
    Globe,
    Menu,
    Close,
    Phone,
    Mail,
    MapPin,
    Shield,
    User,
    Inbox,
    Alert,
    Check,
    Wifi,
    WifiOff,
    ChevronRight,
    Clock,
    LogOut,
    Lock,
    Monitor,
    Users,
    Grid,
}

impl IconName {
    fn paths(self) -> &'static [&'static str] {
        match self {
            Self::Grid => &[
                "M4 4h6v6H4z",
                "M14 4h6v6h-6z",
                "M4 14h6v6H4z",
                "M14 14h6v6h-6z",
            ],
            Self::Home => &["M3 11 12 4l9 7", "M5 10v10h5v-6h4v6h5V10"],
            Self::Building => &[
                "M4 21V4h10v17",
                "M14 9h6v12",
                "M2 21h20",
                "M7 8h1M10 8h1M7 12h1M10 12h1M7 16h1M10 16h1M17 13h1M17 17h1",
            ],
            Self::Server => &["M4 4h16v6H4z", "M4 14h16v6H4z", "M8 7h.01M8 17h.01"],
            Self::Search => &["M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14z", "m20 20-4-4"],
            Self::Globe => &[
                "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
                "M3 12h18",
                "M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z",
            ],
            Self::Menu => &["M4 6h16M4 12h16M4 18h16"],
            Self::Close => &["M6 6l12 12M18 6 6 18"],
            Self::Phone => &[
                "M6 3h3l2 5-2 1.5a12 12 0 0 0 5.5 5.5L16 13l5 2v3a3 3 0 0 1-3 3A15 15 0 0 1 3 6a3 3 0 0 1 3-3z",
            ],
            Self::Mail => &["M3 6h18v12H3z", "m3 7 9 6 9-6"],
            Self::MapPin => &[
                "M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z",
                "M12 7.5a2 2 0 1 0 0 4 2 2 0 0 0 0-4z",
            ],
            Self::Shield => &[
                "M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6z",
                "m9 12 2 2 4-4",
            ],
            Self::User => &["M12 4a4 4 0 1 0 0 8 4 4 0 0 0 0-8z", "M4 21a8 8 0 0 1 16 0"],
            Self::Inbox => &["M3 13h5l1.5 3h5l1.5-3h5", "M5 5h14l2 8v6H3v-6z"],
            Self::Alert => &["M12 3 2 20h20z", "M12 10v4M12 17h.01"],
            Self::Check => &["m5 12 5 5 9-10"],
            Self::Wifi => &[
                "M2 9a15 15 0 0 1 20 0",
                "M5 12.5a10 10 0 0 1 14 0",
                "M8.5 16a5 5 0 0 1 7 0",
                "M12 19.5h.01",
            ],
            Self::WifiOff => &[
                "M3 3l18 18",
                "M8.5 16a5 5 0 0 1 7 0",
                "M5 12.5a10 10 0 0 1 4.5-2.6",
                "M2 9a15 15 0 0 1 5-3.2",
                "M14.5 10a10 10 0 0 1 4.5 2.5",
                "M12 19.5h.01",
            ],
            Self::ChevronRight => &["m9 6 6 6-6 6"],
            Self::LogOut => &[
                "M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3",
                "M10 17l-5-5 5-5",
                "M5 12h11",
            ],
            Self::Clock => &["M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z", "M12 7v5l3 2"],
            Self::Lock => &["M5 11h14v10H5z", "M8 11V7a4 4 0 0 1 8 0v4", "M12 15v2"],
            Self::Monitor => &["M3 4h18v12H3z", "M8 20h8M12 16v4"],
            Self::Users => &[
                "M9 4a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
                "M2 21a7 7 0 0 1 14 0",
                "M16 4.5a4 4 0 0 1 0 7",
                "M18 14.5a7 7 0 0 1 4 6.5",
            ],
        }
    }
}

/// An icon; decorative (hidden from screen readers) unless `label` is given.
#[component]
pub fn Icon(
    name: IconName,
    /// Tailwind size/colour classes, e.g. "size-5 text-ink-500".
    #[prop(optional)]
    class: &'static str,
    /// Accessible name when the icon carries meaning on its own.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    view! {
        <svg
            class=class
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden=if label.is_some() { "false" } else { "true" }
            aria-label=label
            role=label.map(|_| "img")
        >
            {name.paths().iter().map(|d| view! { <path d=*d></path> }).collect_view()}
        </svg>
    }
}
