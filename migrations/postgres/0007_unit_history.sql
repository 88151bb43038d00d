-- The unit page's history: audit entries may name the unit they concern (a person linked to it,
-- a resident invited to it) besides their own entity, and import report rows keep the unit they
-- wrote. At most one running import per company, enforced by the database, not only by the
-- start transaction's check (two simultaneous starts on PostgreSQL could both pass it).

ALTER TABLE audit_log ADD COLUMN unit_id BIGINT;
CREATE INDEX audit_log_unit_idx ON audit_log (unit_id, at) WHERE unit_id IS NOT NULL;

ALTER TABLE import_rows ADD COLUMN unit_id BIGINT;
CREATE INDEX import_rows_unit_idx ON import_rows (unit_id) WHERE unit_id IS NOT NULL;

CREATE UNIQUE INDEX import_jobs_one_running_idx ON import_jobs (company_id)
    WHERE status IN ('queued', 'applying');
