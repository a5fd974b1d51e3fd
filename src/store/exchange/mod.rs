//! Export and import of a whole database as JSON — the format of `data/sample.json` too.
//! The export carries every table's content (`TABLES` says where each column goes, and what
//! is rebuilt instead); import (`import.rs`) is all-or-nothing (one transaction) and loads
//! into a database made by `init`; its errors name the line (for broken JSON) or the record
//! (for bad content).

mod import;
mod tables;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Store;
use crate::domain::text::{clean_json, clean_text, printable};
use crate::domain::{Method, Retraction, Unit};

pub use import::ImportCounts;
pub use tables::{Carried, TABLES};

/// The version of the JSON format, written as `"spridning": 1`.
pub const FORMAT_VERSION: u32 = 1;

/// A whole register. The keys come in the order an import needs them (units before their
/// lineage and the events; methods before the events; the change log last). Files written
/// before the lineage, settings and change log were exported load as before: the lineage
/// then follows the units' successors and the change log is rebuilt from the records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportData {
    pub spridning: u32,
    /// The register's settings by key (`title`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, String>,
    #[serde(default)]
    pub units: Vec<ExportUnit>,
    /// Who took over from whom, and when (merges and splits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lineage: Option<Vec<ExportLineage>>,
    #[serde(default)]
    pub methods: Vec<ExportMethod>,
    #[serde(default)]
    pub events: Vec<ExportEvent>,
    /// Stages said to still hold on a day, in recording order.
    #[serde(default)]
    pub confirmations: Vec<ExportConfirmation>,
    /// Inventory rounds with their units, named methods and answers, oldest first.
    #[serde(default)]
    pub rounds: Vec<ExportRound>,
    #[serde(default)]
    pub users: Vec<ExportUser>,
    /// The Activity tab's log, oldest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<ExportChange>>,
}

/// An inventory round: its name, due day, area, who opened and closed it when, its units
/// (codes), the methods it names (names) and its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRound {
    pub name: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub area: Option<String>,
    pub opened_at: String,
    pub opened_by: String,
    #[serde(default)]
    pub closed_at: Option<String>,
    #[serde(default)]
    pub closed_by: Option<String>,
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub answers: Vec<ExportAnswer>,
}

/// An answer of a round: the unit (code), the method (name), what was answered, the event
/// or confirmation that said it (by position in `events` / `confirmations`), who and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportAnswer {
    pub unit: String,
    pub method: String,
    pub answer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<usize>,
    pub answered_at: String,
    pub answered_by: String,
}

/// One row of the lineage: `successor` took over (some of) `predecessor`'s work on
/// `effective`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportLineage {
    /// Unit codes.
    pub predecessor: String,
    pub successor: String,
    pub effective: NaiveDate,
}

/// One row of the change log. An event or a retraction refers to its event by position in
/// `events` (0 is the first; the rest of its row is the event's own who, when, method, unit
/// and stage); the other kinds carry when, who, the method (name) or unit (code), and for
/// an edit the fields that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportChange {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<usize>,
    /// A confirmation's or its retraction's row: the confirmation's position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fields: String,
}

/// A confirmation in an export: the method (name), the unit (code), the stage it confirmed,
/// the day it was said to hold, who said so when, and its retraction if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportConfirmation {
    pub method: String,
    pub unit: String,
    pub stage: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
    #[serde(default)]
    pub retracted: bool,
    #[serde(default)]
    pub retraction: Option<Retraction>,
}

impl ExportConfirmation {
    fn from_row(c: &super::ConfirmationRow) -> ExportConfirmation {
        ExportConfirmation {
            method: c.method_name.clone(),
            unit: c.unit.clone(),
            stage: c.stage.code().to_string(),
            date: c.date.clone(),
            note: c.note.clone(),
            recorded_by: c.recorded_by.clone(),
            recorded_at: c.recorded_at.clone(),
            retracted: c.retraction.is_some(),
            retraction: c.retraction.clone(),
        }
    }
}

/// A unit in an export: its fields (`Unit`) and when and by whom it was created and last
/// changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportUnit {
    #[serde(flatten)]
    pub unit: Unit,
    #[serde(flatten)]
    pub stamps: Stamps,
}

