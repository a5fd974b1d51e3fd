//! Export and import of a whole database as JSON — the format of `data/sample.json` too.
//! Import is all-or-nothing (one transaction) and loads into a database made by `init`;
//! its errors name the line (for broken JSON) or the record (for bad content).

use std::collections::HashMap;

use std::io::Write;

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::access::Gate;
use super::activity::bulk_logged;
use super::methods::insert_method_tx;
use super::stages::{
    StoredEvent, check_event_date, clean_event_text, insert_event_tx, insert_retraction_tx,
    refresh_all_adoptions,
};
use super::units::{
    UNIT_SELECT, UnitInput, ensure_unique, insert_unit_tx, set_successor_tx, unit_row,
    update_unit_tx,
};
use super::{Store, now_utc, ruled, ruled_opt, users};
use crate::domain::Deed;
use crate::domain::rules::{self, Rule};
use crate::domain::text::{clean_json, clean_line, clean_text, printable};
use crate::domain::{EventDate, Method, Retraction, Stage, Unit};

/// The version of the JSON format, written as `"spridning": 1`.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportData {
    pub spridning: u32,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub methods: Vec<ExportMethod>,
    #[serde(default)]
    pub events: Vec<ExportEvent>,
    #[serde(default)]
    pub users: Vec<ExportUser>,
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

/// Read as one object whose keys are the method's and the stamps': unknown keys and a key
/// given twice are refused, as in every other record of the file.
impl<'de> Deserialize<'de> for ExportMethod {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ExportMethod, D::Error> {
        use serde::de::Error;
        let mut fields = d.deserialize_map(StrictObject)?;
        let mut stamps = serde_json::Map::new();
        for key in Stamps::KEYS {
            if let Some(v) = fields.remove(key) {
                stamps.insert(key.to_string(), v);
            }
        }
        Ok(ExportMethod {
            method: serde_json::from_value(serde_json::Value::Object(fields))
                .map_err(D::Error::custom)?,
            stamps: serde_json::from_value(serde_json::Value::Object(stamps))
                .map_err(D::Error::custom)?,
        })
    }
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportUser {
    pub login: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: String,
    #[serde(default)]
    pub units: Vec<String>,
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
    /// order, which an import keeps), so memory stays small at any size. Every text is
    /// cleaned of control characters on the way out.
    pub fn write_export(&self, out: &mut dyn Write) -> Result<()> {
        let units: Vec<Unit> = self.units()?.iter().map(cleaned).collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, created_at, created_by, updated_at, updated_by FROM method",
        )?;
        let stamps: HashMap<String, Stamps> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    Stamps {
                        created_at: r.get(1)?,
                        created_by: r.get(2)?,
                        updated_at: r.get(3)?,
                        updated_by: r.get(4)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let methods: Vec<ExportMethod> = self
            .methods()?
            .into_iter()
            .map(|method| {
                cleaned(&ExportMethod {
                    stamps: stamps.get(&method.name).cloned().unwrap_or_default(),
                    method,
                })
            })
            .collect();
        let users: Vec<ExportUser> = self
            .users()?
            .into_iter()
            .map(|u| ExportUser {
                login: clean_text(&u.login),
                display_name: u.display_name.as_deref().map(clean_text),
                role: u.role,
                units: u.units,
            })
            .collect();
        let mut out = std::io::BufWriter::new(out);
        writeln!(out, "{{\n  \"spridning\": {FORMAT_VERSION},")?;
        write_array(&mut out, "units", &units, true)?;
        write_array(&mut out, "methods", &methods, true)?;
        writeln!(out, "  \"events\": [")?;
        let mut first = true;
        self.for_each_event_in_recording_order(|e| {
            if !first {
                out.write_all(b",\n")?;
            }
            first = false;
            out.write_all(b"    ")?;
            serde_json::to_writer(&mut out, &ExportEvent::from_row(&e, false).cleaned())?;
            Ok(())
        })?;
        writeln!(out, "{}],", if first { "  " } else { "\n  " })?;
        write_array(&mut out, "users", &users, false)?;
        writeln!(out, "}}")?;
        out.flush()?;
        Ok(())
    }

    /// Loads an export into this database in one transaction. Refuses a database that already
    /// holds methods or events, so an import never mixes with or duplicates what is there.
    /// Units are matched by code (the file's attributes win); users are added if missing.
    pub fn import(&mut self, data: &ExportData) -> Result<ImportCounts> {
        let json = serde_json::to_vec(data)?;
        self.import_from(&json[..])
    }

    /// Like `import`, reading the JSON as it goes: events are written one by one while the
    /// file is read, so a file of any size needs little memory. Broken JSON and bad records
    /// are reported with their line; nothing is written then.
    pub fn import_from(&mut self, reader: impl std::io::Read) -> Result<ImportCounts> {
        let user = self.user.clone();
        let path = self.path.display().to_string();
        // A larger page cache for the one long transaction (64 MB instead of SQLite's 2 MB):
        // a million events' indexes then stay in memory while they grow.
        self.conn.pragma_update(None, "cache_size", -65536)?;
        let imported = self.import_tx(reader, &user, &path);
        self.conn.pragma_update(None, "cache_size", -2000)?;
        imported
    }

    fn import_tx(
        &mut self,
        reader: impl std::io::Read,
        user: &str,
        path: &str,
    ) -> Result<ImportCounts> {
        self.write(Gate::Coordinator(Deed::Import), |tx| {
            let (methods, events): (i64, i64) = tx.query_row(
                "SELECT (SELECT count(*) FROM method), (SELECT count(*) FROM stage_event)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if methods + events > 0 {
                bail!(
                    "{path} already holds {methods} methods and {events} events; import loads into a new database made with `spridning init`"
                );
            }
            let mut reader = std::io::BufReader::new(reader);
            skip_byte_order_mark(&mut reader)?;
            let mut de = serde_json::Deserializer::from_reader(reader);
            let (counts, users) = bulk_logged(tx, || {
                let read = serde::Deserializer::deserialize_map(
                    &mut de,
                    FileVisitor { tx, by: user },
                )
                .map_err(|e| anyhow!("{e}"))?;
                de.end().map_err(|e| anyhow!("{e}"))?;
                Ok(read)
            })?;
            refresh_all_adoptions(tx)?;
            let mut counts = counts;
            for (i, u) in users.iter().enumerate() {
                let context = || format!("users[{i}] ({})", printable(&u.login));
                let login = ruled(&rules::LOGIN, &u.login).with_context(context)?;
                ruled_opt(&rules::DISPLAY_NAME, &u.display_name).with_context(context)?;
                let exists: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM user WHERE login = ?1)",
                    [&login],
                    |r| r.get(0),
                )?;
                if !exists {
                    users::insert(tx, &login, &u.role, &u.units, user).with_context(context)?;
                    counts.users += 1;
                }
            }
            Ok(counts)
        })
    }
}

