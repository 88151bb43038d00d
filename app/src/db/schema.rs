//! Schema introspection: what a database's tables are, read the same way on both engines, so a
//! test can prove the two migration sets build the same schema — not only the same table and
//! column names, but column types (mapped between the dialects), nullability, primary keys,
//! CHECK constraints, indexes (columns, uniqueness, partial predicates), foreign keys (with their
//! `ON DELETE`) and triggers. [`Schema::differences`] lists every mismatch in words.

use super::{Db, DbError};
use std::collections::{BTreeMap, BTreeSet};

/// One column: table, column name, whether it may hold NULL, and its type as one of the portable
/// kinds of [`portable_kind`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    pub table: String,
    pub column: String,
    pub nullable: bool,
    pub kind: String,
}

/// A CHECK constraint, compared by what it mentions: the string and number literals and the
/// table's columns (the dialects print the same condition differently: `kind IN ('a', 'b')` is
/// `kind = ANY (ARRAY['a'::text, 'b'::text])` in PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CheckInfo {
    pub table: String,
    pub name: String,
    pub literals: Vec<String>,
    pub columns: Vec<String>,
}

/// An index: its columns in order (`<expr>` for an expression), uniqueness, and the fingerprint of
/// its partial predicate (literals and columns, as for checks). Indexes behind a `UNIQUE`
/// constraint have engine-made names in SQLite, so they are named by their constraint's columns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexInfo {
    pub table: String,
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    pub predicate: Vec<String>,
}

/// A foreign key: columns → referenced table and columns, and what a delete does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct ForeignKeyInfo {
    pub table: String,
    pub columns: Vec<String>,
    pub references: String,
    pub referenced_columns: Vec<String>,
    pub on_delete: String,
}

/// A trigger's guard: on which table, before or after, which event. Names may differ (one
/// PostgreSQL trigger covers `UPDATE OR DELETE` where SQLite needs two); `TRUNCATE` has no
/// SQLite counterpart and is left out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TriggerInfo {
    pub table: String,
    pub timing: String,
    pub event: String,
}

/// Everything the parity test compares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub columns: Vec<ColumnInfo>,
    pub primary_keys: BTreeMap<String, Vec<String>>,
    pub checks: Vec<CheckInfo>,
    /// CHECK constraints written without a name (SQLite cannot name them afterwards, and error
    /// mapping needs names): the test wants none.
    pub unnamed_checks: Vec<String>,
    pub indexes: Vec<IndexInfo>,
    pub foreign_keys: Vec<ForeignKeyInfo>,
    pub triggers: Vec<TriggerInfo>,
}

/// The portable kind of a declared column type: `id` (the 64-bit integer primary key), `bigint`,
/// `integer`, `text`, `boolean`, `bytes`, `double`. PostgreSQL's `timestamptz` and `date` are
/// `text` in SQLite (RFC 3339 strings), so both map to `text`.
pub fn portable_kind(declared: &str, primary_key: bool) -> String {
    let d = declared.trim().to_ascii_lowercase();
    let kind = match d.as_str() {
        "integer" | "int" | "int4" | "bigint" | "int8" if primary_key => "id",
        "integer" | "int" | "int4" => "integer",
        "bigint" | "int8" => "bigint",
        "smallint" | "int2" => "smallint",
        "text"
        | "character varying"
        | "varchar"
        | "timestamp with time zone"
        | "timestamptz"
        | "date" => "text",
        "boolean" | "bool" => "boolean",
        "blob" | "bytea" => "bytes",
        "real" | "double precision" | "float8" => "double",
        other => return format!("other:{other}"),
    };
    kind.to_owned()
}