impl std::ops::Deref for ExportUnit {
    type Target = Unit;

    fn deref(&self) -> &Unit {
        &self.unit
    }
}

impl<'de> Deserialize<'de> for ExportUnit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ExportUnit, D::Error> {
        let (unit, stamps) = with_stamps(d)?;
        Ok(ExportUnit { unit, stamps })
    }
}

/// A method in an export: its fields (`Method`, the one list of them) and when and by whom
/// it was created and last changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportMethod {
    #[serde(flatten)]
    pub method: Method,
    #[serde(flatten)]
    pub stamps: Stamps,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamps {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

/// An exported method reads as the method it carries.
impl std::ops::Deref for ExportMethod {
    type Target = Method;

    fn deref(&self) -> &Method {
        &self.method
    }
}

impl Stamps {
    const KEYS: [&str; 4] = ["created_at", "created_by", "updated_at", "updated_by"];
}

impl<'de> Deserialize<'de> for ExportMethod {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ExportMethod, D::Error> {
        let (method, stamps) = with_stamps(d)?;
        Ok(ExportMethod { method, stamps })
    }
}

/// A record and its stamps, read as one object whose keys are the record's and the stamps':
/// unknown keys and a key given twice are refused, as in every other record of the file.
fn with_stamps<'de, D, T>(d: D) -> Result<(T, Stamps), D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    let mut fields = d.deserialize_map(StrictObject)?;
    let mut stamps = serde_json::Map::new();
    for key in Stamps::KEYS {
        if let Some(v) = fields.remove(key) {
            stamps.insert(key.to_string(), v);
        }
    }
    Ok((
        serde_json::from_value(serde_json::Value::Object(fields)).map_err(D::Error::custom)?,
        serde_json::from_value(serde_json::Value::Object(stamps)).map_err(D::Error::custom)?,
    ))
}

/// A JSON object that refuses a key given twice (serde_json's own map keeps the last).
struct StrictObject;

impl<'de> serde::de::Visitor<'de> for StrictObject {
    type Value = serde_json::Map<String, serde_json::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
            if out.contains_key(&key) {
                return Err(<A::Error as serde::de::Error>::custom(format!(
                    "duplicate field `{}`",
                    printable(&key)
                )));
            }
            out.insert(key, value);
        }
        Ok(out)
    }
}

/// Every text in a record cleaned of forbidden characters (through its JSON, so no field
/// list is needed here).
fn cleaned<T: Serialize + serde::de::DeserializeOwned + Clone>(record: &T) -> T {
    let Ok(mut value) = serde_json::to_value(record) else {
        return record.clone();
    };
    clean_json(&mut value);
    serde_json::from_value(value).unwrap_or_else(|_| record.clone())
}

/// One stage event; the same shape as `spridning history --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportEvent {
    /// The event's id in the database it came from; import gives new ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Method name or short name.
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_name: Option<String>,
    /// Unit code.
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    pub stage: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub recorded_by: Option<String>,
    #[serde(default)]
    pub recorded_at: Option<String>,
    #[serde(default)]
    pub retracted: bool,
    #[serde(default)]
    pub retraction: Option<Retraction>,
}

/// A registered login in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportUser {
    pub login: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: String,
    #[serde(default)]
    pub units: Vec<String>,
    /// When and by whom the login was registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Their SSH public keys, in the order added (schema 14).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<ExportKey>,
}

/// A person's SSH public key in an export: its line, and when and by whom it was added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportKey {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_by: Option<String>,
}

/// `"name": [ … ]` with one compact element per line.
fn write_array<T: Serialize>(
    out: &mut impl Write,
    name: &str,
    items: &[T],
    comma: bool,
) -> Result<()> {
    write!(out, "  \"{name}\": [")?;
    for (i, item) in items.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *out, item)?;
    }
    let end = if items.is_empty() { "" } else { "\n  " };
    writeln!(out, "{end}]{}", if comma { "," } else { "" })?;
    Ok(())
}

fn clean_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(clean_text)
}

