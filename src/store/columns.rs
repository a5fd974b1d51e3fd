//! Writing a record's row: one list of (column, value) pairs per record, shared by its insert
//! and its update, so a field is named once between the record and the table.

use anyhow::Result;
use rusqlite::types::ToSql;
use rusqlite::{Transaction, params_from_iter};

/// A stored column and the value that goes into it.
pub(super) type Column<'a> = (&'static str, Box<dyn ToSql + 'a>);

/// Inserts a row of `columns` with who created it when (also as its last change).
pub(super) fn insert_row(
    tx: &Transaction,
    table: &str,
    mut columns: Vec<Column>,
    created: (&str, &str),
    updated: (&str, &str),
) -> Result<i64> {
    columns.extend([
        (
            "created_at",
            Box::new(created.0.to_string()) as Box<dyn ToSql>,
        ),
        ("created_by", Box::new(created.1.to_string())),
        ("updated_at", Box::new(updated.0.to_string())),
        ("updated_by", Box::new(updated.1.to_string())),
    ]);
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    tx.prepare_cached(&format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    ))?
    .execute(params_from_iter(columns.iter().map(|c| &c.1)))?;
    Ok(tx.last_insert_rowid())
}

/// Writes `columns` over row `id`, only if its version is still `version` (when given), and
/// counts the change (`version`, `updated_at`, `updated_by`). Returns the rows changed: 0
/// when someone else changed the row meanwhile.
pub(super) fn update_row(
    tx: &Transaction,
    table: &str,
    mut columns: Vec<Column>,
    (id, version): (i64, Option<i64>),
    (at, by): (&str, &str),
) -> Result<usize> {
    let n = columns.len();
    let set: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", c.0, i + 1))
        .collect();
    columns.extend([
        ("updated_at", Box::new(at.to_string()) as Box<dyn ToSql>),
        ("updated_by", Box::new(by.to_string())),
        ("id", Box::new(id)),
        ("version", Box::new(version)),
    ]);
    let sql = format!(
        "UPDATE {table} SET {}, version = version + 1, updated_at = ?{}, updated_by = ?{}
         WHERE id = ?{} AND (?{} IS NULL OR version = ?{})",
        set.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 4
    );
    Ok(tx
        .prepare_cached(&sql)?
        .execute(params_from_iter(columns.iter().map(|c| &c.1)))?)
}

/// The kinds of methods and units are stored by their codes (a CHECK in the schema holds
/// the column to them).
macro_rules! stored_by_code {
    ($($kind:ty),*) => {$(
        impl rusqlite::types::ToSql for $kind {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.code().into())
            }
        }

        impl rusqlite::types::FromSql for $kind {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                <$kind>::parse(value.as_str()?)
                    .map_err(|e| rusqlite::types::FromSqlError::Other(e.into()))
            }
        }
    )*};
}

stored_by_code!(crate::domain::MethodKind, crate::domain::UnitKind);