/// The literals (quoted strings and numbers) and the given columns an SQL condition mentions,
/// sorted: the part of a condition that survives each engine's way of printing it.
pub fn fingerprint(sql: &str, columns: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    let mut literals = Vec::new();
    let mut mentioned = BTreeSet::new();
    let mut word = String::new();
    let mut chars = sql.chars().peekable();
    let flush =
        |word: &mut String, literals: &mut Vec<String>, mentioned: &mut BTreeSet<String>| {
            if !word.is_empty() {
                let w = word.to_ascii_lowercase();
                if w.chars().all(|c| c.is_ascii_digit()) {
                    literals.push(w);
                } else if columns.contains(&w) {
                    mentioned.insert(w);
                }
                word.clear();
            }
        };
    while let Some(c) = chars.next() {
        if c == '\'' {
            flush(&mut word, &mut literals, &mut mentioned);
            let mut lit = String::new();
            while let Some(n) = chars.next() {
                if n == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        lit.push('\'');
                    } else {
                        break;
                    }
                } else {
                    lit.push(n);
                }
            }
            literals.push(format!("'{lit}'"));
        } else if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut literals, &mut mentioned);
        }
    }
    flush(&mut word, &mut literals, &mut mentioned);
    literals.sort();
    (literals, mentioned.into_iter().collect())
}

/// Every column of every application table (migration bookkeeping excluded), sorted.
pub async fn columns(db: &Db) -> Result<Vec<ColumnInfo>, DbError> {
    Ok(read(db).await?.columns)
}

/// `CONSTRAINT name CHECK (...)` clauses of a SQLite `CREATE TABLE` statement, and the text of
/// CHECKs written without a name.
fn sqlite_checks(create: &str) -> (Vec<(String, String)>, Vec<String>) {
    let upper = create.to_ascii_uppercase();
    let mut named = Vec::new();
    let mut unnamed = Vec::new();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK").map(|i| i + from) {
        let before_ok = at == 0 || !upper.as_bytes()[at - 1].is_ascii_alphanumeric();
        let after = upper[at + 5..].trim_start();
        if !before_ok || !after.starts_with('(') {
            from = at + 5;
            continue;
        }
        let open = at + 5 + (upper[at + 5..].len() - after.len());
        let mut depth = 0usize;
        let mut end = open;
        for (i, b) in create[open..].bytes().enumerate() {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let expr = create[open..end].to_owned();
        // The words just before CHECK: `CONSTRAINT name`.
        let head: Vec<&str> = create[..at].split_whitespace().rev().take(2).collect();
        match head.as_slice() {
            [name, kw] if kw.eq_ignore_ascii_case("CONSTRAINT") => {
                named.push(((*name).to_owned(), expr));
            }
            _ => unnamed.push(expr),
        }
        from = end.max(at + 5);
    }
    (named, unnamed)
}

/// Reads the whole schema of the application's tables.
pub async fn read(db: &Db) -> Result<Schema, DbError> {
    match db {
        Db::Sqlite(pool) => read_sqlite(pool).await,
        Db::Postgres(pool) => read_postgres(pool).await,
    }
}

