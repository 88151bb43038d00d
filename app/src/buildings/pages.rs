//! Buildings screens: the list with the "new building" generator (`/staff/buildings`), residents'
//! claims waiting for confirmation, and the building grid (шахматка, `/staff/buildings/:id`)
//! whose cells are links to the unit page (`unit_pages`); hovering a cell shows its summary.

use super::api::{
    AddFloor as AddFloorCall, BuildingCreate, WorkAreaSave, buildings_list, get_building_grid,
    work_areas,
};
use super::model::{
    BuildingGrid, BuildingPlan, BuildingSummary, EntranceKind, GridUnit, Numbering, UnitKind,
    format_area,
};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::i18n::{Tr, format_int, label, use_i18n};
use crate::ui::use_submit;
use crate::ui::{
    Button, ButtonVariant, EmptyState, FormError, IconName, LinkButton, Modal, PageHeader,
    SelectField, TextField, ToastKind, load_error, loading, use_toasts,
};
use crate::ui::{FieldText, error_text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// The message for a buildings error, in the current language.
pub const BUILDING_FIELDS: &[FieldText] = &[
    ("city", Some(Invalid::Required), |t| {
        t.buildings_error_address
    }),
    ("street", Some(Invalid::Required), |t| {
        t.buildings_error_address
    }),
    ("house", Some(Invalid::Required), |t| {
        t.buildings_error_address
    }),
    ("address", Some(Invalid::Taken), |t| {
        t.buildings_error_address_taken
    }),
    ("entrances", None, |t| t.buildings_error_entrances),
    ("floors", None, |t| t.buildings_error_floors),
    ("units_per_floor", None, |t| {
        t.buildings_error_units_per_floor
    }),
    ("commercial_per_entrance", None, |t| {
        t.buildings_error_commercial
    }),
    ("parking_spaces", None, |t| t.buildings_error_parking),
    ("first_number", None, |t| t.buildings_error_first_number),
    ("year_built", None, |t| t.buildings_error_year),
    ("number", Some(Invalid::Taken), |t| {
        t.unit_error_number_taken
    }),
    ("number", None, |t| t.unit_error_number),
    ("area", None, |t| t.unit_error_area),
    ("account", Some(Invalid::Taken), |t| {
        t.unit_error_account_taken
    }),
    ("account", None, |t| t.unit_error_account),
    ("*", Some(Invalid::TooLong), |t| t.buildings_error_too_long),
];

pub fn building_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, BUILDING_FIELDS)
}

/// A work area's errors: its name taken or missing, else as [`building_error`].
fn area_error(err: &AppError, t: &Tr) -> String {
    match err {
        AppError::Validation { field, code } if field == "name" && *code == Invalid::Taken => {
            t.buildings_area_taken.to_owned()
        }
        AppError::Validation { field, .. } if field == "name" => {
            t.buildings_area_name_required.to_owned()
        }
        other => building_error(other, t),
    }
}

/// A new floor's errors: the number of flats, else as [`building_error`].
fn floor_error(err: &AppError, t: &Tr) -> String {
    match err {
        AppError::Validation { field, .. } if field == "units" => {
            t.buildings_error_floor_units.to_owned()
        }
        other => building_error(other, t),
    }
}

/// The list of buildings, what the shell puts above it (residents' claims waiting for staff),
/// and the generator of new buildings.
#[component]
pub fn BuildingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let can_create = crate::access::can(Permission::BuildingsManage);
    let buildings = Resource::new(|| (), |()| buildings_list());
    let open = RwSignal::new(false);
    view! {
        <Title text=move || i18n.t().buildings_title />
        <div class="flex flex-wrap items-start justify-between gap-3">
            <PageHeader
                title=Signal::derive(move || i18n.t().buildings_title.to_owned())
                lead=Signal::derive(move || i18n.t().buildings_lead.to_owned())
            />
            // Inside a Transition: the permission comes from a resource, and SSR must wait for it
            // so the hydrated page matches the server's HTML.
            <Transition fallback=|| ()>
                {move || can_create.get().then(|| view! {
                    <div class="flex flex-wrap gap-2">
                        <LinkButton href="/staff/buildings/areas" variant=ButtonVariant::Secondary test_id="work-areas-link">{move || i18n.t().buildings_areas_title}</LinkButton>
                        <Button test_id="new-building" on_click=Callback::new(move |()| open.set(true))>{move || i18n.t().buildings_new}</Button>
                    </div>
                })}
            </Transition>
        </div>
        {super::slots::slot(|s| (s.buildings_top)())}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match buildings.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState icon=IconName::Building
                            title=Signal::derive(move || i18n.t().buildings_empty_title.to_owned())
                            text=Signal::derive(move || i18n.t().buildings_empty_text.to_owned()) />
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="buildings">
                            {list.into_iter().map(|b| view! { <BuildingCard building=b /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| buildings.refetch())),
                }
            })}
        </Transition>
        <Modal open=open
            title=Signal::derive(move || i18n.t().buildings_new.to_owned())
            close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
            <BuildingForm />
        </Modal>
    }
}

