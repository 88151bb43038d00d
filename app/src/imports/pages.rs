//! Import screens: the upload form with recent imports (`/staff/people/import`) and one job
//! (`/staff/people/import/:id`): column mapping and the row check, then the progress bar of
//! the background apply, then the result with the row report.

use super::api::{
    ImportStart, get_import_preview, import_list, import_report, import_sources, import_status,
    import_upload,
};
use super::model::{
    Encoding, ImportField, ImportJob, ImportJobId, ImportPreview, JobStatus, MAX_FILE_BYTES,
    REPORT_PAGE, ReportRow, RowOutcome, mapping_codes,
};
use crate::AppError;
use crate::Invalid;
use crate::buildings::api::buildings_list;
use crate::buildings::model::BuildingId;
use crate::i18n::{Tr, fill, format_datetime_in, format_int, format_money, use_i18n, use_zone};
use crate::ui::Time;
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, FormError, INPUT_CLASS, IconName, PageHeader, TD, TR,
    Table, TableHead, Tone, load_error, loading,
};
use crate::ui::{FieldText, error_text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// The message for an import error, in the current language.
const IMPORT_FIELDS: &[FieldText] = &[
    ("file", Some(Invalid::Empty), |t| t.import_error_file_empty),
    ("file", Some(Invalid::NoRows), |t| {
        t.import_error_file_no_rows
    }),
    ("file", Some(Invalid::Broken), |t| {
        t.import_error_file_broken
    }),
    ("file", Some(Invalid::Binary), |t| {
        t.import_error_file_binary
    }),
    ("file", Some(Invalid::CsvBroken), |t| {
        t.import_error_file_csv
    }),
    ("file", Some(Invalid::TooLarge), |t| {
        t.import_error_file_too_large
    }),
    ("file", Some(Invalid::TooManyRows), |t| {
        t.import_error_file_too_many_rows
    }),
    ("file", Some(Invalid::TooManyColumns), |t| {
        t.import_error_file_too_many_columns
    }),
    ("file", Some(Invalid::TooManyCells), |t| {
        t.import_error_file_too_many_cells
    }),
    ("file", Some(Invalid::TooComplex), |t| {
        t.import_error_file_too_complex
    }),
    ("file", Some(Invalid::TooSlow), |t| {
        t.import_error_file_too_slow
    }),
    ("file", None, |t| t.import_error_file_required),
    ("encoding", Some(Invalid::NotUtf8), |t| {
        t.import_error_not_utf8
    }),
    ("source", None, |t| t.import_error_source),
    ("building", None, |t| t.import_choose_building),
    ("mapping", Some(Invalid::UnitRequired), |t| {
        t.import_mapping_unit_required
    }),
    ("mapping", Some(Invalid::Twice), |t| t.import_mapping_twice),
    ("mapping", Some(Invalid::NameTwice), |t| {
        t.import_mapping_name_twice
    }),
];

pub fn import_error(err: &AppError, t: &Tr) -> String {
    match err {
        // Every reader slot is taken: the file waits its turn, it is not refused.
        AppError::TooManyRequests(seconds) => crate::i18n::fill(
            t.import_error_reader_busy,
            &[("seconds", &seconds.to_string())],
        ),
        other => error_text(other, t, IMPORT_FIELDS),
    }
}

/// A field's name for the mapping select and the problem texts.
pub fn field_label(f: ImportField, t: &Tr) -> &'static str {
    match f {
        ImportField::Account => t.import_field_account,
        ImportField::Unit => t.import_field_unit,
        ImportField::Entrance => t.import_field_entrance,
        ImportField::Floor => t.import_field_floor,
        ImportField::UnitKind => t.import_field_unit_kind,
        ImportField::Area => t.import_field_area,
        ImportField::FullName => t.import_field_full_name,
        ImportField::LastName => t.import_field_last_name,
        ImportField::FirstName => t.import_field_first_name,
        ImportField::MiddleName => t.import_field_middle_name,
        ImportField::Relation => t.import_field_relation,
        ImportField::Phone => t.import_field_phone,
        ImportField::Email => t.import_field_email,
        ImportField::Share => t.import_field_share,
        ImportField::Arrears => t.import_field_arrears,
    }
}