async fn read_sqlite(pool: &sqlx::SqlitePool) -> Result<Schema, DbError> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut s = Schema::default();
    let mut table_columns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (table, create) in &tables {
        let cols: Vec<(String, String, bool, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\" = 0 AND pk = 0, pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(table)
        .fetch_all(pool)
        .await?;
        let mut pk: Vec<(i64, String)> = Vec::new();
        let pk_columns = cols.iter().filter(|c| c.3 > 0).count();
        for (column, declared, nullable, pk_pos) in cols {
            // `INTEGER PRIMARY KEY` alone is the row id: the counterpart of an identity column.
            let single_pk =
                pk_pos == 1 && pk_columns == 1 && declared.eq_ignore_ascii_case("INTEGER");
            if pk_pos > 0 {
                pk.push((pk_pos, column.clone()));
            }
            table_columns
                .entry(table.clone())
                .or_default()
                .insert(column.to_ascii_lowercase());
            s.columns.push(ColumnInfo {
                table: table.clone(),
                column,
                nullable,
                kind: portable_kind(&declared, single_pk),
            });
        }
        pk.sort();
        s.primary_keys
            .insert(table.clone(), pk.into_iter().map(|(_, c)| c).collect());
        let empty = BTreeSet::new();
        let known = table_columns.get(table).unwrap_or(&empty);
        let (named, unnamed) = sqlite_checks(create);
        for (name, expr) in named {
            let (literals, columns) = fingerprint(&expr, known);
            s.checks.push(CheckInfo {
                table: table.clone(),
                name,
                literals,
                columns,
            });
        }
        s.unnamed_checks
            .extend(unnamed.into_iter().map(|e| format!("{table}: CHECK {e}")));

        // Indexes: explicit ones by name; those behind UNIQUE constraints by their columns.
        let list: Vec<(String, bool, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(table)
                .fetch_all(pool)
                .await?;
        for (name, unique, origin) in list {
            if origin == "pk" {
                continue;
            }
            let cols: Vec<(i64, Option<String>)> =
                sqlx::query_as("SELECT cid, name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(pool)
                    .await?;
            let columns: Vec<String> = cols
                .into_iter()
                .map(|(cid, c)| match c {
                    Some(c) if cid >= 0 => c,
                    _ => "<expr>".to_owned(),
                })
                .collect();
            let sql: Option<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
            )
            .bind(&name)
            .fetch_optional(pool)
            .await?
            .flatten();
            let predicate = sql
                .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
                .and_then(|q| {
                    q.to_ascii_uppercase()
                        .rfind(" WHERE ")
                        .map(|i| q[i + 7..].to_owned())
                })
                .map(|p| {
                    let (mut l, c) = fingerprint(&p, known);
                    l.extend(c);
                    l
                })
                .unwrap_or_default();
            let name = if origin == "u" {
                format!("unique({})", columns.join(","))
            } else {
                name
            };
            s.indexes.push(IndexInfo {
                table: table.clone(),
                name,
                columns,
                unique,
                predicate,
            });
        }

        let fks: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(pool)
        .await?;
        let mut by_id: BTreeMap<i64, ForeignKeyInfo> = BTreeMap::new();
        for (id, references, from, to, on_delete) in fks {
            let fk = by_id.entry(id).or_insert_with(|| ForeignKeyInfo {
                table: table.clone(),
                columns: Vec::new(),
                references: references.clone(),
                referenced_columns: Vec::new(),
                on_delete: on_delete.to_ascii_uppercase(),
            });
            fk.columns.push(from);
            fk.referenced_columns
                .push(to.unwrap_or_else(|| "id".to_owned()));
        }
        s.foreign_keys.extend(by_id.into_values());
    }
    let triggers: Vec<(String, String)> =
        sqlx::query_as("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(pool)
            .await?;
    for (table, sql) in triggers {
        let words: Vec<String> = sql
            .split_whitespace()
            .map(str::to_ascii_uppercase)
            .collect();
        let timing = ["BEFORE", "AFTER", "INSTEAD"]
            .into_iter()
            .find(|t| words.iter().any(|w| w == t))
            .unwrap_or("?");
        for event in ["INSERT", "UPDATE", "DELETE"] {
            if words
                .iter()
                .take_while(|w| *w != "BEGIN")
                .any(|w| w == event)
            {
                s.triggers.push(TriggerInfo {
                    table: table.clone(),
                    timing: timing.to_owned(),
                    event: event.to_owned(),
                });
            }
        }
    }
    s.sort();
    Ok(s)
}

/// An index as PostgreSQL's catalogue describes it.
#[derive(sqlx::FromRow)]
struct IndexRow {
    table: String,
    name: String,
    unique: bool,
    primary: bool,
    constraint: bool,
    columns: Vec<String>,
    predicate: Option<String>,
}

async fn read_postgres(pool: &sqlx::PgPool) -> Result<Schema, DbError> {
    let mut s = Schema::default();
    let cols: Vec<(String, String, bool, String, bool)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, (is_nullable = 'YES'), data_type::text, (is_identity = 'YES') \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx\\_%' ORDER BY table_name, ordinal_position",
    )
    .fetch_all(pool)
    .await?;
    let mut table_columns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (table, column, nullable, declared, identity) in cols {
        table_columns
            .entry(table.clone())
            .or_default()
            .insert(column.to_ascii_lowercase());
        s.columns.push(ColumnInfo {
            table,
            column,
            nullable,
            kind: portable_kind(&declared, identity),
        });
    }
    let empty = BTreeSet::new();
    let constraints: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid) FROM pg_constraint c \
         WHERE c.contype = 'c' AND c.connamespace = current_schema()::regnamespace",
    )
    .fetch_all(pool)
    .await?;
    for (table, name, def) in constraints {
        let (literals, columns) = fingerprint(&def, table_columns.get(&table).unwrap_or(&empty));
        s.checks.push(CheckInfo {
            table,
            name,
            literals,
            columns,
        });
    }
    // Indexes with their columns in order (attnum 0: an expression) and partial predicates;
    // a primary key is reported as such, a UNIQUE constraint's index by its columns.
    let indexes: Vec<IndexRow> =
        sqlx::query_as(
            "SELECT t.relname::text AS table, i.relname::text AS name, ix.indisunique AS unique, \
                    ix.indisprimary AS primary, \
                    EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype = 'u') AS constraint, \
                    ARRAY(SELECT COALESCE(a.attname::text, '<expr>') FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) \
                          LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum > 0 \
                          ORDER BY k.n) AS columns, \
                    pg_get_expr(ix.indpred, ix.indrelid) AS predicate \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
             WHERE t.relnamespace = current_schema()::regnamespace AND t.relname NOT LIKE '\\_sqlx\\_%'",
        )
        .fetch_all(pool)
        .await?;
    for IndexRow {
        table,
        name,
        unique,
        primary,
        constraint,
        columns,
        predicate,
    } in indexes
    {
        if primary {
            s.primary_keys.insert(table, columns);
            continue;
        }
        let predicate = predicate
            .map(|p| {
                let (mut l, c) = fingerprint(&p, table_columns.get(&table).unwrap_or(&empty));
                l.extend(c);
                l
            })
            .unwrap_or_default();
        let name = if constraint {
            format!("unique({})", columns.join(","))
        } else {
            name
        };
        s.indexes.push(IndexInfo {
            table,
            name,
            columns,
            unique,
            predicate,
        });
    }
    for table in table_columns.keys() {
        s.primary_keys.entry(table.clone()).or_default();
    }
    let fks: Vec<ForeignKeyInfo> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS references, \
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n) \
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns, \
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n) \
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) \
                      AS referenced_columns, \
                CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' \
                                   WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS on_delete \
         FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace",
    )
    .fetch_all(pool)
    .await?;
    s.foreign_keys.extend(fks);
    let triggers: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT event_object_table::text, action_timing::text, event_manipulation::text \
         FROM information_schema.triggers WHERE trigger_schema = current_schema()",
    )
    .fetch_all(pool)
    .await?;
    for (table, timing, event) in triggers {
        s.triggers.push(TriggerInfo {
            table,
            timing,
            event,
        });
    }
    s.sort();
    Ok(s)
}

