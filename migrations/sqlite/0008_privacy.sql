-- Security and privacy.
-- * Known devices: browsers an account signed in from before (a hash of the device cookie). When
--   an account's password is guessed from many addresses, only its known devices keep trying.
-- * A resident's link to a unit carries the name that company knows the resident by: a resident
--   account belongs to the person and may hold units of several companies, and no company sees a
--   name another company typed.
-- * An import keeps its file's parsed rows (bounded), so the preview and the apply never read the
--   file again.

CREATE TABLE known_devices (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT NOT NULL,
    CONSTRAINT known_devices_key UNIQUE (user_id, token_hash)
);

ALTER TABLE resident_units ADD COLUMN display_name TEXT NOT NULL DEFAULT '';

UPDATE resident_units SET display_name = (SELECT u.display_name FROM users u WHERE u.id = resident_units.user_id);

-- The parsed table of a job's file, as JSON: {"headers": [...], "rows": [[row number, [cells]], ...],
-- "encoding_used"}. Its own table: the job's row is updated after every chunk of the apply, and a
-- row that carried megabytes of table would be rewritten each time.
CREATE TABLE import_tables (
    job_id      BIGINT PRIMARY KEY REFERENCES import_jobs (id) ON DELETE CASCADE,
    table_json  TEXT NOT NULL
);

-- Found by the stricter schema-parity test: `attempts` was INTEGER here and BIGINT in PostgreSQL
-- (the code reads it as a 64-bit number). Nothing refers to this table: rebuilt in place.
CREATE TABLE sign_in_codes_new (
    id          INTEGER PRIMARY KEY,
    phone       TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    attempts    BIGINT NOT NULL DEFAULT 0
);

INSERT INTO sign_in_codes_new (id, phone, code_hash, created_at, expires_at, used_at, attempts)
SELECT id, phone, code_hash, created_at, expires_at, used_at, attempts FROM sign_in_codes;

DROP TABLE sign_in_codes;

ALTER TABLE sign_in_codes_new RENAME TO sign_in_codes;

CREATE INDEX sign_in_codes_phone_idx ON sign_in_codes (phone, created_at);
