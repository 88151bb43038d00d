-- The time zone a company's times are shown in (an IANA name from i18n::ZONES; every time is
-- stored in UTC). Existing companies get Moscow time.
ALTER TABLE companies ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow';