/// Reads the top of an export file: units and methods are written as they come, then the
/// events one at a time; users are kept for the end (they refer to units).
struct FileVisitor<'a> {
    tx: &'a Transaction<'a>,
    by: &'a str,
}

impl<'de> serde::de::Visitor<'de> for FileVisitor<'_> {
    type Value = (ImportCounts, Vec<ExportUser>);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a spridning export: an object with spridning, units, methods, events, users")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        let fail = |e: anyhow::Error| A::Error::custom(format!("{e:#}"));
        let mut counts = ImportCounts::default();
        let (mut version, mut methods_seen, mut users) = (None, false, Vec::new());
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            // A second "events" would be read as well: a file with a key twice is refused.
            if seen.contains(&key) {
                return Err(A::Error::custom(format!(
                    "duplicate key \"{}\"",
                    printable(&key)
                )));
            }
            seen.push(key.clone());
            match key.as_str() {
                "spridning" => {
                    let v: u32 = map.next_value()?;
                    if v != FORMAT_VERSION {
                        return Err(A::Error::custom(format!(
                            "the file is format version {v} but this spridning reads version {FORMAT_VERSION}"
                        )));
                    }
                    version = Some(v);
                }
                "units" => {
                    // Events are checked against their unit's dates as they are written.
                    if seen.iter().any(|k| k == "events") {
                        return Err(A::Error::custom("\"units\" must come before \"events\""));
                    }
                    let units: Vec<Unit> = map.next_value()?;
                    import_units(self.tx, &units, self.by).map_err(fail)?;
                    counts.units = units.len();
                }
                "methods" => {
                    let methods: Vec<ExportMethod> = map.next_value()?;
                    import_methods(self.tx, &methods, self.by).map_err(fail)?;
                    counts.methods = methods.len();
                    methods_seen = true;
                }
                "events" => {
                    if !methods_seen {
                        return Err(A::Error::custom("\"events\" must come after \"methods\""));
                    }
                    let mut importer = EventImporter::new(self.tx, self.by).map_err(fail)?;
                    map.next_value_seed(EventsSeed(&mut importer))?;
                    counts.events = importer.count;
                }
                "users" => users = map.next_value::<Vec<ExportUser>>()?,
                other => {
                    return Err(A::Error::unknown_field(
                        other,
                        &["spridning", "units", "methods", "events", "users"],
                    ));
                }
            }
        }
        if version.is_none() {
            return Err(A::Error::missing_field("spridning"));
        }
        Ok((counts, users))
    }
}