impl ExportEvent {
    /// The same event with every text cleaned of control characters.
    pub fn cleaned(self) -> ExportEvent {
        ExportEvent {
            method: clean_text(&self.method),
            method_name: clean_opt(&self.method_name),
            unit: clean_text(&self.unit),
            unit_name: clean_opt(&self.unit_name),
            note: clean_text(&self.note),
            source: clean_text(&self.source),
            recorded_by: clean_opt(&self.recorded_by),
            retraction: self.retraction.map(|r| Retraction {
                reason: clean_text(&r.reason),
                by: clean_text(&r.by),
                at: clean_text(&r.at),
            }),
            ..self
        }
    }

    /// The export's form of an event (`with_ids`: as `history --format json` writes it).
    pub fn from_row(e: &crate::domain::EventRow, with_ids: bool) -> ExportEvent {
        ExportEvent {
            id: with_ids.then_some(e.id),
            method: if with_ids {
                e.method.clone()
            } else {
                e.method_name.clone()
            },
            method_name: with_ids.then(|| e.method_name.clone()),
            unit: e.unit.clone(),
            unit_name: with_ids.then(|| e.unit_name.clone()),
            stage: e.stage.code().to_string(),
            date: e.date.clone(),
            note: e.note.clone(),
            source: e.source.clone(),
            recorded_by: Some(e.recorded_by.clone()),
            recorded_at: Some(e.recorded_at.clone()),
            retracted: e.retraction.is_some(),
            retraction: e.retraction.clone(),
        }
    }
}

impl Store {
    /// Everything in the database, in a stable order (export → import → export is identical).
    /// Read back from `write_export`, so there is one definition of the format.
    pub fn export(&self) -> Result<ExportData> {
        let mut buf = Vec::new();
        self.write_export(&mut buf)?;
        Ok(serde_json::from_slice(&buf)?)
    }

    /// Writes the whole database as JSON, streaming the events one per line (in recording
    /// order, which an import keeps) and the change log after them, so memory stays small at
    /// any size. Every text is cleaned of control characters on the way out.
    pub fn write_export(&self, out: &mut dyn Write) -> Result<()> {
        // One read transaction: every part comes from the same moment, also while others
        // record (an event committed meanwhile is in neither the events nor the log).
        let snapshot = self.conn.unchecked_transaction()?;
        let Records {
            settings,
            units,
            lineage,
            methods,
            users,
        } = self.records()?;
        let mut out = std::io::BufWriter::new(out);
        writeln!(out, "{{\n  \"spridning\": {FORMAT_VERSION},")?;
        write!(out, "  \"settings\": ")?;
        serde_json::to_writer(&mut out, &settings)?;
        writeln!(out, ",")?;
        write_array(&mut out, "units", &units, true)?;
        write_array(&mut out, "lineage", &lineage, true)?;
        write_array(&mut out, "methods", &methods, true)?;
        writeln!(out, "  \"events\": [")?;
        // The ids of the events in the order written: a change refers to its event by
        // position.
        let mut ids: Vec<i64> = Vec::new();
        self.for_each_event_in_recording_order(|e| {
            if !ids.is_empty() {
                out.write_all(b",\n")?;
            }
            ids.push(e.id);
            out.write_all(b"    ")?;
            serde_json::to_writer(&mut out, &ExportEvent::from_row(&e, false).cleaned())?;
            Ok(())
        })?;
        writeln!(out, "{}],", if ids.is_empty() { "  " } else { "\n  " })?;
        writeln!(out, "  \"confirmations\": [")?;
        let mut confirmed: Vec<i64> = Vec::new();
        self.for_each_confirmation(|c| {
            if !confirmed.is_empty() {
                out.write_all(b",\n")?;
            }
            confirmed.push(c.id);
            out.write_all(b"    ")?;
            serde_json::to_writer(&mut out, &cleaned(&ExportConfirmation::from_row(&c)))?;
            Ok(())
        })?;
        writeln!(
            out,
            "{}],",
            if confirmed.is_empty() { "  " } else { "\n  " }
        )?;
        let rounds = self.export_rounds(&ids, &confirmed)?;
        write_array(&mut out, "rounds", &rounds, true)?;
        write_array(&mut out, "users", &users, true)?;
        writeln!(out, "  \"changes\": [")?;
        let mut first = true;
        self.for_each_change(|mut c, about| {
            // Events and confirmations are written in id order, so their positions are
            // found by search.
            match about {
                Some(About::Event(id)) => c.event = ids.binary_search(&id).ok(),
                Some(About::Confirmation(id)) => {
                    c.confirmation = confirmed.binary_search(&id).ok();
                }
                None => {}
            }
            if !first {
                out.write_all(b",\n")?;
            }
            first = false;
            out.write_all(b"    ")?;
            serde_json::to_writer(&mut out, &cleaned(&c))?;
            Ok(())
        })?;
        writeln!(out, "{}]", if first { "  " } else { "\n  " })?;
        writeln!(out, "}}")?;
        out.flush()?;
        drop(out);
        snapshot.finish()?;
        Ok(())
    }
}

