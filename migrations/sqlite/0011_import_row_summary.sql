-- What the import report shows of each line besides its number: the unit and the person as the
-- file wrote them, and the refused values (imports::model::RowSummary as JSON; '' for rows
-- written before this migration).
ALTER TABLE import_rows ADD COLUMN summary TEXT NOT NULL DEFAULT '';
