//! Where every column of every table goes in a JSON export, or why it does not: the one list
//! a test holds the schema to (a table or column added without a line here fails it), and
//! the list the round-trip test compares two databases by.

/// What an export does with one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// Written as it is (as a record's field of the same or a similar name).
    Value,
    /// A row id of another table, written as what names that row; the SQL gives that name
    /// (`{}` stands for the id), so two databases can be compared by it.
    Ref(&'static str),
    /// Not written: the import rebuilds it from what is written. Why, in words.
    Rebuilt(&'static str),
    /// Not written, on purpose. Why, in words.
    Local(&'static str),
}

use Carried::{Local, Rebuilt, Ref, Value};

const ROW_ID: Carried = Rebuilt("a row id: a new database gives its own ids, in the file's order");
const UNIT: Carried = Ref("(SELECT code FROM unit WHERE id = {})");
const METHOD: Carried = Ref("(SELECT name FROM method WHERE id = {})");
/// An event is named by its place in recording order (the order the file keeps).
const EVENT: Carried = Ref("(SELECT count(*) FROM stage_event WHERE id < {})");
/// A confirmation likewise.
const CONFIRMATION: Carried = Ref("(SELECT count(*) FROM confirmation WHERE id < {})");
/// A round is named by its name.
const ROUND: Carried = Ref("(SELECT name FROM round WHERE id = {})");
/// An adoption is named by its method and unit.
const ADOPTION_REF: Carried = Ref("(SELECT m.name || ' / ' || u.code FROM adoption a
      JOIN method m ON m.id = a.method_id JOIN unit u ON u.id = a.unit_id WHERE a.id = {})");
const EDITS: Carried =
    Rebuilt("counts edits for the conflict check of open forms; a new database starts again");
const SEARCH: Carried = Rebuilt("folded from the names for searching and sorting");
const ADOPTION: Carried = Rebuilt(
    "one row per method and unit with its current stage: rebuilt from the events (the latest \
     that is not retracted)",
);

/// Every table of the schema and each of its columns, in the schema's order.
pub const TABLES: &[(&str, &[(&str, Carried)])] = &[
    (
        "stage",
        &[
            (
                "code",
                Rebuilt("the fixed vocabulary of stages, made by the schema"),
            ),
            (
                "rank",
                Rebuilt("the fixed vocabulary of stages, made by the schema"),
            ),
        ],
    ),
    (
        "method",
        &[
            ("id", ROW_ID),
            ("name", Value),
            ("short_name", Value),
            ("kind", Value),
            ("area", Value),
            ("description", Value),
            ("target_group", Value),
            ("origin", Value),
            ("evidence", Value),
            ("evidence_link", Value),
            ("contact", Value),
            ("search", SEARCH),
            ("sort_key", SEARCH),
            ("version", EDITS),
            ("created_at", Value),
            ("created_by", Value),
            ("updated_at", Value),
            ("updated_by", Value),
            ("label_key", SEARCH),
        ],
    ),
    (
        "unit",
        &[
            ("id", ROW_ID),
            ("code", Value),
            ("name", Value),
            ("kind", Value),
            ("region", Value),
            ("valid_from", Value),
            ("valid_to", Value),
            ("successor_id", UNIT),
            ("search", SEARCH),
            ("sort_key", SEARCH),
            ("version", EDITS),
            ("created_at", Value),
            ("created_by", Value),
            ("updated_at", Value),
            ("updated_by", Value),
        ],
    ),
    (
        "adoption",
        &[
            ("id", ROW_ID),
            ("method_id", ADOPTION),
            ("unit_id", ADOPTION),
            ("stage", ADOPTION),
            ("since", ADOPTION),
            ("current_event_id", ADOPTION),
            ("heard", ADOPTION),
            ("first_pilot", ADOPTION),
            ("first_in_use", ADOPTION),
            ("lapsed", ADOPTION),
            ("version", ADOPTION),
            ("created_at", ADOPTION),
            ("created_by", ADOPTION),
            ("updated_at", ADOPTION),
            ("updated_by", ADOPTION),
        ],
    ),
    (
        "stage_event",
        &[
            ("id", ROW_ID),
            (
                "adoption_id",
                Ref("(SELECT m.name || ' / ' || u.code FROM adoption a
                      JOIN method m ON m.id = a.method_id JOIN unit u ON u.id = a.unit_id
                      WHERE a.id = {})"),
            ),
            ("stage", Value),
            ("effective", Value),
            ("note", Value),
            ("source", Value),
            ("recorded_at", Value),
            ("recorded_by", Value),
        ],
    ),
    (
        "retraction",
        &[
            ("event_id", EVENT),
            ("reason", Value),
            ("retracted_at", Value),
            ("retracted_by", Value),
        ],
    ),
    (
        "user",
        &[
            ("login", Value),
            ("display_name", Value),
            ("role", Value),
            ("created_at", Value),
            ("created_by", Value),
        ],
    ),
    ("user_unit", &[("login", Value), ("unit_id", UNIT)]),
    (
        "user_key",
        &[
            ("id", ROW_ID),
            ("login", Value),
            ("kind", Value),
            ("body", Value),
            ("comment", Value),
            ("added_at", Value),
            ("added_by", Value),
        ],
    ),
    (
        "draft",
        &[
            ("login", DRAFT),
            ("form", DRAFT),
            ("target_id", DRAFT),
            ("version", DRAFT),
            ("fields", DRAFT),
            ("original", DRAFT),
            ("saved_at", DRAFT),
        ],
    ),
    (
        "recorder",
        &[(
            "login",
            Rebuilt("who appears in the change log, kept by a trigger for the Activity filter"),
        )],
    ),
    ("counter", &[("name", COUNTS), ("value", COUNTS)]),
    (
        "unit_lineage",
        &[
            ("predecessor_id", UNIT),
            ("successor_id", UNIT),
            ("effective", Value),
        ],
    ),
    (
        "change",
        &[
            ("id", ROW_ID),
            ("kind", Value),
            ("at", Value),
            ("login", Value),
            ("event_id", EVENT),
            ("method_id", METHOD),
            ("unit_id", UNIT),
            ("stage", Value),
            ("fields", Value),
            ("confirmation_id", CONFIRMATION),
        ],
    ),
    (
        "change_paused",
        &[(
            "one",
            Rebuilt("a mark that exists only inside a bulk load's own transaction"),
        )],
    ),
    ("setting", &[("key", Value), ("value", Value)]),
    (
        "confirmation",
        &[
            ("id", ROW_ID),
            ("adoption_id", ADOPTION_REF),
            ("stage", Value),
            ("effective", Value),
            ("note", Value),
            ("recorded_at", Value),
            ("recorded_by", Value),
        ],
    ),
    (
        "confirmation_retraction",
        &[
            ("confirmation_id", CONFIRMATION),
            ("reason", Value),
            ("retracted_at", Value),
            ("retracted_by", Value),
        ],
    ),
    (
        "round",
        &[
            ("id", ROW_ID),
            ("name", Value),
            ("due", Value),
            ("area", Value),
            ("opened_at", Value),
            ("opened_by", Value),
            ("closed_at", Value),
            ("closed_by", Value),
        ],
    ),
    ("round_unit", &[("round_id", ROUND), ("unit_id", UNIT)]),
    (
        "round_method",
        &[("round_id", ROUND), ("method_id", METHOD)],
    ),
    (
        "round_answer",
        &[
            ("id", ROW_ID),
            ("round_id", ROUND),
            ("unit_id", UNIT),
            ("method_id", METHOD),
            ("answer", Value),
            ("event_id", EVENT),
            ("confirmation_id", CONFIRMATION),
            ("answered_at", Value),
            ("answered_by", Value),
        ],
    ),
];

const DRAFT: Carried = Local(
    "a login's unsaved typing in an open form, tied to this file's record ids and versions: \
     offered again only in the database it was typed in",
);
const COUNTS: Carried = Rebuilt("counts of events and changes, kept by triggers");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_is_said_in_words() {
        for (table, columns) in TABLES {
            for (column, carried) in *columns {
                if let Rebuilt(why) | Local(why) = carried {
                    assert!(why.len() > 20, "{table}.{column}: {why}");
                }
                if let Ref(sql) = carried {
                    assert!(sql.contains("{}"), "{table}.{column}: {sql}");
                }
            }
        }
    }
}
