-- People (clients) of a management company: contacts, relations to units, vehicles, consents
-- and notes. A person belongs to one company; phones are E.164, plates one Cyrillic normal form,
-- names also kept folded (lower case, ё as е) for search. A merged duplicate keeps its row with
-- merged_into set, so old links to it still find the person it became.

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    company_id    BIGINT NOT NULL REFERENCES companies (id),
    kind          TEXT NOT NULL CONSTRAINT people_kind_check
                  CHECK (kind IN ('person', 'organization')),
    last_name     TEXT NOT NULL DEFAULT '',
    first_name    TEXT NOT NULL DEFAULT '',
    middle_name   TEXT NOT NULL DEFAULT '',
    -- For organisations (an owner may be a company): the organisation's name.
    organization  TEXT NOT NULL DEFAULT '',
    search_name   TEXT NOT NULL,
    merged_into   BIGINT REFERENCES people (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX people_company_name_idx ON people (company_id, search_name);

CREATE TABLE person_phones (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    phone       TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    CONSTRAINT person_phones_person_key UNIQUE (person_id, phone)
);

CREATE INDEX person_phones_company_phone_idx ON person_phones (company_id, phone);

CREATE TABLE person_emails (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    CONSTRAINT person_emails_person_key UNIQUE (person_id, email)
);

CREATE INDEX person_emails_company_email_idx ON person_emails (company_id, email);

-- Owner with a share (numerator/denominator), tenant with a period, registered occupant,
-- representative. An ended relation keeps its row with valid_to in the past.
CREATE TABLE person_units (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    unit_id     BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    relation    TEXT NOT NULL CONSTRAINT person_units_relation_check
                CHECK (relation IN ('owner', 'tenant', 'occupant', 'representative')),
    share_num   INTEGER,
    share_den   INTEGER,
    valid_from  TEXT,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    CONSTRAINT person_units_key UNIQUE (person_id, unit_id, relation),
    CONSTRAINT person_units_share_check CHECK (
        (share_num IS NULL AND share_den IS NULL)
        OR (share_num > 0 AND share_den > 0 AND share_num <= share_den)),
    CONSTRAINT person_units_period_check CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);

CREATE INDEX person_units_unit_idx ON person_units (unit_id);

CREATE TABLE vehicles (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    plate       TEXT NOT NULL,
    model       TEXT NOT NULL DEFAULT '',
    color       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    CONSTRAINT vehicles_person_plate_key UNIQUE (person_id, plate)
);

CREATE INDEX vehicles_company_plate_idx ON vehicles (company_id, plate);

-- 152-ФЗ: consent to personal-data processing and to mailings, with when it was given and
-- withdrawn and how it was obtained.
CREATE TABLE person_consents (
    id            INTEGER PRIMARY KEY,
    company_id    BIGINT NOT NULL REFERENCES companies (id),
    person_id     BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CONSTRAINT person_consents_kind_check
                  CHECK (kind IN ('personal_data', 'mailings')),
    given_on      TEXT NOT NULL,
    withdrawn_on  TEXT,
    source        TEXT NOT NULL DEFAULT '',
    recorded_by   BIGINT REFERENCES users (id),
    recorded_at   TEXT NOT NULL,
    CONSTRAINT person_consents_key UNIQUE (person_id, kind)
);

CREATE TABLE person_notes (
    id              INTEGER PRIMARY KEY,
    company_id      BIGINT NOT NULL REFERENCES companies (id),
    person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    author_user_id  BIGINT REFERENCES users (id),
    author_name     TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

CREATE INDEX person_notes_person_idx ON person_notes (person_id, created_at);

-- The phonebook: contacts that are not residents (contractors, emergency and utility services,
-- staff on duty), linked to the buildings or work areas they serve (none: the whole company).
CREATE TABLE phonebook_entries (
    id            INTEGER PRIMARY KEY,
    company_id    BIGINT NOT NULL REFERENCES companies (id),
    category      TEXT NOT NULL CONSTRAINT phonebook_entries_category_check
                  CHECK (category IN ('contractor', 'emergency', 'utility', 'staff', 'government', 'other')),
    name          TEXT NOT NULL,
    organization  TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    search_name   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX phonebook_entries_company_idx ON phonebook_entries (company_id, search_name);

CREATE TABLE phonebook_phones (
    id          INTEGER PRIMARY KEY,
    entry_id    BIGINT NOT NULL REFERENCES phonebook_entries (id) ON DELETE CASCADE,
    phone       TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    CONSTRAINT phonebook_phones_entry_key UNIQUE (entry_id, phone)
);

CREATE INDEX phonebook_phones_phone_idx ON phonebook_phones (phone);

CREATE TABLE phonebook_places (
    entry_id      BIGINT NOT NULL REFERENCES phonebook_entries (id) ON DELETE CASCADE,
    building_id   BIGINT REFERENCES buildings (id) ON DELETE CASCADE,
    work_area_id  BIGINT REFERENCES work_areas (id) ON DELETE CASCADE,
    CONSTRAINT phonebook_places_one_check CHECK ((building_id IS NULL) <> (work_area_id IS NULL))
);

CREATE INDEX phonebook_places_entry_idx ON phonebook_places (entry_id);

-- The audit log is read per card ("history" and "who looked").
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- New permissions for the seeded roles of existing companies (new companies get them from the
-- default role table): every staff member reads the phonebook; administrators and client-facing
-- managers keep it; administrators import from accounting systems.
INSERT INTO role_permissions (role_id, permission)
SELECT id, 'phonebook.view' FROM roles WHERE code = 'staff'
ON CONFLICT DO NOTHING;
INSERT INTO role_permissions (role_id, permission)
SELECT id, 'phonebook.manage' FROM roles WHERE code IN ('administrator', 'customer_service', 'object_manager')
ON CONFLICT DO NOTHING;
INSERT INTO role_permissions (role_id, permission)
SELECT id, 'people.import' FROM roles WHERE code = 'administrator'
ON CONFLICT DO NOTHING;
