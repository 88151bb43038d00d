-- Accounts. The foundation creates platform administrators (`platforma create-admin`);
-- the access work adds sessions, roles, groups and scopes on top of this table.

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    company_id         BIGINT REFERENCES companies (id),
    login              TEXT NOT NULL CONSTRAINT users_login_key UNIQUE,
    display_name       TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    is_platform_admin  BOOLEAN NOT NULL DEFAULT FALSE,
    is_active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE INDEX users_company_idx ON users (company_id);
