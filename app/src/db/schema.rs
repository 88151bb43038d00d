//! Schema introspection: the tables and columns a database has, read the same way on both
//! engines, so a test can prove the two migration sets build the same schema.

use super::{Db, DbError};

/// One column: table, column name, and whether it may hold NULL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    pub table: String,
    pub column: String,
    pub nullable: bool,
}

/// Every column of every application table (migration bookkeeping excluded), sorted.
pub async fn columns(db: &Db) -> Result<Vec<ColumnInfo>, DbError> {
    let rows: Vec<(String, String, bool)> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT m.name, p.name, (p.\"notnull\" = 0 AND p.pk = 0) \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
            )
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(
                "SELECT table_name::text, column_name::text, (is_nullable = 'YES') \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx\\_%'",
            )
            .fetch_all(pool)
            .await?
        }
    };
    let mut cols: Vec<ColumnInfo> = rows
        .into_iter()
        .map(|(table, column, nullable)| ColumnInfo {
            table,
            column,
            nullable,
        })
        .collect();
    cols.sort();
    Ok(cols)
}

/// Names of the indexes and named constraints the application defines (for the parity test).
pub async fn index_names(db: &Db) -> Result<Vec<String>, DbError> {
    let mut names: Vec<String> =
        match db {
            Db::Sqlite(pool) => sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' \
                 AND tbl_name NOT LIKE '_sqlx_%'",
            )
            .fetch_all(pool)
            .await?,
            Db::Postgres(pool) => {
                sqlx::query_scalar(
                    "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
                 AND tablename NOT LIKE '\\_sqlx\\_%' AND indexname NOT LIKE '%\\_pkey' \
                 AND indexname NOT LIKE '%\\_key'",
                )
                .fetch_all(pool)
                .await?
            }
        };
    names.sort();
    Ok(names)
}
