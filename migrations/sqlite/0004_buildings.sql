-- Buildings registry: global addresses, the addresses a company serves, buildings with their
-- entrances (sections, parking and non-residential blocks) and units, and work areas. Grants
-- scoped to buildings or work areas name their targets here; residents reach units only through
-- an invitation or a claim that staff confirmed.

-- A child company lets its holding see it in the registry only when it says so.
ALTER TABLE companies ADD COLUMN holding_access BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE addresses (
    id          INTEGER PRIMARY KEY,
    region      TEXT NOT NULL,
    city        TEXT NOT NULL,
    street      TEXT NOT NULL,
    house       TEXT NOT NULL,
    block       TEXT NOT NULL DEFAULT '',
    -- Lower case, ё as е, abbreviations and spacing unified: one address, one row.
    normalized  TEXT NOT NULL CONSTRAINT addresses_normalized_key UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE company_addresses (
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    address_id  BIGINT NOT NULL REFERENCES addresses (id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (company_id, address_id)
);

CREATE TABLE buildings (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    address_id  BIGINT NOT NULL REFERENCES addresses (id),
    name        TEXT NOT NULL,
    year_built  INTEGER,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CONSTRAINT buildings_address_key UNIQUE (company_id, address_id)
);

CREATE INDEX buildings_company_idx ON buildings (company_id);

CREATE TABLE entrances (
    id           INTEGER PRIMARY KEY,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    building_id  BIGINT NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CONSTRAINT entrances_kind_check
                 CHECK (kind IN ('residential', 'parking', 'non_residential')),
    floor_from   INTEGER NOT NULL,
    floor_to     INTEGER NOT NULL,
    CONSTRAINT entrances_name_key UNIQUE (building_id, name),
    CONSTRAINT entrances_floors_check CHECK (floor_from <= floor_to)
);

CREATE INDEX entrances_building_idx ON entrances (building_id, position);

CREATE TABLE units (
    id           INTEGER PRIMARY KEY,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    building_id  BIGINT NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    entrance_id  BIGINT NOT NULL REFERENCES entrances (id),
    floor        INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    number       TEXT NOT NULL,
    kind         TEXT NOT NULL CONSTRAINT units_kind_check
                 CHECK (kind IN ('apartment', 'non_residential', 'parking', 'storage')),
    -- Square metres times 100 (two decimals, exact in both databases).
    area_dm2     BIGINT,
    account      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CONSTRAINT units_number_key UNIQUE (building_id, number),
    CONSTRAINT units_account_key UNIQUE (company_id, account)
);

CREATE INDEX units_grid_idx ON units (building_id, entrance_id, floor, position);

CREATE TABLE work_areas (
    id           INTEGER PRIMARY KEY,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    CONSTRAINT work_areas_name_key UNIQUE (company_id, name)
);

-- A work area covers whole buildings (entrance_id NULL) or single entrances.
CREATE TABLE work_area_parts (
    id            INTEGER PRIMARY KEY,
    work_area_id  BIGINT NOT NULL REFERENCES work_areas (id) ON DELETE CASCADE,
    building_id   BIGINT NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
    entrance_id   BIGINT REFERENCES entrances (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX work_area_parts_unique_idx ON work_area_parts (work_area_id, building_id, COALESCE(entrance_id, 0));
CREATE INDEX work_area_parts_building_idx ON work_area_parts (building_id);

-- The buildings or work areas a grant with scope 'buildings' / 'work_areas' holds in.
CREATE TABLE role_grant_targets (
    grant_id      BIGINT NOT NULL REFERENCES role_grants (id) ON DELETE CASCADE,
    building_id   BIGINT REFERENCES buildings (id) ON DELETE CASCADE,
    work_area_id  BIGINT REFERENCES work_areas (id) ON DELETE CASCADE,
    CONSTRAINT role_grant_targets_one_check CHECK ((building_id IS NULL) <> (work_area_id IS NULL))
);

CREATE INDEX role_grant_targets_grant_idx ON role_grant_targets (grant_id);

-- Staff invite a phone number to a unit; the resident who signs in with that number gets the
-- link: the sign-in code proves the phone, so nobody links a unit by saying it is theirs.
CREATE TABLE unit_invitations (
    id            INTEGER PRIMARY KEY,
    company_id    BIGINT NOT NULL REFERENCES companies (id),
    unit_id       BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    phone         TEXT NOT NULL,
    relation      TEXT NOT NULL CONSTRAINT unit_invitations_relation_check
                  CHECK (relation IN ('owner', 'tenant', 'occupant', 'representative')),
    display_name  TEXT NOT NULL,
    created_by    BIGINT REFERENCES users (id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    accepted_at   TEXT,
    revoked_at    TEXT
);

CREATE INDEX unit_invitations_phone_idx ON unit_invitations (phone);
CREATE INDEX unit_invitations_unit_idx ON unit_invitations (unit_id);

-- A resident account's link to a unit: active links are the resident's "own units" scope.
-- 'pending' is a resident's claim waiting for staff; nothing is reachable until 'active'.
CREATE TABLE resident_units (
    id            INTEGER PRIMARY KEY,
    company_id    BIGINT NOT NULL REFERENCES companies (id),
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unit_id       BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    relation      TEXT NOT NULL CONSTRAINT resident_units_relation_check
                  CHECK (relation IN ('owner', 'tenant', 'occupant', 'representative')),
    status        TEXT NOT NULL CONSTRAINT resident_units_status_check
                  CHECK (status IN ('pending', 'active', 'rejected', 'ended')),
    source        TEXT NOT NULL CONSTRAINT resident_units_source_check
                  CHECK (source IN ('invitation', 'claim')),
    note          TEXT NOT NULL DEFAULT '',
    requested_at  TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    BIGINT REFERENCES users (id),
    CONSTRAINT resident_units_key UNIQUE (user_id, unit_id)
);

CREATE INDEX resident_units_unit_idx ON resident_units (unit_id);
CREATE INDEX resident_units_company_status_idx ON resident_units (company_id, status);