/// One code of a report row ("phone:format", "unit:created") as a phrase.
fn code_text(code: &str, t: &Tr) -> String {
    let (field, what) = code.split_once(':').unwrap_or((code, ""));
    let fixed = match (field, what) {
        ("unit", "created") => Some(t.import_d_unit_created),
        ("unit", "updated") => Some(t.import_d_unit_updated),
        ("person", "created") => Some(t.import_d_person_created),
        ("person", "contacts") => Some(t.import_d_person_contacts),
        ("link", "created") => Some(t.import_d_link_created),
        ("link", "updated") => Some(t.import_d_link_updated),
        ("arrears", "set") => Some(t.import_d_arrears_set),
        ("share", "owners_only") => Some(t.import_p_share_owners_only),
        ("unit", "not_found") => Some(t.import_p_unit_not_found),
        ("account", "not_found") => Some(t.import_p_account_not_found),
        ("account", "other_unit") => Some(t.import_p_account_other_unit),
        ("account", "other_building") => Some(t.import_p_account_other_building),
        ("entrance", "not_found") => Some(t.import_p_entrance_not_found),
        ("floor", "not_in_entrance") => Some(t.import_p_floor_not_in_entrance),
        ("full_name", "required") => Some(t.import_p_name_required),
        ("mapping", "unit_required") => Some(t.import_mapping_unit_required),
        ("mapping", "twice") => Some(t.import_mapping_twice),
        ("mapping", "name_twice") => Some(t.import_mapping_name_twice),
        _ => None,
    };
    if let Some(s) = fixed {
        return s.to_owned();
    }
    let name = ImportField::from_db(field).map_or(field, |f| field_label(f, t));
    let template = match what {
        "required" => t.import_p_required,
        "range" => t.import_p_range,
        "too_long" => t.import_p_too_long,
        "unknown" => t.import_p_unknown,
        "too_many" => t.import_p_too_many,
        _ => t.import_p_format,
    };
    fill(template, &[("field", name)])
}

/// A report row's codes as one sentence.
pub fn detail_text(detail: &str, t: &Tr) -> String {
    detail
        .split(';')
        .filter(|c| !c.is_empty())
        .map(|c| code_text(c, t))
        .collect::<Vec<_>>()
        .join("; ")
}

fn status_badge(s: JobStatus, t: &Tr) -> (Tone, &'static str) {
    match s {
        JobStatus::Uploaded => (Tone::Neutral, t.import_status_uploaded),
        JobStatus::Queued => (Tone::Info, t.import_status_queued),
        JobStatus::Applying => (Tone::Info, t.import_status_applying),
        JobStatus::Done => (Tone::Success, t.import_status_done),
        JobStatus::Failed => (Tone::Danger, t.import_status_failed),
    }
}

fn outcome_text(o: RowOutcome, t: &Tr) -> &'static str {
    match o {
        RowOutcome::Created => t.import_outcome_created,
        RowOutcome::Updated => t.import_outcome_updated,
        RowOutcome::Unchanged => t.import_outcome_unchanged,
        RowOutcome::Rejected => t.import_outcome_rejected,
    }
}

fn outcome_tone(o: RowOutcome) -> Tone {
    match o {
        RowOutcome::Created => Tone::Success,
        RowOutcome::Updated => Tone::Info,
        RowOutcome::Unchanged => Tone::Neutral,
        RowOutcome::Rejected => Tone::Danger,
    }
}

/// Reads the chosen file in the browser: its name and bytes.
#[cfg(feature = "hydrate")]
async fn read_file(input: &web_sys::HtmlInputElement) -> Option<(String, Vec<u8>)> {
    let file = input.files()?.get(0)?;
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some((file.name(), js_sys::Uint8Array::new(&buf).to_vec()))
}

