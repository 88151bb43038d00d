-- no-transaction
-- A resident account belongs to the person (their phone), not to a company: residents have no
-- company_id; their units do (resident_units.company_id). Staff keep theirs (platform
-- administrators may have none).
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt the documented way
-- (https://www.sqlite.org/lang_altertable.html#otheralter), with foreign keys off so the rebuild
-- neither cascades nor breaks the tables that refer to users. It runs outside sqlx's transaction
-- (the pragma is ignored inside one) and in its own; re-running it after a crash is harmless.

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

DROP TABLE IF EXISTS users_new;

CREATE TABLE users_new (
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
    CONSTRAINT users_company_check CHECK (
        (kind = 'resident' AND company_id IS NULL AND NOT is_platform_admin)
        OR (kind = 'staff' AND (is_platform_admin OR company_id IS NOT NULL))),
    CONSTRAINT users_identity_check CHECK (login IS NOT NULL OR phone IS NOT NULL)
);

INSERT INTO users_new (id, company_id, kind, login, phone, display_name, password_hash, position_id,
                       is_platform_admin, is_active, last_sign_in_at, created_at, updated_at)
SELECT id, CASE WHEN kind = 'resident' THEN NULL ELSE company_id END, kind, login, phone, display_name,
       password_hash, position_id, is_platform_admin, is_active, last_sign_in_at, created_at, updated_at
FROM users;

DROP TABLE users;

ALTER TABLE users_new RENAME TO users;

CREATE INDEX users_company_idx ON users (company_id);

COMMIT;

PRAGMA foreign_keys = ON;
