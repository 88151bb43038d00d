//! The unit history: one story of a unit told from every module's records — its own changes
//! (buildings), people linked or unlinked (people), residents invited, confirmed or ended
//! (residents) and the import rows that wrote it (imports). It sits above those modules and is
//! shown on the unit page through the shell (`buildings::unit_pages::UnitSlots`), so
//! `buildings` names none of them. Needs `buildings.view` reaching the building; what is shown
//! of people follows `people.view` and `people.view_personal_data`. Endpoint: `/api/history/unit`.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
