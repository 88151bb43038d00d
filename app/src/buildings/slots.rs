//! What other modules show on the buildings' screens. `buildings` names no module above it (the
//! registry's people, residents, the unit history all name buildings), so the shell, which names
//! them all, fills these slots and provides them as context to the staff workspace. A screen
//! without the context (a test rendering one page) just leaves the slot empty.

use super::model::UnitId;
use leptos::prelude::*;

/// The unit a slot on the unit page is for.
#[derive(Debug, Clone)]
pub struct UnitSlot {
    pub unit: UnitId,
    /// "Лесная, 12 — 5": how the people panel names the unit.
    pub label: String,
    /// Whether the caller sees the registry's people of the unit (`people.view`).
    pub can_see_people: bool,
}

/// The slots, each a plain function so the context is `Copy` and the same on the server and in
/// the browser.
#[derive(Clone, Copy)]
pub struct BuildingSlots {
    /// Above the list of buildings: the residents' claims waiting for staff.
    pub buildings_top: fn() -> AnyView,
    /// The unit page's main column: its people, its cabinet residents and its history.
    pub unit_main: fn(UnitSlot) -> AnyView,
}

/// Fills a slot from the context, or leaves it empty.
pub fn slot<T>(fill: impl FnOnce(BuildingSlots) -> T) -> Option<T> {
    use_context::<BuildingSlots>().map(fill)
}
