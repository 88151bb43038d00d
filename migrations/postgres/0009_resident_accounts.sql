-- A resident account belongs to the person (their phone), not to a company: residents have no
-- company_id; their units do (resident_units.company_id). Staff keep theirs (platform
-- administrators may have none). (SQLite rebuilds the table for this; PostgreSQL alters it.)

ALTER TABLE users DROP CONSTRAINT users_company_check;

UPDATE users SET company_id = NULL WHERE kind = 'resident';

ALTER TABLE users ADD CONSTRAINT users_company_check CHECK (
    (kind = 'resident' AND company_id IS NULL AND NOT is_platform_admin)
    OR (kind = 'staff' AND (is_platform_admin OR company_id IS NOT NULL)));