/// Everything of an export but the events and the log (small enough to hold), cleaned.
struct Records {
    settings: BTreeMap<String, String>,
    units: Vec<ExportUnit>,
    lineage: Vec<ExportLineage>,
    methods: Vec<ExportMethod>,
    users: Vec<ExportUser>,
}

impl Store {
    fn records(&self) -> Result<Records> {
        let read = |table| self.exported_stamps(table);
        let unit_stamps = read("unit")?;
        let units: Vec<ExportUnit> = self
            .units()?
            .into_iter()
            .map(|unit| {
                cleaned(&ExportUnit {
                    stamps: unit_stamps.get(&unit.id).cloned().unwrap_or_default(),
                    unit,
                })
            })
            .collect();
        let method_stamps = read("method")?;
        let methods: Vec<ExportMethod> = self
            .methods()?
            .into_iter()
            .map(|method| {
                cleaned(&ExportMethod {
                    stamps: method_stamps.get(&method.id).cloned().unwrap_or_default(),
                    method,
                })
            })
            .collect();
        let registered = self.user_stamps()?;
        let mut keys: BTreeMap<String, Vec<ExportKey>> = BTreeMap::new();
        for k in self.keys(None)? {
            keys.entry(k.login).or_default().push(ExportKey {
                key: k.key.to_string(),
                added_at: Some(k.added_at),
                added_by: Some(k.added_by),
            });
        }
        let users: Vec<ExportUser> = self
            .users()?
            .into_iter()
            .map(|u| {
                let (created_at, created_by) = registered.get(&u.login).cloned().unzip();
                cleaned(&ExportUser {
                    keys: keys.remove(&u.login).unwrap_or_default(),
                    login: u.login,
                    display_name: u.display_name,
                    role: u.role,
                    units: u.units,
                    created_at,
                    created_by,
                })
            })
            .collect();
        let settings: BTreeMap<String, String> = self
            .settings()?
            .into_iter()
            .map(|(k, v)| (clean_text(&k), clean_text(&v)))
            .collect();
        let lineage: Vec<ExportLineage> = self.lineage()?.iter().map(cleaned).collect();
        Ok(Records {
            settings,
            units,
            lineage,
            methods,
            users,
        })
    }
}

/// What a change-log row is about, by id: an event, or a confirmation.
enum About {
    Event(i64),
    Confirmation(i64),
}

