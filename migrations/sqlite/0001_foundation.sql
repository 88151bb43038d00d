-- Foundation: the company registry every other table hangs from, and instance metadata.

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CONSTRAINT companies_kind_check
                CHECK (kind IN ('management', 'contractor', 'service_provider')),
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    inn         TEXT NOT NULL CONSTRAINT companies_inn_key UNIQUE,
    phone       TEXT,
    email       TEXT,
    address     TEXT,
    created_at  TEXT NOT NULL
);

CREATE INDEX companies_kind_idx ON companies (kind);

-- Key/value facts about this installation (which demo-data steps ran, the instance id).
CREATE TABLE instance_meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