/// The work areas page (`/staff/buildings/areas`): resources are created at the page's top, not
/// inside a permission-gated Transition (a resource created there broke hydration).
#[component]
pub fn WorkAreasPage() -> impl IntoView {
    let i18n = use_i18n();
    let buildings = Resource::new(|| (), |()| buildings_list());
    view! {
        <Title text=move || i18n.t().buildings_areas_title />
        <div class="mb-3">
            <a href="/staff/buildings" class="text-sm font-medium text-brand-700 hover:underline">"← "{move || i18n.t().buildings_back}</a>
        </div>
        <PageHeader
            title=Signal::derive(move || i18n.t().buildings_areas_title.to_owned())
            lead=Signal::derive(move || i18n.t().buildings_areas_lead.to_owned())
        />
        <WorkAreasSection buildings=buildings />
    }
}

/// Work areas (districts): named sets of buildings used for routing and access scopes.
#[component]
fn WorkAreasSection(buildings: Resource<Result<Vec<BuildingSummary>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let areas = Resource::new(|| (), |()| work_areas());
    let editing = RwSignal::new(None::<Option<super::model::WorkArea>>);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let save = ServerAction::<WorkAreaSave>::new();
    let error = use_submit(
        save,
        area_error,
        Some(|t| t.buildings_area_saved),
        move |_| {
            editing.set(None);
            areas.refetch();
        },
    )
    .error;
    let start = move |area: Option<super::model::WorkArea>| {
        name.set(area.as_ref().map(|a| a.name.clone()).unwrap_or_default());
        description.set(
            area.as_ref()
                .map(|a| a.description.clone())
                .unwrap_or_default(),
        );
        chosen.set(
            area.as_ref()
                .map(|a| a.buildings.iter().map(|b| b.0.0).collect())
                .unwrap_or_default(),
        );
        editing.set(Some(area));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = editing.get_untracked().flatten().map(|a| a.id);
        save.dispatch(WorkAreaSave {
            update: super::model::WorkAreaUpdate {
                id,
                name: name.get_untracked(),
                description: description.get_untracked(),
                buildings: chosen
                    .get_untracked()
                    .into_iter()
                    .map(super::model::BuildingId)
                    .collect(),
            },
        });
    };
    view! {
        <section class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="work-areas">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <p class="text-sm text-ink-600">{move || i18n.t().buildings_areas_hint}</p>
                <Button variant=ButtonVariant::Secondary test_id="new-area" on_click=Callback::new(move |()| start(None))>{move || i18n.t().buildings_area_new}</Button>
            </div>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match areas.await {
                        Ok(list) if list.is_empty() => view! { <p class="mt-3 text-sm text-ink-600">{move || i18n.t().buildings_areas_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-3 divide-y divide-ink-100">
                                {list.into_iter().map(|a| {
                                    let edit = a.clone();
                                    view! {
                                        <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="work-area">
                                            <div class="min-w-0">
                                                <p class="font-medium text-ink-900">{a.name.clone()}</p>
                                                <p class="text-sm text-ink-600">{a.buildings.iter().map(|b| b.1.clone()).collect::<Vec<_>>().join(", ")}</p>
                                            </div>
                                            <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| start(Some(edit.clone())))>{move || i18n.t().org_edit}</Button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => load_error(e, Callback::new(move |()| areas.refetch())),
                    }
                })}
            </Transition>
            <Show when=move || editing.get().is_some()>
                <form class="mt-4 space-y-3 rounded-lg bg-ink-50 p-3 ring-1 ring-ink-200" on:submit=submit novalidate data-testid="area-form">
                    <div class="grid gap-3 sm:grid-cols-2">
                        <TextField id="area-name" label=label(|t| t.buildings_area_name) value=name autocomplete="off" />
                        <TextField id="area-description" label=label(|t| t.buildings_area_description) value=description autocomplete="off" />
                    </div>
                    <fieldset>
                        <legend class="text-sm font-medium text-ink-800">{move || i18n.t().buildings_area_buildings}</legend>
                        <Transition fallback=loading>
                            {move || Suspend::new(async move {
                                match buildings.await {
                                    Ok(list) => view! {
                                        <div class="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                                            {list.into_iter().map(|b| {
                                                let bid = b.id.0;
                                                view! {
                                                    <label class="flex min-h-9 items-center gap-2 text-sm text-ink-900">
                                                        <input type="checkbox" class="size-4 shrink-0 accent-brand-700"
                                                            prop:checked=move || chosen.with(|c| c.contains(&bid))
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                chosen.update(|c| { c.retain(|x| *x != bid); if on { c.push(bid); } });
                                                            } />
                                                        {b.name}
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                    }.into_any(),
                                    Err(e) => load_error(e, Callback::new(move |()| buildings.refetch())),
                                }
                            })}
                        </Transition>
                    </fieldset>
                    <FormError message=error />
                    <div class="flex flex-wrap justify-end gap-2">
                        <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| editing.set(None))>{move || i18n.t().residents_cancel}</Button>
                        <Button button_type="submit" disabled=save.pending() test_id="save-area">{move || i18n.t().org_save}</Button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn BuildingCard(building: BuildingSummary) -> impl IntoView {
    let i18n = use_i18n();
    let BuildingSummary {
        id,
        name,
        address,
        year_built,
        entrances,
        floors,
        units,
        residents,
    } = building;
    view! {
        <li>
            <a href=format!("/staff/buildings/{}", id.0) data-testid="building-card"
                class="block h-full rounded-xl bg-white p-4 shadow-sm ring-1 ring-ink-200 transition hover:ring-brand-400 focus-visible:outline-2 focus-visible:outline-brand-600">
                <p class="font-semibold text-ink-900">{name}</p>
                <p class="mt-0.5 text-sm text-ink-600">{address}</p>
                <dl class="mt-3 grid grid-cols-3 gap-2 text-sm">
                    <div><dt class="text-ink-500">{move || i18n.t().buildings_entrances}</dt><dd class="font-medium tabular-nums text-ink-900">{entrances}</dd></div>
                    <div><dt class="text-ink-500">{move || i18n.t().buildings_floors}</dt><dd class="font-medium tabular-nums text-ink-900">{floors}</dd></div>
                    <div><dt class="text-ink-500">{move || i18n.t().buildings_units}</dt><dd class="font-medium tabular-nums text-ink-900">{move || format_int(units)}</dd></div>
                </dl>
                <p class="mt-2 text-sm text-ink-600">
                    {move || crate::i18n::fill(i18n.t().buildings_residents_linked, &[("n", &residents.to_string())])}
                    {year_built.map(|y| view! { <span>" · "{move || crate::i18n::fill(i18n.t().buildings_year_short, &[("year", &y.to_string())])}</span> })}
                </p>
            </a>
        </li>
    }
}

/// The generator form: address, then "entrances × floors × units per floor" and the numbering.
#[component]
fn BuildingForm() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let field = |v: &str| RwSignal::new(v.to_owned());
    let (region, city, street, house, block) =
        (field(""), field(""), field(""), field(""), field(""));
    let (name, year) = (field(""), field(""));
    let (entrances, floors, per_floor) = (field("1"), field("9"), field("4"));
    let (commercial, parking, first) = (field("0"), field("0"), field("1"));
    let numbering = field(Numbering::Continuous.as_str());
    let local_error = RwSignal::new(None::<String>);
    let create = ServerAction::<BuildingCreate>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            toasts.push(ToastKind::Success, i18n.t().buildings_created);
            navigate(
                &format!("/staff/buildings/{}", id.0),
                leptos_router::NavigateOptions::default(),
            );
        }
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            create
                .value()
                .get()
                .and_then(Result::err)
                .map(|e| building_error(&e, i18n.t()))
        })
    });
    let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().ok();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        let (Some(e), Some(f), Some(p), Some(c), Some(pk), Some(fi)) = (
            number(entrances),
            number(floors),
            number(per_floor),
            number(commercial),
            number(parking),
            number(first),
        ) else {
            local_error.set(Some(t.buildings_error_numbers.to_owned()));
            return;
        };
        let year_text = year.get_untracked();
        let year_built = if year_text.trim().is_empty() {
            None
        } else if let Ok(y) = year_text.trim().parse::<i32>() {
            Some(y)
        } else {
            local_error.set(Some(t.buildings_error_year.to_owned()));
            return;
        };
        let plan = BuildingPlan {
            name: name.get_untracked(),
            address: super::model::AddressInput {
                region: region.get_untracked(),
                city: city.get_untracked(),
                street: street.get_untracked(),
                house: house.get_untracked(),
                block: block.get_untracked(),
            },
            year_built,
            entrances: e,
            floors: f,
            units_per_floor: p,
            commercial_per_entrance: c,
            parking_spaces: pk,
            first_number: fi,
            numbering: Numbering::parse(&numbering.get_untracked())
                .unwrap_or(Numbering::Continuous),
        };
        // The same checks the server makes, before the round trip.
        match plan.generate() {
            Ok(_) => {
                local_error.set(None);
                create.dispatch(BuildingCreate { plan });
            }
            Err(err) => local_error.set(Some(building_error(&err, t))),
        }
    };
    let total = Signal::derive(move || {
        let n = |s: RwSignal<String>| s.get().trim().parse::<u64>().unwrap_or(0);
        let flats_floors = if n(commercial) > 0 {
            n(floors).saturating_sub(1)
        } else {
            n(floors)
        };
        n(entrances) * (flats_floors * n(per_floor) + n(commercial)) + n(parking)
    });
    view! {
        <form class="space-y-4" on:submit=submit novalidate data-testid="building-form">
            <fieldset class="grid gap-3 sm:grid-cols-2">
                <legend class="mb-1 text-sm font-semibold text-ink-900">{move || i18n.t().buildings_address}</legend>
                <TextField id="b-city" label=label(|t| t.buildings_city) value=city autocomplete="off" />
                <TextField id="b-region" label=label(|t| t.buildings_region) value=region autocomplete="off" />
                <TextField id="b-street" label=label(|t| t.buildings_street) value=street autocomplete="off"
                    placeholder=label(|t| t.buildings_street_placeholder) />
                <div class="grid grid-cols-2 gap-3">
                    <TextField id="b-house" label=label(|t| t.buildings_house) value=house autocomplete="off" />
                    <TextField id="b-block" label=label(|t| t.buildings_block) value=block autocomplete="off" />
                </div>
                <TextField id="b-name" label=label(|t| t.buildings_name) value=name autocomplete="off"
                    hint=label(|t| t.buildings_name_hint) />
                <TextField id="b-year" label=label(|t| t.buildings_year) value=year inputmode="numeric" autocomplete="off" />
            </fieldset>
            <fieldset class="grid grid-cols-2 gap-3 sm:grid-cols-3">
                <legend class="mb-1 text-sm font-semibold text-ink-900">{move || i18n.t().buildings_grid}</legend>
                <TextField id="b-entrances" label=label(|t| t.buildings_entrances) value=entrances inputmode="numeric" />
                <TextField id="b-floors" label=label(|t| t.buildings_floors) value=floors inputmode="numeric" />
                <TextField id="b-per-floor" label=label(|t| t.buildings_per_floor) value=per_floor inputmode="numeric" />
                <TextField id="b-commercial" label=label(|t| t.buildings_commercial) value=commercial inputmode="numeric" />
                <TextField id="b-parking" label=label(|t| t.buildings_parking) value=parking inputmode="numeric" />
                <TextField id="b-first" label=label(|t| t.buildings_first_number) value=first inputmode="numeric" />
            </fieldset>
            <SelectField id="b-numbering" label=label(|t| t.buildings_numbering) value=numbering
                options=Signal::derive(move || {
                    let t = i18n.t();
                    vec![
                        (Numbering::Continuous.as_str().to_owned(), t.buildings_numbering_continuous.to_owned()),
                        (Numbering::ByFloor.as_str().to_owned(), t.buildings_numbering_by_floor.to_owned()),
                    ]
                }) />
            <p class="text-sm text-ink-600" data-testid="building-total">
                {move || crate::i18n::fill(i18n.t().buildings_total, &[("n", &format_int(i64::try_from(total.get()).unwrap_or(i64::MAX)))])}
            </p>
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=create.pending() test_id="create-building">{move || i18n.t().buildings_create}</Button>
            </div>
        </form>
    }
}