/// The `events` array, each event written as soon as it is read.
struct EventsSeed<'i, 'a>(&'i mut EventImporter<'a>);

impl<'de> serde::de::DeserializeSeed<'de> for EventsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for EventsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of events")
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(event) = seq.next_element::<ExportEvent>()? {
            self.0
                .add(&event)
                .map_err(|e| <S::Error as serde::de::Error>::custom(format!("{e:#}")))?;
        }
        Ok(())
    }
}

/// What an import stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportCounts {
    pub units: usize,
    pub methods: usize,
    pub events: usize,
    /// Users added (a login that is already registered keeps its role).
    pub users: usize,
}

/// A file saved by Windows Notepad or Excel starts with a UTF-8 byte-order mark: read past it.
fn skip_byte_order_mark(reader: &mut impl std::io::BufRead) -> Result<()> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut seen = 0;
    while seen < BOM.len() {
        let buf = reader.fill_buf()?;
        let n = buf.len().min(BOM.len() - seen);
        let same = buf[..n]
            .iter()
            .zip(&BOM[seen..])
            .take_while(|(a, b)| a == b)
            .count();
        if same < n || n == 0 {
            // Not a mark at all, or a mark cut short.
            if seen + same > 0 {
                bail!("the file starts with a broken byte-order mark");
            }
            return Ok(());
        }
        reader.consume(n);
        seen += n;
    }
    Ok(())
}

fn import_units(tx: &Transaction, units: &[Unit], by: &str) -> Result<()> {
    let context = |i: usize, u: &Unit| format!("units[{i}] ({})", printable(&u.code));
    let mut cleaned = Vec::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        let clean = UnitInput::from(u.clone())
            .validate()
            .with_context(|| context(i, u))?;
        // Successors are set in a second pass, when every unit exists.
        let input = UnitInput {
            successor: None,
            ..clean.clone()
        };
        let existing: Option<i64> = tx
            .query_row("SELECT id FROM unit WHERE code = ?1", [&input.code], |r| {
                r.get(0)
            })
            .optional()?;
        match existing {
            Some(id) => {
                ensure_unique(tx, &input, Some(id)).with_context(|| context(i, u))?;
                update_unit_tx(tx, id, None, &input, by, false).with_context(|| context(i, u))?
            }
            None => {
                insert_unit_tx(tx, &input, by).with_context(|| context(i, u))?;
            }
        }
        cleaned.push(clean);
    }
    for (i, (u, clean)) in units.iter().zip(&cleaned).enumerate() {
        set_successor_tx(tx, &clean.code, clean.successor.as_deref())
            .with_context(|| context(i, u))?;
    }
    Ok(())
}

fn import_methods(tx: &Transaction, methods: &[ExportMethod], by: &str) -> Result<()> {
    let now = now_utc();
    for (i, m) in methods.iter().enumerate() {
        let context = || format!("methods[{i}] ({})", printable(&m.method.name));
        let stamp = |rule: &Rule, value: &Option<String>, default: &str| -> Result<String> {
            ruled(rule, value.as_deref().unwrap_or(default))
        };
        let s = &m.stamps;
        let created_at = stamp(&rules::CREATED_AT, &s.created_at, &now).with_context(context)?;
        let created_by = stamp(&rules::CREATED_BY, &s.created_by, by).with_context(context)?;
        let updated_at =
            stamp(&rules::UPDATED_AT, &s.updated_at, &created_at).with_context(context)?;
        let updated_by =
            stamp(&rules::UPDATED_BY, &s.updated_by, &created_by).with_context(context)?;
        insert_method_tx(
            tx,
            &m.method,
            (&created_at, &created_by),
            (&updated_at, &updated_by),
        )
        .with_context(context)?;
    }
    Ok(())
}

