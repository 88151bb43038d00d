-- One-time sign-in codes for residents (phone + 6 digits, 10 minutes, single use). Only the
-- SHA-256 of phone and code is kept; attempts are counted so a code cannot be guessed.

CREATE TABLE sign_in_codes (
    id          INTEGER PRIMARY KEY,
    phone       TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX sign_in_codes_phone_idx ON sign_in_codes (phone, created_at);
