-- Imports of units and people from the company's accounting systems (CSV/XLSX exports), and the
-- arrears those exports carry. A source is one accounting system with its column mapping; a job
-- is one uploaded file: mapped, previewed, then applied in the background in chunks, with a
-- report row for every row that created, updated or rejected something.

CREATE TABLE import_sources (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    name        TEXT NOT NULL,
    -- JSON object: folded column header -> field code.
    mapping     TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CONSTRAINT import_sources_name_key UNIQUE (company_id, name)
);

CREATE TABLE import_jobs (
    id               INTEGER PRIMARY KEY,
    company_id       BIGINT NOT NULL REFERENCES companies (id),
    building_id      BIGINT NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    source_id        BIGINT REFERENCES import_sources (id) ON DELETE SET NULL,
    file_name        TEXT NOT NULL,
    file_kind        TEXT NOT NULL CONSTRAINT import_jobs_kind_check
                     CHECK (file_kind IN ('csv', 'xlsx', 'xls', 'ods')),
    -- For CSV: 'auto', 'utf8' or 'cp1251' as chosen; the detected one is reported on preview.
    encoding         TEXT NOT NULL DEFAULT 'auto',
    content          BLOB NOT NULL,
    file_sha256      TEXT NOT NULL,
    -- JSON array: the field code of each column, or null for a skipped column.
    mapping          TEXT NOT NULL DEFAULT '[]',
    status           TEXT NOT NULL CONSTRAINT import_jobs_status_check
                     CHECK (status IN ('uploaded', 'queued', 'applying', 'done', 'failed')),
    valid_only       BOOLEAN NOT NULL DEFAULT FALSE,
    rows_total       INTEGER NOT NULL DEFAULT 0,
    rows_done        INTEGER NOT NULL DEFAULT 0,
    rows_created     INTEGER NOT NULL DEFAULT 0,
    rows_updated     INTEGER NOT NULL DEFAULT 0,
    rows_unchanged   INTEGER NOT NULL DEFAULT 0,
    rows_rejected    INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    created_by       BIGINT REFERENCES users (id),
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT
);

CREATE INDEX import_jobs_company_idx ON import_jobs (company_id, created_at);
CREATE INDEX import_jobs_status_idx ON import_jobs (status);

-- Rows that created, updated or were rejected (unchanged rows are only counted).
CREATE TABLE import_rows (
    job_id   BIGINT NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    row_no   INTEGER NOT NULL,
    outcome  TEXT NOT NULL CONSTRAINT import_rows_outcome_check
             CHECK (outcome IN ('created', 'updated', 'rejected')),
    -- What was done or why not, as codes the UI translates ("unit:created;phone:added").
    detail   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, row_no)
);

-- A unit's arrears (positive) or prepayment (negative) as last imported, in kopecks.
CREATE TABLE unit_balances (
    unit_id     BIGINT PRIMARY KEY REFERENCES units (id) ON DELETE CASCADE,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    amount      BIGINT NOT NULL,
    as_of       DATE NOT NULL,
    job_id      BIGINT REFERENCES import_jobs (id) ON DELETE SET NULL,
    updated_at  TEXT NOT NULL
);
