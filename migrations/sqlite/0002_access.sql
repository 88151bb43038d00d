-- Users, roles and access: accounts, positions, roles with inheritance, groups, grants with
-- scopes, server-side sessions, and the append-only audit log.

ALTER TABLE companies ADD COLUMN parent_id BIGINT REFERENCES companies (id);

CREATE TABLE company_types (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CONSTRAINT company_types_kind_check
                CHECK (kind IN ('management', 'contractor', 'service_provider')),
    name        TEXT NOT NULL CONSTRAINT company_types_name_key UNIQUE,
    created_at  TEXT NOT NULL
);

ALTER TABLE companies ADD COLUMN type_id BIGINT REFERENCES company_types (id);

CREATE TABLE positions (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    name        TEXT NOT NULL,
    parent_id   BIGINT REFERENCES positions (id),
    created_at  TEXT NOT NULL,
    CONSTRAINT positions_name_key UNIQUE (company_id, name)
);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    company_id         BIGINT REFERENCES companies (id),
    kind               TEXT NOT NULL CONSTRAINT users_kind_check CHECK (kind IN ('staff', 'resident')),
    login              TEXT CONSTRAINT users_login_key UNIQUE,
    phone              TEXT CONSTRAINT users_phone_key UNIQUE,
    display_name       TEXT NOT NULL,
    password_hash      TEXT,
    position_id        BIGINT REFERENCES positions (id),
    is_platform_admin  BOOLEAN NOT NULL DEFAULT FALSE,
    is_active          BOOLEAN NOT NULL DEFAULT TRUE,
    last_sign_in_at    TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CONSTRAINT users_company_check CHECK (is_platform_admin OR company_id IS NOT NULL),
    CONSTRAINT users_identity_check CHECK (login IS NOT NULL OR phone IS NOT NULL)
);

CREATE INDEX users_company_idx ON users (company_id);

CREATE TABLE roles (
    id           INTEGER PRIMARY KEY,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    code         TEXT,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    parent_id    BIGINT REFERENCES roles (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CONSTRAINT roles_code_key UNIQUE (company_id, code),
    CONSTRAINT roles_name_key UNIQUE (company_id, name)
);

CREATE TABLE role_permissions (
    role_id     BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE user_groups (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CONSTRAINT user_groups_name_key UNIQUE (company_id, name)
);

CREATE TABLE user_group_members (
    group_id  BIGINT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);

-- A role given to a user directly or to a group, holding in a scope: the whole company, chosen
-- buildings or work areas (their targets arrive with the buildings registry), only the user's
-- own assignments, or (residents) their own units.
CREATE TABLE role_grants (
    id          INTEGER PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    role_id     BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    user_id     BIGINT REFERENCES users (id) ON DELETE CASCADE,
    group_id    BIGINT REFERENCES user_groups (id) ON DELETE CASCADE,
    scope       TEXT NOT NULL CONSTRAINT role_grants_scope_check
                CHECK (scope IN ('company', 'buildings', 'work_areas', 'own', 'own_units')),
    created_at  TEXT NOT NULL,
    CONSTRAINT role_grants_holder_check CHECK ((user_id IS NULL) <> (group_id IS NULL))
);

CREATE INDEX role_grants_user_idx ON role_grants (user_id);
CREATE INDEX role_grants_group_idx ON role_grants (group_id);

-- Server-side sessions; the cookie holds a random token, the table its SHA-256.
CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CONSTRAINT sessions_kind_check CHECK (kind IN ('staff', 'resident', 'guard')),
    created_at     TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    ip             TEXT,
    user_agent     TEXT,
    revoked_at     TEXT
);

CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Append-only: who did what, when, from where. No foreign keys, so it outlives the rows it names.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    company_id     BIGINT,
    actor_user_id  BIGINT,
    actor_name     TEXT NOT NULL,
    at             TEXT NOT NULL,
    action         TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      TEXT,
    changes        TEXT NOT NULL DEFAULT '',
    ip             TEXT,
    user_agent     TEXT
);

CREATE INDEX audit_log_company_at_idx ON audit_log (company_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