/// What the grid's colours show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColourMode {
    /// Who is on file in the people registry: tenants, owners, nobody.
    Occupancy,
    /// Resident-cabinet accounts linked: active, waiting for confirmation, none.
    Cabinet,
    /// Arrears imported from accounting: large debt, debt, none, no data.
    Arrears,
    /// Apartment, non-residential, parking, storage.
    Kind,
}

impl ColourMode {
    const ALL: [Self; 4] = [Self::Occupancy, Self::Cabinet, Self::Arrears, Self::Kind];

    /// The value of `?colour=` (the mode stays in the URL, so going back to the grid keeps it).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Occupancy => "occupancy",
            Self::Cabinet => "cabinet",
            Self::Arrears => "arrears",
            Self::Kind => "kind",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// A debt from this amount (kopecks) is marked as large in the arrears mode.
pub(crate) const LARGE_DEBT: i64 = 1_000_000;

fn cell_class(u: &GridUnit, mode: ColourMode) -> &'static str {
    match mode {
        ColourMode::Occupancy if u.tenants > 0 => "bg-info-100 text-info-900 ring-info-400",
        ColourMode::Occupancy if u.owners > 0 => "bg-success-100 text-success-900 ring-success-400",
        ColourMode::Cabinet if u.pending > 0 => "bg-warning-100 text-warning-900 ring-warning-400",
        ColourMode::Cabinet if u.residents > 0 => "bg-brand-100 text-brand-900 ring-brand-400",
        ColourMode::Occupancy | ColourMode::Cabinet => "bg-white text-ink-800 ring-ink-200",
        ColourMode::Arrears => match u.arrears {
            Some((a, _)) if a >= LARGE_DEBT => "bg-danger-100 text-danger-900 ring-danger-400",
            Some((a, _)) if a > 0 => "bg-warning-100 text-warning-900 ring-warning-400",
            Some(_) => "bg-success-100 text-success-900 ring-success-400",
            None => "bg-white text-ink-800 ring-ink-200",
        },
        ColourMode::Kind => match u.kind {
            UnitKind::Apartment => "bg-white text-ink-800 ring-ink-200",
            UnitKind::NonResidential => "bg-info-100 text-info-900 ring-info-400",
            UnitKind::Parking => "bg-ink-100 text-ink-800 ring-ink-300",
            UnitKind::Storage => "bg-warning-50 text-warning-900 ring-warning-300",
        },
    }
}