impl Schema {
    fn sort(&mut self) {
        self.columns.sort();
        self.checks.sort();
        self.unnamed_checks.sort();
        self.indexes.sort();
        self.foreign_keys.sort();
        self.triggers.sort();
        self.triggers.dedup();
    }

    /// Every way `other` differs from `self`, one line each (empty: the same schema).
    pub fn differences(&self, other: &Self, mine: &str, theirs: &str) -> Vec<String> {
        fn diff<T: Ord + std::fmt::Debug>(
            what: &str,
            a: &[T],
            b: &[T],
            mine: &str,
            theirs: &str,
            out: &mut Vec<String>,
        ) {
            let a_set: BTreeSet<&T> = a.iter().collect();
            let b_set: BTreeSet<&T> = b.iter().collect();
            for x in a_set.difference(&b_set) {
                out.push(format!("{what} only in {mine}: {x:?}"));
            }
            for x in b_set.difference(&a_set) {
                out.push(format!("{what} only in {theirs}: {x:?}"));
            }
        }
        let mut out = Vec::new();
        diff(
            "column",
            &self.columns,
            &other.columns,
            mine,
            theirs,
            &mut out,
        );
        let pks = |s: &Self| -> Vec<(String, Vec<String>)> {
            s.primary_keys
                .iter()
                .map(|(t, c)| (t.clone(), c.clone()))
                .collect()
        };
        diff(
            "primary key",
            &pks(self),
            &pks(other),
            mine,
            theirs,
            &mut out,
        );
        diff("check", &self.checks, &other.checks, mine, theirs, &mut out);
        diff(
            "index",
            &self.indexes,
            &other.indexes,
            mine,
            theirs,
            &mut out,
        );
        diff(
            "foreign key",
            &self.foreign_keys,
            &other.foreign_keys,
            mine,
            theirs,
            &mut out,
        );
        // TRUNCATE exists only in PostgreSQL.
        let no_truncate = |s: &Self| -> Vec<TriggerInfo> {
            s.triggers
                .iter()
                .filter(|t| t.event != "TRUNCATE")
                .cloned()
                .collect()
        };
        diff(
            "trigger",
            &no_truncate(self),
            &no_truncate(other),
            mine,
            theirs,
            &mut out,
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialects_print_the_same_check_alike() {
        let cols: BTreeSet<String> = ["kind", "share_num", "share_den"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let sqlite = fingerprint("(kind IN ('person', 'organization'))", &cols);
        let pg = fingerprint(
            "CHECK ((kind = ANY (ARRAY['person'::text, 'organization'::text])))",
            &cols,
        );
        assert_eq!(sqlite, pg);
        let sqlite = fingerprint(
            "((share_num IS NULL AND share_den IS NULL) OR (share_num > 0 AND share_den > 0 AND share_num <= share_den))",
            &cols,
        );
        let pg = fingerprint(
            "CHECK ((((share_num IS NULL) AND (share_den IS NULL)) OR ((share_num > 0) AND (share_den > 0) AND (share_num <= share_den))))",
            &cols,
        );
        assert_eq!(sqlite, pg);
        assert_ne!(
            fingerprint("(kind IN ('person'))", &cols),
            fingerprint("(kind IN ('person', 'organization'))", &cols),
            "a value added on one side shows"
        );
    }

    #[test]
    fn checks_are_found_in_create_table() {
        let (named, unnamed) = sqlite_checks(
            "CREATE TABLE t (kind TEXT NOT NULL CONSTRAINT t_kind_check CHECK (kind IN ('a', 'b')), \
             n INTEGER CHECK (n > 0), CONSTRAINT t_pair CHECK ((n IS NULL) <> (kind IS NULL)))",
        );
        assert_eq!(
            named,
            vec![
                ("t_kind_check".to_owned(), "(kind IN ('a', 'b'))".to_owned()),
                (
                    "t_pair".to_owned(),
                    "((n IS NULL) <> (kind IS NULL))".to_owned()
                ),
            ]
        );
        assert_eq!(unnamed, vec!["(n > 0)".to_owned()]);
    }

    #[test]
    fn types_map_between_the_dialects() {
        assert_eq!(portable_kind("INTEGER", true), "id");
        assert_eq!(portable_kind("bigint", true), "id");
        assert_eq!(portable_kind("TEXT", false), "text");
        assert_eq!(portable_kind("timestamp with time zone", false), "text");
        assert_eq!(portable_kind("BIGINT", false), "bigint");
        assert_eq!(portable_kind("integer", false), "integer");
        assert_ne!(
            portable_kind("BIGINT", false),
            portable_kind("integer", false)
        );
    }
}