/// The reads only an export needs.
impl Store {
    /// Every row's stamps of `unit` or `method`, by id.
    fn exported_stamps(&self, table: &str) -> Result<HashMap<i64, Stamps>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, created_at, created_by, updated_at, updated_by FROM {table}"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                Stamps {
                    created_at: r.get(1)?,
                    created_by: r.get(2)?,
                    updated_at: r.get(3)?,
                    updated_by: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every confirmation in recording order, one at a time.
    /// Every round with its units, named methods and answers; an answer names its event and
    /// confirmation by position (`events` and `confirmations` hold the ids in file order).
    fn export_rounds(&self, events: &[i64], confirmations: &[i64]) -> Result<Vec<ExportRound>> {
        let mut out = Vec::new();
        for r in self.rounds()?.into_iter().rev() {
            let list = |sql: &str| -> Result<Vec<String>> {
                let mut stmt = self.conn.prepare_cached(sql)?;
                let rows = stmt.query_map([r.id], |row| row.get(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            };
            let units = list(
                "SELECT u.code FROM round_unit ru JOIN unit u ON u.id = ru.unit_id
                 WHERE ru.round_id = ?1 ORDER BY u.code",
            )?;
            let methods = list(
                "SELECT m.name FROM round_method rm JOIN method m ON m.id = rm.method_id
                 WHERE rm.round_id = ?1 ORDER BY m.name",
            )?;
            let mut stmt = self.conn.prepare_cached(
                "SELECT u.code, m.name, ra.answer, ra.event_id, ra.confirmation_id,
                        ra.answered_at, ra.answered_by
                 FROM round_answer ra JOIN unit u ON u.id = ra.unit_id
                 JOIN method m ON m.id = ra.method_id
                 WHERE ra.round_id = ?1 ORDER BY ra.id",
            )?;
            let answers = stmt
                .query_map([r.id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<i64>>(3)?,
                        row.get::<_, Option<i64>>(4)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, String>(6)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(|(unit, method, answer, e, c, at, by)| ExportAnswer {
                    unit,
                    method,
                    answer,
                    event: e.and_then(|id| events.binary_search(&id).ok()),
                    confirmation: c.and_then(|id| confirmations.binary_search(&id).ok()),
                    answered_at: at,
                    answered_by: by,
                })
                .collect();
            out.push(ExportRound {
                name: r.name,
                due: r.due,
                area: r.area,
                opened_at: r.opened_at,
                opened_by: r.opened_by,
                closed_at: r.closed_at,
                closed_by: r.closed_by,
                units,
                methods,
                answers,
            });
        }
        Ok(out)
    }

    fn for_each_confirmation(
        &self,
        mut f: impl FnMut(super::ConfirmationRow) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "{} ORDER BY c.id",
            super::confirmations::CONFIRMATION_SELECT
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(super::confirmations::confirmation_row(r)?)?;
        }
        Ok(())
    }

    /// When and by whom each login was registered.
    fn user_stamps(&self) -> Result<HashMap<String, (String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT login, created_at, created_by FROM user")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every setting, by key.
    fn settings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, value FROM setting ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The whole lineage, by predecessor and successor code.
    fn lineage(&self) -> Result<Vec<ExportLineage>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.code, s.code, l.effective FROM unit_lineage l
             JOIN unit p ON p.id = l.predecessor_id JOIN unit s ON s.id = l.successor_id
             ORDER BY p.code, s.code",
        )?;
        let rows = stmt.query_map([], |r| {
            let effective: String = r.get(2)?;
            Ok(ExportLineage {
                predecessor: r.get(0)?,
                successor: r.get(1)?,
                effective: effective.parse().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        2,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The change log, oldest first, one row at a time: an event's or a retraction's row
    /// names only its kind (and, beside it, the event's id); the others carry their own.
    fn for_each_change(
        &self,
        mut f: impl FnMut(ExportChange, Option<About>) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT c.kind, c.at, c.login, c.event_id, m.name, u.code, c.fields,
                    c.confirmation_id FROM change c
             LEFT JOIN method m ON m.id = c.method_id LEFT JOIN unit u ON u.id = c.unit_id
             ORDER BY c.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(0)?;
            let about = match kind.as_str() {
                "event" | "retraction" => r.get::<_, Option<i64>>(3)?.map(About::Event),
                "confirmation" | "confirmation_retraction" => {
                    r.get::<_, Option<i64>>(7)?.map(About::Confirmation)
                }
                _ => None,
            };
            let change = if about.is_some() {
                ExportChange {
                    kind,
                    event: None,
                    confirmation: None,
                    at: None,
                    login: None,
                    method: None,
                    unit: None,
                    fields: String::new(),
                }
            } else {
                ExportChange {
                    kind,
                    event: None,
                    confirmation: None,
                    at: Some(r.get(1)?),
                    login: Some(r.get(2)?),
                    method: r.get(4)?,
                    unit: r.get(5)?,
                    fields: r.get(6)?,
                }
            };
            f(change, about)?;
        }
        Ok(())
    }
}