/// The import page: the upload form and the latest imports.
#[component]
pub fn ImportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let buildings = Resource::new(|| (), |()| buildings_list());
    let sources = Resource::new(|| (), |()| import_sources());
    let jobs = Resource::new(|| (), |()| import_list());
    let building = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let file_name = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        let Ok(b) = building.get_untracked().parse::<i64>() else {
            error.set(Some(t.import_choose_building.to_owned()));
            return;
        };
        let Some(input) = file_ref.get_untracked() else {
            return;
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        let source = source.get_untracked();
        leptos::task::spawn_local(async move {
            #[cfg(feature = "hydrate")]
            let file = read_file(&input).await;
            #[cfg(not(feature = "hydrate"))]
            let file: Option<(String, Vec<u8>)> = {
                let _ = &input;
                None
            };
            let result = match file {
                None => Err(AppError::validation("file", Invalid::Required)),
                Some((_, bytes)) if bytes.len() > MAX_FILE_BYTES => {
                    Err(AppError::validation("file", Invalid::TooLarge))
                }
                Some((name, bytes)) => {
                    use base64::Engine as _;
                    let content = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
                    import_upload(BuildingId(b), source, name, content).await
                }
            };
            busy.set(false);
            match result {
                Ok(id) => navigate(
                    &format!("/staff/people/import/{}", id.0),
                    leptos_router::NavigateOptions::default(),
                ),
                Err(e) => error.set(Some(import_error(&e, i18n.t()))),
            }
        });
    };
    view! {
        <Title text=move || i18n.t().import_title />
        <nav class="mb-3 text-sm"><a href="/staff/people" class="text-brand-700 hover:underline">"← "{move || i18n.t().people_back}</a></nav>
        <PageHeader
            title=Signal::derive(move || i18n.t().import_title.to_owned())
            lead=Signal::derive(move || i18n.t().import_lead.to_owned())
        />
        <section class="mb-8 rounded-xl bg-white p-4 shadow-sm ring-1 ring-ink-200 sm:p-5">
            <h2 class="mb-3 text-lg font-semibold text-ink-900">{move || i18n.t().import_new}</h2>
            <form on:submit=submit novalidate class="grid gap-4 md:grid-cols-2" data-testid="import-upload">
                <div class="space-y-1">
                    <label for="imp-building" class="block text-sm font-medium text-ink-800">{move || i18n.t().import_building}</label>
                    <select id="imp-building" class=INPUT_CLASS on:change=move |ev| building.set(event_target_value(&ev)) prop:value=move || building.get()>
                        <option value="">{move || i18n.t().import_choose_building}</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                buildings.await.unwrap_or_default().into_iter().map(|b| view! {
                                    <option value=b.id.0.to_string()>{b.name}</option>
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                </div>
                <div class="space-y-1">
                    <label for="imp-source" class="block text-sm font-medium text-ink-800">{move || i18n.t().import_source}</label>
                    <input id="imp-source" list="imp-sources" class=INPUT_CLASS autocomplete="off" maxlength="100"
                        prop:value=move || source.get() on:input=move |ev| source.set(event_target_value(&ev)) aria-describedby="imp-source-hint" />
                    <datalist id="imp-sources">
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                sources.await.unwrap_or_default().into_iter().map(|s| view! { <option value=s.name></option> }).collect_view()
                            })}
                        </Transition>
                    </datalist>
                    <p id="imp-source-hint" class="text-sm text-ink-600">{move || i18n.t().import_source_hint}</p>
                </div>
                <div class="space-y-1 md:col-span-2">
                    <label for="imp-file" class="block text-sm font-medium text-ink-800">{move || i18n.t().import_file}</label>
                    // The native input is hidden (its button speaks the browser's language); a
                    // styled label opens it and the chosen file's name shows beside.
                    <div class="flex flex-wrap items-center gap-3">
                        <input id="imp-file" node_ref=file_ref type="file" required
                            accept=".csv,.txt,.xlsx,.xls,.ods,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            aria-describedby="imp-file-hint"
                            class="peer sr-only"
                            on:change=move |_| {
                                #[cfg(feature = "hydrate")]
                                file_name.set(file_ref.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)).map(|f| f.name()));
                            } />
                        <label for="imp-file" aria-hidden="true"
                            class="inline-flex min-h-11 cursor-pointer items-center rounded-lg bg-brand-50 px-4 text-sm font-medium text-brand-800 ring-1 ring-inset ring-brand-200 hover:bg-brand-100 peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600">
                            {move || i18n.t().import_choose_file}
                        </label>
                        <span class="min-w-0 break-all text-sm text-ink-700" data-testid="import-file-name">
                            {move || file_name.get().unwrap_or_else(|| i18n.t().import_no_file.to_owned())}
                        </span>
                    </div>
                    <p id="imp-file-hint" class="text-sm text-ink-600">{move || i18n.t().import_file_hint}</p>
                </div>
                <div class="md:col-span-2">
                    <FormError message=Signal::derive(move || error.get()) test_id="import-error" />
                    <Button button_type="submit" disabled=Signal::derive(move || busy.get()) test_id="import-submit">
                        {move || if busy.get() { i18n.t().import_uploading } else { i18n.t().import_upload }}
                    </Button>
                </div>
            </form>
        </section>
        <h2 class="mb-3 text-lg font-semibold text-ink-900">{move || i18n.t().import_recent}</h2>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState icon=IconName::Inbox
                            title=Signal::derive(move || i18n.t().import_recent_none.to_owned())
                            text=Signal::derive(move || i18n.t().import_recent_none_text.to_owned()) />
                    }.into_any(),
                    Ok(list) => view! { <JobList jobs=list /> }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| jobs.refetch())),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobList(jobs: Vec<ImportJob>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Table caption=Signal::derive(move || i18n.t().import_recent.to_owned())>
            <TableHead labels=Signal::derive(move || {
                let t = i18n.t();
                vec![t.import_col_date, t.import_col_file, t.import_building, t.import_col_status, t.import_col_rows]
            }) />
            <tbody data-testid="import-jobs">
                {jobs.into_iter().map(|j| {
                    let (tone, _) = status_badge(j.status, i18n.t());
                    let href = format!("/staff/people/import/{}", j.id.0);
                    view! {
                        <tr class=TR>
                            <td class=format!("{TD} whitespace-nowrap")><Time at=j.created_at /></td>
                            <td class=TD>
                                <a href=href class="break-all font-medium text-brand-700 hover:underline">{j.file_name.clone()}</a>
                                {j.source.clone().map(|s| view! { <p class="text-xs text-ink-600">{s}</p> })}
                            </td>
                            <td class=TD>{j.building.clone()}</td>
                            <td class=TD><Badge tone=tone>{move || status_badge(j.status, i18n.t()).1}</Badge></td>
                            <td class=format!("{TD} tabular-nums")>{format_int(i64::from(j.rows_total))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </Table>
    }
}

/// One import: mapping and check, progress, result.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::use_id_param();
    let tick = RwSignal::new(0u32);
    let job = Resource::new(
        move || (id.get(), tick.get()),
        |(id, _)| import_status(ImportJobId(id)),
    );
    let running = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(j)) = job.get() {
            running.set(matches!(j.status, JobStatus::Queued | JobStatus::Applying));
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if running.get_untracked() {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    let refresh = Callback::new(move |()| tick.update(|t| *t += 1));
    view! {
        <Title text=move || i18n.t().import_title />
        <nav class="mb-3 text-sm"><a href="/staff/people/import" class="text-brand-700 hover:underline">"← "{move || i18n.t().import_back}</a></nav>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match job.await {
                    Ok(j) => view! { <JobView job=j refresh=refresh /> }.into_any(),
                    Err(e) => crate::ui::page_load_error(e, Callback::new(move |()| job.refetch())),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobView(job: ImportJob, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = use_zone();
    let (tone, _) = status_badge(job.status, i18n.t());
    let status = job.status;
    let created_at = job.created_at;
    let by = job.created_by.clone();
    let subtitle = [Some(job.building.clone()), job.source.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let body = match job.status {
        JobStatus::Uploaded => view! { <MappingStep id=job.id refresh=refresh /> }.into_any(),
        JobStatus::Queued | JobStatus::Applying => {
            view! { <Progress job=job.clone() /> }.into_any()
        }
        JobStatus::Done | JobStatus::Failed => {
            view! { <JobResult job=job.clone() refresh=refresh /> }.into_any()
        }
    };
    view! {
        <div class="mb-5 flex flex-wrap items-start justify-between gap-3">
            <div class="min-w-0">
                <h1 class="break-all text-2xl font-bold tracking-tight text-ink-900" data-testid="import-file">{job.file_name.clone()}</h1>
                <p class="mt-1 text-ink-700">{subtitle}</p>
                <p class="text-sm text-ink-600">{move || fill(i18n.t().import_uploaded_by, &[("name", &by), ("date", &format_datetime_in(created_at, zone.get(), i18n.locale()))])}</p>
            </div>
            <span data-testid="import-status"><Badge tone=tone>{move || status_badge(status, i18n.t()).1}</Badge></span>
        </div>
        {body}
    }
}

fn encoding_label(e: Encoding, t: &Tr) -> &'static str {
    match e {
        Encoding::Auto => t.import_encoding_auto,
        Encoding::Utf8 => t.import_encoding_utf8,
        Encoding::Cp1251 => t.import_encoding_cp1251,
    }
}

/// Mapping, the row check and the start button.
#[component]
fn MappingStep(id: ImportJobId, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // The request the preview answers: None first (the saved mapping), then what was chosen.
    let request = RwSignal::new(None::<(String, String)>);
    let preview = Resource::new(
        move || request.get(),
        move |r| async move {
            match r {
                None => get_import_preview(id, None, None).await,
                Some((m, e)) => get_import_preview(id, Some(m), Some(e)).await,
            }
        },
    );
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(p) => view! { <MappingForm preview=p request=request refresh=refresh /> }.into_any(),
                    Err(e @ AppError::Validation { .. }) => {
                        let msg = import_error(&e, i18n.t());
                        view! {
                            <FormError message=Signal::derive(move || Some(msg.clone())) test_id="import-error" />
                            <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| request.set(None))>{move || i18n.t().common_retry}</Button>
                        }.into_any()
                    }
                    Err(e) => load_error(e, Callback::new(move |()| preview.refetch())),
                }
            })}
        </Transition>
    }
}

#[component]
fn MappingForm(
    preview: ImportPreview,
    request: RwSignal<Option<(String, String)>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = preview.job.id;
    let is_csv = preview.job.file_kind == super::model::FileKind::Csv;
    let mapping = RwSignal::new(preview.columns.iter().map(|c| c.field).collect::<Vec<_>>());
    let encoding = RwSignal::new(preview.job.encoding.as_db().to_owned());
    let valid_only = RwSignal::new(false);
    let start = ServerAction::<ImportStart>::new();
    let start_error = Signal::derive(move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| import_error(&e, i18n.t()))
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            refresh.run(());
        }
    });
    let check = move |()| {
        request.set(Some((
            mapping_codes(&mapping.get_untracked()),
            encoding.get_untracked(),
        )));
    };
    let rejected = preview.rejected;
    let blocked = preview.mapping_problem.is_some();
    let can_start = Signal::derive(move || {
        !blocked && (rejected == 0 || valid_only.get()) && !start.pending().get()
    });
    let encoding_used = preview.encoding_used;
    let mapping_problem = preview.mapping_problem.clone();
    let columns = preview.columns.clone();
    view! {
        <section class="mb-6 space-y-3">
            <h2 class="text-lg font-semibold text-ink-900">{move || i18n.t().import_mapping_title}</h2>
            <p class="text-ink-700">{move || i18n.t().import_mapping_lead}</p>
            {is_csv.then(|| view! {
                <div class="flex flex-wrap items-end gap-3">
                    <div class="w-full space-y-1 sm:w-72">
                        <label for="imp-encoding" class="block text-sm font-medium text-ink-800">{move || i18n.t().import_encoding}</label>
                        <select id="imp-encoding" class=INPUT_CLASS prop:value=move || encoding.get() on:change=move |ev| encoding.set(event_target_value(&ev))>
                            {Encoding::ALL.iter().map(|e| view! { <option value=e.as_db()>{move || encoding_label(*e, i18n.t())}</option> }).collect_view()}
                        </select>
                    </div>
                    {encoding_used.map(|e| view! {
                        <p class="pb-2 text-sm text-ink-600" data-testid="import-encoding-used">{move || fill(i18n.t().import_encoding_used, &[("encoding", encoding_label(e, i18n.t()))])}</p>
                    })}
                </div>
            })}
            // A list rather than a table: on a phone each column is a card with its select in
            // reach; from md up the three parts line up as columns.
            <div class="overflow-hidden rounded-xl bg-white ring-1 ring-ink-200">
                <div class="hidden bg-ink-50 px-4 py-2.5 text-xs font-semibold uppercase tracking-wide text-ink-600 md:grid md:grid-cols-3 md:gap-4" aria-hidden="true">
                    <span>{move || i18n.t().import_col_column}</span>
                    <span>{move || i18n.t().import_col_samples}</span>
                    <span>{move || i18n.t().import_col_field}</span>
                </div>
                <ul class="divide-y divide-ink-200" data-testid="import-columns">
                    {columns.into_iter().enumerate().map(|(i, c)| {
                        let select_id = format!("imp-col-{i}");
                        let header = if c.header.is_empty() { None } else { Some(c.header.clone()) };
                        let samples = c.samples.join(" · ");
                        view! {
                            <li class="grid gap-2 px-4 py-3 md:grid-cols-3 md:items-center md:gap-4">
                                <label for=select_id.clone() class="font-medium text-ink-900">
                                    {move || header.clone().unwrap_or_else(|| fill(i18n.t().import_column_n, &[("n", &(i + 1).to_string())]))}
                                </label>
                                <p class="min-w-0 break-words text-sm text-ink-600">{samples}</p>
                                <select id=select_id class=INPUT_CLASS data-testid="import-field"
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        mapping.update(|m| if let Some(slot) = m.get_mut(i) { *slot = ImportField::from_db(&v); });
                                    }>
                                    <option value="" selected=c.field.is_none()>{move || i18n.t().import_skip}</option>
                                    {ImportField::ALL.iter().map(|f| {
                                        let selected = c.field == Some(*f);
                                        view! { <option value=f.as_db() selected=selected>{move || field_label(*f, i18n.t())}</option> }
                                    }).collect_view()}
                                </select>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            <Button variant=ButtonVariant::Secondary test_id="import-check" on_click=Callback::new(check)>{move || i18n.t().import_check}</Button>
        </section>
        {match mapping_problem {
            Some(code) => view! {
                <p class="rounded-lg bg-warning-50 p-3 text-warning-900 ring-1 ring-warning-300" role="alert" data-testid="import-mapping-problem">
                    {move || code_text(&code, i18n.t())}
                </p>
            }.into_any(),
            None => view! {
                <Summary preview=preview.clone() />
                <section class="mt-6 space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-ink-200">
                    {(rejected > 0).then(|| view! {
                        <p class="text-ink-800">{move || i18n.t().import_all_or_nothing}</p>
                        <label class="flex min-h-11 items-center gap-3 text-ink-900">
                            <input type="checkbox" class="h-5 w-5 shrink-0 rounded border-ink-300 text-brand-600" data-testid="import-valid-only"
                                prop:checked=move || valid_only.get() on:change=move |ev| valid_only.set(event_target_checked(&ev)) />
                            <span>{move || i18n.t().import_valid_only}</span>
                        </label>
                    })}
                    <FormError message=start_error test_id="import-start-error" />
                    <Button test_id="import-start" disabled=Signal::derive(move || !can_start.get())
                        on_click=Callback::new(move |()| { start.dispatch(ImportStart { id, valid_only: valid_only.get_untracked() }); })>
                        {move || i18n.t().import_start}
                    </Button>
                </section>
            }.into_any(),
        }}
    }
}

fn tile(
    label: &'static str,
    value: u32,
    tone: &'static str,
    test_id: &'static str,
) -> impl IntoView {
    view! {
        <div class=format!("rounded-xl p-4 ring-1 {tone}") data-testid=test_id>
            <p class="text-sm">{label}</p>
            <p class="text-2xl font-semibold tabular-nums">{format_int(i64::from(value))}</p>
        </div>
    }
}

const TILE_CREATED: &str = "bg-success-50 text-success-900 ring-success-200";
const TILE_UPDATED: &str = "bg-info-50 text-info-900 ring-info-200";
const TILE_SAME: &str = "bg-white text-ink-800 ring-ink-200";
const TILE_REJECTED: &str = "bg-danger-50 text-danger-900 ring-danger-200";

/// What the check found: counts, problem rows, and the first rows as read.
#[component]
fn Summary(preview: ImportPreview) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let shown = preview.problems.len();
    let more = preview.rejected as usize > shown;
    view! {
        <h2 class="mb-3 text-lg font-semibold text-ink-900">{t.import_summary_title}</h2>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="import-summary">
            {tile(t.import_would_create, preview.would_create, TILE_CREATED, "import-would-create")}
            {tile(t.import_would_update, preview.would_update, TILE_UPDATED, "import-would-update")}
            {tile(t.import_unchanged, preview.unchanged, TILE_SAME, "import-unchanged")}
            {tile(t.import_rejected, preview.rejected, TILE_REJECTED, "import-rejected")}
        </div>
        {(!preview.problems.is_empty()).then(|| view! {
            <h3 class="mb-2 mt-6 font-semibold text-ink-900">{t.import_problems_title}</h3>
            {more.then(|| view! { <p class="mb-2 text-sm text-ink-600">{fill(t.import_problems_more, &[("count", &shown.to_string())])}</p> })}
            <ReportTable rows=preview.problems.clone() />
        })}
        {(!preview.sample.is_empty()).then(|| view! {
            <h3 class="mb-2 mt-6 font-semibold text-ink-900">{t.import_sample_title}</h3>
            <Table caption=Signal::derive(move || i18n.t().import_sample_title.to_owned())>
                <TableHead labels=Signal::derive(move || {
                    let t = i18n.t();
                    vec![t.import_col_row, t.import_col_unit, t.import_col_account, t.import_col_person, t.people_relation, t.import_col_share, t.import_col_phones, t.import_col_arrears]
                }) />
                <tbody data-testid="import-sample">
                    {preview.sample.iter().map(|r| view! {
                        <tr class=TR>
                            <td class=format!("{TD} tabular-nums")>{r.row_no}</td>
                            <td class=TD>{r.unit.clone()}</td>
                            <td class=TD>{r.account.clone()}</td>
                            <td class=TD>{r.person.clone()}</td>
                            <td class=TD>{r.relation.map(|rel| rel.label(t))}</td>
                            <td class=TD>{r.share.clone()}</td>
                            <td class=format!("{TD} whitespace-nowrap")>{r.phones.split(", ").map(crate::i18n::format_phone).collect::<Vec<_>>().join(", ")}</td>
                            <td class=format!("{TD} whitespace-nowrap tabular-nums")>{r.arrears.map(format_money)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </Table>
        })}
    }
}

/// Report rows as a list (a row number, its outcome, what happened), readable at any width.
#[component]
fn ReportTable(rows: Vec<ReportRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="divide-y divide-ink-200 rounded-xl bg-white ring-1 ring-ink-200" data-testid="import-report">
            {rows.into_iter().map(|r| {
                let detail = r.detail.clone();
                let no = r.row_no.to_string();
                // "№ 8 · Васильев Сергей Михайлович": which line of the file this is.
                let who = [r.summary.unit.clone(), r.summary.person.clone()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let values = r.summary.values.clone();
                view! {
                    <li class="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-3" data-testid="import-report-row">
                        <span class="w-24 shrink-0 text-sm tabular-nums text-ink-600">{move || format!("{} {no}", i18n.t().import_col_row)}</span>
                        <Badge tone=outcome_tone(r.outcome)>{move || outcome_text(r.outcome, i18n.t())}</Badge>
                        <span class="min-w-0 flex-1 basis-56 text-sm text-ink-800">
                            {(!who.is_empty()).then(|| view! { <span class="font-medium text-ink-900" data-testid="import-row-who">{who}</span><br /> })}
                            {move || detail_text(&detail, i18n.t())}
                            {(!values.is_empty()).then(|| {
                                let values = values.clone();
                                view! {
                                    <span class="block text-ink-600" data-testid="import-row-values">
                                        {move || values.iter().map(|(field, value)| {
                                            let name = ImportField::from_db(field).map_or(field.as_str(), |f| field_label(f, i18n.t()));
                                            format!("{name}: «{value}»")
                                        }).collect::<Vec<_>>().join("; ")}
                                    </span>
                                }
                            })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The progress bar of a running import (the page polls the job every second).
#[component]
fn Progress(job: ImportJob) -> impl IntoView {
    let i18n = use_i18n();
    let total = job.rows_total.max(1);
    let done = job.rows_done.min(total);
    view! {
        <section class="space-y-3 rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="import-progress">
            <label for="imp-progress" class="block font-medium text-ink-900">
                {move || fill(i18n.t().import_progress, &[("done", &format_int(i64::from(done))), ("total", &format_int(i64::from(job.rows_total)))])}
            </label>
            <progress id="imp-progress" max=total.to_string() value=done.to_string()
                class="h-3 w-full overflow-hidden rounded-full [&::-moz-progress-bar]:bg-brand-600 [&::-webkit-progress-bar]:bg-ink-100 [&::-webkit-progress-value]:bg-brand-600">
            </progress>
            <p class="text-sm text-ink-600">{move || i18n.t().import_progress_lead}</p>
        </section>
    }
}

/// The result: counts, why it stopped (if it did), the row report.
#[component]
fn JobResult(job: ImportJob, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = use_zone();
    let id = job.id;
    let filter = RwSignal::new(None::<RowOutcome>);
    let page = RwSignal::new(1u32);
    let report = Resource::new(
        move || (filter.get(), page.get()),
        move |(outcome, page)| import_report(id, outcome, page),
    );
    let restart = ServerAction::<ImportStart>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = restart.value().get() {
            refresh.run(());
        }
    });
    let restart_error = Signal::derive(move || {
        restart
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| import_error(&e, i18n.t()))
    });
    let refused = job.error.as_deref() == Some("rows:rejected");
    let failed = job.status == JobStatus::Failed && !refused;
    let finished = job.finished_at;
    let t = i18n.t();
    let filters: [(Option<RowOutcome>, &'static str); 4] = [
        (None, t.import_report_all),
        (Some(RowOutcome::Created), t.import_created),
        (Some(RowOutcome::Updated), t.import_updated),
        (Some(RowOutcome::Rejected), t.import_rejected),
    ];
    view! {
        <h2 class="mb-3 text-lg font-semibold text-ink-900">{t.import_result_title}</h2>
        {finished.map(|f| view! { <p class="mb-3 text-sm text-ink-600">{move || fill(i18n.t().import_finished, &[("date", &format_datetime_in(f, zone.get(), i18n.locale()))])}</p> })}
        {refused.then(|| view! {
            <div class="mb-4 space-y-3 rounded-lg bg-warning-50 p-4 text-warning-900 ring-1 ring-warning-300" role="alert" data-testid="import-refused">
                <p>{move || i18n.t().import_failed_rejected}</p>
                <FormError message=restart_error />
                <Button test_id="import-apply-valid" disabled=Signal::derive(move || restart.pending().get())
                    on_click=Callback::new(move |()| { restart.dispatch(ImportStart { id, valid_only: true }); })>
                    {move || i18n.t().import_apply_valid}
                </Button>
            </div>
        })}
        {failed.then(|| view! {
            <p class="mb-4 rounded-lg bg-danger-50 p-4 text-danger-900 ring-1 ring-danger-200" role="alert">{move || i18n.t().import_failed_apply}</p>
        })}
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="import-result">
            {tile(t.import_created, job.created, TILE_CREATED, "import-created")}
            {tile(t.import_updated, job.updated, TILE_UPDATED, "import-updated")}
            {tile(t.import_unchanged, job.unchanged, TILE_SAME, "import-unchanged")}
            {tile(t.import_rejected, job.rejected, TILE_REJECTED, "import-rejected")}
        </div>
        <h3 class="mb-2 mt-6 font-semibold text-ink-900">{t.import_report_title}</h3>
        <div class="mb-3 flex flex-wrap gap-2" role="group">
            {filters.into_iter().map(|(o, label)| view! {
                <button type="button" aria-pressed=move || (filter.get() == o).to_string()
                    class=move || format!("min-h-11 rounded-full px-4 text-sm font-medium ring-1 {}", if filter.get() == o { "bg-brand-600 text-white ring-brand-600" } else { "bg-white text-ink-800 ring-ink-300 hover:bg-ink-50" })
                    on:click=move |_| { filter.set(o); page.set(1); }>
                    {label}
                </button>
            }).collect_view()}
        </div>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) if r.rows.is_empty() => view! { <p class="text-ink-600">{move || i18n.t().import_report_none}</p> }.into_any(),
                    Ok(r) => {
                        let pages = r.total.div_ceil(REPORT_PAGE).max(1);
                        view! {
                            <ReportTable rows=r.rows />
                            {(pages > 1).then(|| view! {
                                <div class="mt-3 flex items-center gap-3">
                                    <Button variant=ButtonVariant::Secondary disabled=Signal::derive(move || page.get() <= 1)
                                        on_click=Callback::new(move |()| page.update(|p| *p = p.saturating_sub(1).max(1)))>{move || i18n.t().people_prev}</Button>
                                    <span class="text-sm text-ink-700">{move || fill(i18n.t().people_page_n, &[("page", &page.get().to_string()), ("pages", &pages.to_string())])}</span>
                                    <Button variant=ButtonVariant::Secondary disabled=Signal::derive(move || page.get() >= pages)
                                        on_click=Callback::new(move |()| page.update(|p| *p += 1))>{move || i18n.t().people_next}</Button>
                                </div>
                            })}
                        }.into_any()
                    }
                    Err(e) => load_error(e, Callback::new(move |()| report.refetch())),
                }
            })}
        </Transition>
    }
}