/// One building as a grid: columns are entrances, rows are floors (top floor on top).
#[component]
pub fn BuildingPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::use_id_param();
    let grid = Resource::new(
        move || id.get(),
        |id| get_building_grid(super::model::BuildingId(id)),
    );
    view! {
        <Title text=move || i18n.t().buildings_grid_title />
        <div class="mb-3">
            <a href="/staff/buildings" class="text-sm font-medium text-brand-700 hover:underline">"← "{move || i18n.t().buildings_back}</a>
        </div>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match grid.await {
                    Ok(g) => view! { <GridView grid=g on_changed=Callback::new(move |()| grid.refetch()) /> }.into_any(),
                    Err(e) => crate::ui::page_load_error(e, Callback::new(move |()| grid.refetch())),
                }
            })}
        </Transition>
    }
}

#[component]
fn GridView(grid: BuildingGrid, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    // `?colour=` keeps the colour mode across the unit page and back.
    let mode = Memo::new(move |_| {
        query
            .with(|m| m.get("colour").and_then(|c| ColourMode::from_code(&c)))
            .unwrap_or(ColourMode::Occupancy)
    });
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    let set_mode = move |m: ColourMode| {
        let path = location.pathname.get_untracked();
        let query = if m == ColourMode::Occupancy {
            String::new()
        } else {
            format!("?colour={}", m.code())
        };
        navigate(
            &format!("{path}{query}"),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let only = RwSignal::new(None::<i64>);
    // `?unit=` (the unit page's "back to the grid") marks that unit's cell.
    let wanted = query.with_untracked(|m| m.get("unit").and_then(|u| u.parse::<i64>().ok()));
    let floors = grid.floors_desc();
    let can_edit = grid.can_edit;
    let units_total = i64::try_from(grid.units.len()).unwrap_or(0);
    let linked = grid.units.iter().filter(|u| u.residents > 0).count();
    let waiting = grid.units.iter().filter(|u| u.pending > 0).count();
    // Each entrance column is as wide as its fullest floor (a parking level wraps after
    // PARKING_ROW spaces), so columns line up and never squeeze their cells into one row each.
    let widths: std::collections::HashMap<i64, usize> = grid
        .entrances
        .iter()
        .map(|e| {
            let mut per_floor: std::collections::HashMap<i32, usize> =
                std::collections::HashMap::new();
            for u in grid.units.iter().filter(|u| u.entrance_id == e.id) {
                *per_floor.entry(u.floor).or_default() += 1;
            }
            let widest = per_floor.values().copied().max().unwrap_or(1);
            let cap = if e.kind == EntranceKind::Residential {
                CELL_COLUMNS.len()
            } else {
                PARKING_ROW
            };
            (e.id, widest.clamp(1, cap))
        })
        .collect();
    let widths = StoredValue::new(widths);
    let entrances = StoredValue::new(grid.entrances.clone());
    let units = StoredValue::new(grid.units.clone());
    let mode_button = move |m: ColourMode, label: fn(&Tr) -> &'static str, test: &'static str| {
        view! {
            <button type="button" data-testid=test
                class=move || format!("min-h-9 rounded-lg px-3 text-sm font-medium ring-1 ring-inset {}",
                    if mode.get() == m { "bg-brand-700 text-white ring-brand-700" } else { "bg-white text-ink-800 ring-ink-300 hover:bg-ink-50" })
                aria-pressed=move || (mode.get() == m).to_string()
                on:click={
                    let set_mode = set_mode.clone();
                    move |_| set_mode(m)
                }>
                {move || label(i18n.t())}
            </button>
        }
    };
    view! {
        <div class="mb-4">
            <h1 class="text-2xl font-bold tracking-tight text-ink-900" data-testid="building-name">{grid.name.clone()}</h1>
            <p class="mt-1 text-ink-600">{grid.address.clone()}
                {grid.year_built.map(|y| view! { <span>" · "{move || crate::i18n::fill(i18n.t().buildings_year_short, &[("year", &y.to_string())])}</span> })}
            </p>
            <p class="mt-1 text-sm text-ink-600">
                {move || crate::i18n::fill(i18n.t().buildings_grid_summary, &[
                    ("units", &format_int(units_total)),
                    ("linked", &linked.to_string()),
                    ("waiting", &waiting.to_string()),
                ])}
            </p>
        </div>
        <div class="mb-3 flex flex-wrap items-center gap-2">
            <span class="text-sm font-medium text-ink-700">{move || i18n.t().buildings_colour_by}</span>
            {mode_button(ColourMode::Occupancy, |t| t.buildings_mode_occupancy, "mode-occupancy")}
            {mode_button(ColourMode::Cabinet, |t| t.buildings_mode_cabinet, "mode-cabinet")}
            {mode_button(ColourMode::Arrears, |t| t.buildings_mode_arrears, "mode-arrears")}
            {mode_button(ColourMode::Kind, |t| t.buildings_mode_kind, "mode-kind")}
            <span class="mx-1 hidden h-6 w-px bg-ink-200 sm:block"></span>
            <label class="flex items-center gap-2 text-sm font-medium text-ink-700">
                {move || i18n.t().buildings_entrance_filter}
                <select class="min-h-9 rounded-lg border-0 bg-white px-2 text-sm ring-1 ring-inset ring-ink-300" data-testid="entrance-filter"
                    on:change=move |ev| only.set(event_target_value(&ev).parse().ok())>
                    <option value="">{move || i18n.t().buildings_all_entrances}</option>
                    {entrances.get_value().into_iter().map(|e| {
                        let value = e.id.to_string();
                        view! { <option value=value>{move || entrance_label(&e, i18n.t())}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
        <Legend mode=mode />
        <Show when=move || can_edit>
            <AddFloor entrances=entrances.get_value() on_done=on_changed />
        </Show>
        <div class="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-ink-200" data-testid="building-grid">
            <table class="border-separate border-spacing-0 text-sm">
                <thead>
                    <tr>
                        <th class="sticky left-0 z-10 bg-white px-2 py-2 text-left text-xs font-medium text-ink-500">{move || i18n.t().buildings_floor}</th>
                        {move || entrances.get_value().into_iter().filter(|e| only.get().is_none_or(|o| o == e.id)).map(|e| view! {
                            <th class="border-l border-ink-100 px-2 py-2 text-left text-xs font-semibold text-ink-700">
                                {move || entrance_label(&e, i18n.t())}
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {floors.into_iter().map(|floor| view! {
                        <tr>
                            <th scope="row" class="sticky left-0 z-10 border-t border-ink-100 bg-white px-2 py-1 text-right text-xs font-medium tabular-nums text-ink-500">{floor}</th>
                            {move || entrances.get_value().into_iter().filter(|e| only.get().is_none_or(|o| o == e.id)).map(|e| {
                                let cells: Vec<GridUnit> = units.with_value(|u| u.iter().filter(|u| u.entrance_id == e.id && u.floor == floor).cloned().collect());
                                view! {
                                    <td class="border-l border-t border-ink-100 px-1.5 py-1 align-top">
                                        <div class=cell_row_class(widths.with_value(|w| w.get(&e.id).copied().unwrap_or(1)))>
                                            {cells.into_iter().map(|u| {
                                                let tip = unit_tip(&u, i18n.t());
                                                let number = u.number.clone();
                                                let data_unit = u.number.clone();
                                                let marked = wanted == Some(u.id.0);
                                                let href = move || match mode.get() {
                                                    ColourMode::Occupancy => format!("/staff/units/{}", u.id.0),
                                                    m => format!("/staff/units/{}?colour={}", u.id.0, m.code()),
                                                };
                                                let anchor = format!("unit-{}", u.id.0);
                                                view! {
                                                    <a href=href id=anchor
                                                        data-testid="unit-cell" data-unit=data_unit
                                                        title=tip.clone() aria-label=tip aria-current=marked.then_some("true")
                                                        class=move || format!("flex h-9 w-11 items-center justify-center overflow-hidden text-ellipsis whitespace-nowrap rounded-md px-0.5 text-xs font-medium tabular-nums ring-1 ring-inset transition hover:ring-2 hover:ring-brand-500 focus-visible:outline-2 focus-visible:outline-brand-600 {} {}",
                                                            cell_class(&u, mode.get()), if marked { "outline outline-2 outline-offset-1 outline-brand-600" } else { "" })>
                                                        {number}
                                                    </a>
                                                }
                                            }).collect_view()}
                                        </div>
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Cells a parking or non-residential block shows per row before wrapping.
const PARKING_ROW: usize = 10;

/// Grid classes for a cell row of 1–12 cells of 2.75 rem. Written out in full so Tailwind finds
/// them (inline `style` is refused by the Content-Security-Policy).
const CELL_COLUMNS: [&str; 12] = [
    "grid-cols-[repeat(1,2.75rem)]",
    "grid-cols-[repeat(2,2.75rem)]",
    "grid-cols-[repeat(3,2.75rem)]",
    "grid-cols-[repeat(4,2.75rem)]",
    "grid-cols-[repeat(5,2.75rem)]",
    "grid-cols-[repeat(6,2.75rem)]",
    "grid-cols-[repeat(7,2.75rem)]",
    "grid-cols-[repeat(8,2.75rem)]",
    "grid-cols-[repeat(9,2.75rem)]",
    "grid-cols-[repeat(10,2.75rem)]",
    "grid-cols-[repeat(11,2.75rem)]",
    "grid-cols-[repeat(12,2.75rem)]",
];

/// The classes of a cell row holding up to `n` cells per line.
fn cell_row_class(n: usize) -> String {
    format!(
        "grid min-h-9 gap-1 {}",
        CELL_COLUMNS[n.clamp(1, CELL_COLUMNS.len()) - 1]
    )
}

/// "Подъезд 2", "Паркинг", "Блок Н".
pub(crate) fn entrance_label(e: &super::model::GridEntrance, t: &Tr) -> String {
    match e.kind {
        EntranceKind::Residential => {
            crate::i18n::fill(t.buildings_entrance_n, &[("name", &e.name)])
        }
        EntranceKind::Parking => t.buildings_parking_block.to_owned(),
        EntranceKind::NonResidential => {
            crate::i18n::fill(t.buildings_block_n, &[("name", &e.name)])
        }
    }
}

fn unit_tip(u: &GridUnit, t: &Tr) -> String {
    let mut parts = vec![format!("{} {}", u.kind.label(t), u.number)];
    if let Some(a) = u.area_dm2 {
        parts.push(format!("{} м²", format_area(a)));
    }
    if u.owners > 0 {
        parts.push(crate::i18n::fill(
            t.buildings_owners_n,
            &[("n", &u.owners.to_string())],
        ));
    }
    if u.tenants > 0 {
        parts.push(t.buildings_legend_tenant.to_owned());
    }
    if u.residents > 0 {
        parts.push(crate::i18n::fill(
            t.buildings_residents_linked,
            &[("n", &u.residents.to_string())],
        ));
    }
    if u.pending > 0 {
        parts.push(t.buildings_legend_waiting.to_owned());
    }
    if let Some((amount, _)) = u.arrears.filter(|(a, _)| *a > 0) {
        parts.push(format!(
            "{} {}",
            t.buildings_legend_debt,
            crate::i18n::format_money(amount)
        ));
    }
    parts.join(", ")
}

#[component]
fn Legend(#[prop(into)] mode: Signal<ColourMode>) -> impl IntoView {
    let i18n = use_i18n();
    let item = move |class: &'static str, label: fn(&Tr) -> &'static str| {
        view! {
            <span class="flex items-center gap-1.5"><span class=format!("inline-block size-4 rounded ring-1 ring-inset {class}")></span>{move || label(i18n.t())}</span>
        }
    };
    view! {
        <div class="mb-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-ink-700" data-testid="grid-legend">
            {move || match mode.get() {
                ColourMode::Occupancy => view! {
                    {item("bg-success-100 ring-success-400", |t| t.buildings_legend_owner)}
                    {item("bg-info-100 ring-info-400", |t| t.buildings_legend_tenant)}
                    {item("bg-white ring-ink-200", |t| t.buildings_legend_nobody)}
                }.into_any(),
                ColourMode::Cabinet => view! {
                    {item("bg-brand-100 ring-brand-400", |t| t.buildings_legend_linked)}
                    {item("bg-warning-100 ring-warning-400", |t| t.buildings_legend_waiting)}
                    {item("bg-white ring-ink-200", |t| t.buildings_legend_none)}
                }.into_any(),
                ColourMode::Arrears => view! {
                    {item("bg-danger-100 ring-danger-400", |t| t.buildings_legend_debt_large)}
                    {item("bg-warning-100 ring-warning-400", |t| t.buildings_legend_debt)}
                    {item("bg-success-100 ring-success-400", |t| t.buildings_legend_paid)}
                    {item("bg-white ring-ink-200", |t| t.buildings_legend_no_data)}
                }.into_any(),
                ColourMode::Kind => view! {
                    {item("bg-white ring-ink-200", |t| t.unit_kind_apartment)}
                    {item("bg-info-100 ring-info-400", |t| t.unit_kind_non_residential)}
                    {item("bg-ink-100 ring-ink-300", |t| t.unit_kind_parking)}
                    {item("bg-warning-50 ring-warning-300", |t| t.unit_kind_storage)}
                }.into_any(),
            }}
        </div>
    }
}

/// Adds a floor on top of an entrance.
#[component]
fn AddFloor(entrances: Vec<super::model::GridEntrance>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let residential: Vec<(String, String)> = entrances
        .iter()
        .filter(|e| e.kind == EntranceKind::Residential)
        .map(|e| {
            (
                e.id.to_string(),
                crate::i18n::fill(i18n.t().buildings_entrance_n, &[("name", &e.name)]),
            )
        })
        .collect();
    let entrance = RwSignal::new(residential.first().map(|e| e.0.clone()).unwrap_or_default());
    let units = RwSignal::new("4".to_owned());
    let add = ServerAction::<AddFloorCall>::new();
    let form = use_submit(
        add,
        floor_error,
        Some(|t| t.buildings_floor_added),
        move |()| {
            on_done.run(());
        },
    );
    let error = form.error;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let numbers = (
            entrance.get_untracked().parse::<i64>(),
            units.get_untracked().trim().parse::<u32>(),
        );
        form.send(match numbers {
            (Ok(entrance_id), Ok(n)) => Ok(AddFloorCall {
                add: super::model::FloorAdd {
                    entrance_id,
                    units: n,
                },
            }),
            _ => Err(AppError::validation("units", Invalid::Range)),
        });
    };
    view! {
        <details class="mb-3 rounded-xl bg-white px-4 py-2 shadow-sm ring-1 ring-ink-200" data-testid="add-floor">
            <summary class="min-h-9 cursor-pointer py-1.5 text-sm font-medium text-ink-800">{move || i18n.t().buildings_add_floor}</summary>
            <form class="flex flex-wrap items-end gap-3 pb-2 pt-1" on:submit=submit novalidate>
                <div class="min-w-40">
                    <SelectField id="floor-entrance" label=Signal::derive(move || i18n.t().buildings_floor_entrance.to_owned()) value=entrance options=Signal::derive(move || residential.clone()) />
                </div>
                <div class="w-40">
                    <TextField id="floor-units" label=Signal::derive(move || i18n.t().buildings_per_floor.to_owned()) value=units inputmode="numeric" autocomplete="off" />
                </div>
                <Button button_type="submit" variant=ButtonVariant::Secondary disabled=add.pending() test_id="add-floor-submit">{move || i18n.t().buildings_add_floor_submit}</Button>
            </form>
            <FormError message=error />
        </details>
    }
}