/// Writes events one at a time, resolving method and unit names once for all of them.
struct EventImporter<'a> {
    tx: &'a Transaction<'a>,
    by: &'a str,
    now: String,
    method_ids: HashMap<String, i64>,
    units: HashMap<String, Unit>,
    count: usize,
}

impl<'a> EventImporter<'a> {
    fn new(tx: &'a Transaction<'a>, by: &'a str) -> Result<EventImporter<'a>> {
        let mut method_ids: HashMap<String, i64> = HashMap::new();
        let mut stmt = tx.prepare("SELECT id, name, short_name FROM method")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        for row in rows {
            let (id, name, short) = row?;
            method_ids.insert(name.to_lowercase(), id);
            if let Some(s) = short {
                method_ids.insert(s.to_lowercase(), id);
            }
        }
        let mut stmt = tx.prepare(UNIT_SELECT)?;
        let units: HashMap<String, Unit> = stmt
            .query_map([], unit_row)?
            .map(|u| u.map(|u| (u.code.to_lowercase(), u)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(EventImporter {
            tx,
            by,
            now: now_utc(),
            method_ids,
            units,
            count: 0,
        })
    }

    /// Checks and writes one event; the error names it (`events[12] (ASI / VA 2003-04)`).
    fn add(&mut self, e: &ExportEvent) -> Result<()> {
        let i = self.count;
        let context = || {
            printable(&format!(
                "events[{i}] ({} / {} {})",
                e.method, e.unit, e.date
            ))
        };
        let one = || -> Result<()> {
            let method_id = *self
                .method_ids
                .get(&clean_line(&e.method).to_lowercase())
                .ok_or_else(|| anyhow!("unknown method '{}'", printable(&e.method)))?;
            let unit = self
                .units
                .get(&clean_line(&e.unit).to_lowercase())
                .ok_or_else(|| anyhow!("unknown unit '{}'", printable(&e.unit)))?;
            let stage: Stage = e.stage.parse()?;
            let date: EventDate = e.date.parse()?;
            check_event_date(self.tx, unit, date)?;
            let (note, source) = clean_event_text(&e.note, &e.source)?;
            let recorded_at = ruled(
                &rules::RECORDED_AT,
                e.recorded_at.as_deref().unwrap_or(&self.now),
            )?;
            let recorded_by = ruled(
                &rules::RECORDED_BY,
                e.recorded_by.as_deref().unwrap_or(self.by),
            )?;
            let retraction = match (&e.retraction, e.retracted) {
                (None, false) => None,
                (Some(r), true) => Some(Retraction {
                    reason: if r.reason.trim().is_empty() {
                        bail!("a retraction needs a reason")
                    } else {
                        ruled(&rules::REASON, &r.reason)?
                    },
                    by: ruled(&rules::RETRACTED_BY, &r.by)?,
                    at: ruled(&rules::RETRACTED_AT, &r.at)?,
                }),
                (Some(_), false) => {
                    bail!("\"retracted\" is false but the event has a \"retraction\"")
                }
                (None, true) => {
                    bail!("\"retracted\" is true but the event has no \"retraction\"")
                }
            };
            let id = insert_event_tx(
                self.tx,
                &StoredEvent {
                    method_id,
                    unit_id: unit.id,
                    stage,
                    date: &date.to_string(),
                    note: &note,
                    source: &source,
                    recorded_at: &recorded_at,
                    recorded_by: &recorded_by,
                },
                false,
            )?;
            if let Some(r) = &retraction {
                insert_retraction_tx(self.tx, id, &r.reason, &r.at, &r.by)?;
            }
            Ok(())
        };
        one().with_context(context)?;
        self.count += 1;
        Ok(())
    }
}
