//! Loading an export into a database made by `init`, in one transaction: all of it or
//! nothing. Records are checked by the same rules as when they are typed, and the file as a
//! whole by the rules between records (no code, name or login twice; a lineage without a
//! circle or a gap; a change log that names every event once).

use std::collections::HashMap;

use anyhow::{Context, Result};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{
    ExportChange, ExportConfirmation, ExportData, ExportEvent, ExportLineage, ExportMethod,
    ExportRound, ExportUnit, ExportUser, FORMAT_VERSION, Stamps,
};
use crate::domain::model::{METHOD_FIELDS, UNIT_FIELDS};
use crate::domain::problem::Import;
use crate::domain::problem::import::Log;
use crate::domain::rules::{self, Rule};
use crate::domain::text::{clean_line, printable, same_ignoring_case};
use crate::domain::{Deed, Noun, Problem};
use crate::domain::{EventDate, Retraction, Stage, Unit};
use crate::store::access::Gate;
use crate::store::activity::{
    StagedChange, bulk_logged, log_written, replace_log, stage_change, start_staging, write_staged,
};
use crate::store::bulk::SetAside;
use crate::store::confirmations::{
    StoredConfirmation, check_confirmation, insert_confirmation_retraction_tx,
    insert_confirmation_tx,
};
use crate::store::lineage::guarded;
use crate::store::methods::insert_method_tx;
use crate::store::stages::{
    StoredEvent, adoption_for, check_event_date_on, clean_event_text, insert_event_row,
    insert_retraction_tx, refresh_all_adoptions,
};
use crate::store::units::{
    UNIT_SELECT, UnitInput, ensure_unique, insert_unit_tx, set_successor_tx, unit_row,
    update_unit_tx,
};
use crate::store::{Store, now_utc, ruled, ruled_opt, users};

/// The keys of a file, in the order they are written.
const KEYS: [&str; 10] = [
    "spridning",
    "settings",
    "units",
    "lineage",
    "methods",
    "events",
    "confirmations",
    "rounds",
    "users",
    "changes",
];

impl Store {
    /// Loads an export into this database in one transaction. Refuses a database that already
    /// holds methods or events, so an import never mixes with or duplicates what is there.
    /// Units are matched by code (the file's attributes win); users are added if missing (a
    /// login already registered keeps its role and units, and takes the file's name and
    /// registration stamps).
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
        // A page cache of 8 MB (SQLite's default is 2 MB) for the one long transaction. The
        // indexes are set aside while rows are loaded (`SetAside`) and built after with one
        // sort each, so a larger cache buys little: at L, 64 MB took 140 MB of memory and was
        // no faster than 8 MB at 45 MB.
        self.conn.pragma_update(None, "cache_size", -8192)?;
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
                return Err(Import::NotEmpty {
                    path: path.to_string(),
                    methods,
                    events,
                }
                .into());
            }
            // The whole file is held to the lineage's rules.
            guarded(tx, || Self::load(tx, reader, user))
        })
    }

    /// Reads the file into the database (inside the import's transaction).
    fn load(tx: &Transaction, reader: impl std::io::Read, user: &str) -> Result<ImportCounts> {
        {
            // A large buffer: the file is read in few calls (the default is 8 KB).
            let mut reader = std::io::BufReader::with_capacity(1 << 18, reader);
            skip_byte_order_mark(&mut reader)?;
            let mut de = serde_json::Deserializer::from_reader(reader);
            // What the visitor refused, kept as it is (serde's own errors carry only text);
            // serde's error then says where in the file it was.
            let failure = std::cell::RefCell::new(None);
            // The adoptions' indexes wait until their stages are known (`refresh_all_adoptions`).
            let aside = SetAside::begin(tx, &["adoption"])?;
            let read = bulk_logged(tx, || {
                let visitor = FileVisitor {
                    tx,
                    by: user,
                    failure: &failure,
                };
                let read = serde::Deserializer::deserialize_map(&mut de, visitor)
                    .map_err(|e| refused(e, &failure))?;
                de.end().map_err(|e| refused(e, &failure))?;
                // A file with its own change log has written it; an older one's is rebuilt
                // from its records.
                let logged = read.logged;
                Ok((read, logged))
            })?;
            refresh_all_adoptions(tx)?;
            aside.restore(tx)?;
            let mut counts = read.counts;
            counts.users = import_users(tx, &read.users, user)?;
            if let Some(kept) = &read.whole {
                remove_units_not_in(tx, kept)?;
            }
            unpark(tx, &read.parked)?;
            if read.logged {
                log_written(tx)?;
            }
            Ok(counts)
        }
    }
}

/// What reading the file gave: the counts, the users (written last: they refer to units),
/// and whether the file carried its change log.
struct Read {
    counts: ImportCounts,
    users: Vec<ExportUser>,
    logged: bool,
    /// The ids of the file's units, when it is a whole register (it carries its lineage).
    whole: Option<Vec<i64>>,
    /// Units here moved out of the way of the file's (`park_in_the_way`).
    parked: Vec<Parked>,
}

/// Reads the top of an export file: each part is written as it comes (the events and the
/// change log one at a time); users are kept for the end.
struct FileVisitor<'a> {
    tx: &'a Transaction<'a>,
    by: &'a str,
    /// Why a part was refused (see `refused`).
    failure: &'a std::cell::RefCell<Option<anyhow::Error>>,
}

/// The error of a failed read: what the visitor refused, at the place serde says; else the
/// reader's own words (broken JSON).
fn refused(
    e: serde_json::Error,
    failure: &std::cell::RefCell<Option<anyhow::Error>>,
) -> anyhow::Error {
    match failure.borrow_mut().take() {
        Some(why) => why.context(format!("line {} column {}", e.line(), e.column())),
        None => Import::Broken {
            detail: e.to_string(),
        }
        .into(),
    }
}

impl<'de> serde::de::Visitor<'de> for FileVisitor<'_> {
    type Value = Read;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a spridning export: an object with spridning, units, methods, events, users")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        let fail = |e: anyhow::Error| {
            let said = format!("{e:#}");
            *self.failure.borrow_mut() = Some(e);
            A::Error::custom(said)
        };
        let mut read = Read {
            counts: ImportCounts::default(),
            users: Vec::new(),
            logged: false,
            whole: None,
            parked: Vec::new(),
        };
        let (mut version, mut unit_ids) = (None, Vec::new());
        let mut events: Option<EventImporter> = None;
        let mut seen: Vec<String> = Vec::new();
        // The file's units wait for the next key: a whole register (a lineage follows, as
        // `export` writes it) replaces `init`'s units, so its units may take their names.
        let mut pending: Option<Vec<ExportUnit>> = None;
        let write_units = |pending: &mut Option<Vec<ExportUnit>>, whole: bool| match pending.take()
        {
            Some(units) => import_units(self.tx, &units, self.by, whole).map(Some),
            None => Ok(None),
        };
        while let Some(key) = map.next_key::<String>()? {
            in_order(&key, &seen).map_err(|p| fail(p.into()))?;
            if let Some((ids, parked)) =
                write_units(&mut pending, key == "lineage").map_err(fail)?
            {
                unit_ids = ids;
                read.parked = parked;
            }
            match key.as_str() {
                "spridning" => version = Some(format_version(map.next_value()?).map_err(fail)?),
                "settings" => import_settings(self.tx, &map.next_value()?).map_err(fail)?,
                "units" => {
                    let units: Vec<ExportUnit> =
                        records(map.next_value()?, "units", "code").map_err(fail)?;
                    read.counts.units = units.len();
                    // Written when the next key says whether a lineage follows.
                    pending = Some(units);
                }
                "lineage" => import_lineage(self.tx, &map.next_value::<Vec<ExportLineage>>()?)
                    .map_err(fail)?,
                "methods" => {
                    let methods: Vec<ExportMethod> =
                        records(map.next_value()?, "methods", "name").map_err(fail)?;
                    import_methods(self.tx, &methods, self.by).map_err(fail)?;
                    read.counts.methods = methods.len();
                }
                "events" => {
                    let mut importer = EventImporter::new(self.tx, self.by).map_err(fail)?;
                    let aside = SetAside::begin(self.tx, &["stage_event"]).map_err(fail)?;
                    map.next_value_seed(ArraySeed(
                        |e: ExportEvent| importer.add(&e),
                        std::marker::PhantomData,
                    ))?;
                    aside.restore(self.tx).map_err(fail)?;
                    read.counts.events = importer.ids.len();
                    events = Some(importer);
                }
                "confirmations" => {
                    if events.is_none() {
                        events = Some(EventImporter::new(self.tx, self.by).map_err(fail)?);
                    }
                    let Some(importer) = events.as_mut() else {
                        return Err(A::Error::custom("the events could not be read"));
                    };
                    let aside = SetAside::begin(self.tx, &["confirmation"]).map_err(fail)?;
                    map.next_value_seed(ArraySeed(
                        |c: ExportConfirmation| importer.add_confirmation(&c),
                        std::marker::PhantomData,
                    ))?;
                    aside.restore(self.tx).map_err(fail)?;
                }
                "rounds" => {
                    let rounds: Vec<ExportRound> = map.next_value()?;
                    let (ids, confirmations) = events
                        .as_ref()
                        .map(|e| (&e.ids[..], &e.confirmation_ids[..]))
                        .unwrap_or((&[], &[]));
                    import_rounds(self.tx, &rounds, ids, confirmations).map_err(fail)?;
                }
                "users" => {
                    read.users = records(map.next_value()?, "users", "login").map_err(fail)?
                }
                "changes" => {
                    let known = match events.take() {
                        Some(known) => known,
                        None => EventImporter::new(self.tx, self.by).map_err(fail)?,
                    };
                    let mut log = LogImporter::new(self.tx, &known).map_err(fail)?;
                    map.next_value_seed(ArraySeed(
                        |c: ExportChange| log.add(&c),
                        std::marker::PhantomData,
                    ))?;
                    log.finish().map_err(fail)?;
                    read.logged = true;
                }
                other => return Err(A::Error::unknown_field(other, &KEYS)),
            }
            seen.push(key);
        }
        if let Some((ids, parked)) = write_units(&mut pending, false).map_err(fail)? {
            unit_ids = ids;
            read.parked = parked;
        }
        if version.is_none() {
            return Err(A::Error::missing_field("spridning"));
        }
        read.whole = seen.iter().any(|k| k == "lineage").then_some(unit_ids);
        Ok(read)
    }
}

/// Keys that must come before others (units before what refers to them; methods before the
/// events; the events before their log), and no key twice: a second "events" would be read
/// as well.
fn in_order(key: &str, seen: &[String]) -> Result<(), Import> {
    const BEFORE: [(&str, &str); 14] = [
        ("units", "rounds"),
        ("methods", "rounds"),
        ("events", "rounds"),
        ("confirmations", "rounds"),
        ("units", "events"),
        ("units", "lineage"),
        ("units", "changes"),
        ("units", "confirmations"),
        ("methods", "events"),
        ("methods", "changes"),
        ("methods", "confirmations"),
        ("events", "changes"),
        ("events", "confirmations"),
        ("confirmations", "changes"),
    ];
    let saw = |k: &str| seen.iter().any(|s| s == k);
    if saw(key) {
        return Err(Import::DuplicateKey {
            key: printable(key),
        });
    }
    let late = BEFORE
        .iter()
        .find(|(first, then)| *first == key && saw(then));
    // The events need their methods first.
    let early = (key == "events" && !saw("methods")).then_some(&("methods", "events"));
    match late.or(early) {
        Some((first, then)) => Err(Import::Order {
            first: first.to_string(),
            then: then.to_string(),
        }),
        None => Ok(()),
    }
}

/// The file's format version, when this spridning reads it.
fn format_version(version: u32) -> Result<u32> {
    if version != FORMAT_VERSION {
        return Err(Import::FormatVersion {
            version,
            known: FORMAT_VERSION,
        }
        .into());
    }
    Ok(version)
}

/// The records of a list, each read on its own, so that a bad one is named in the message
/// (`methods[1] (ASI): unknown method kind 'tool' …`). Each keeps its raw text until then,
/// so a key given twice is still seen.
fn records<T: serde::de::DeserializeOwned>(
    raw: Vec<Box<serde_json::value::RawValue>>,
    list: &str,
    key: &str,
) -> Result<Vec<T>> {
    raw.iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::from_str(r.get()).map_err(|e| {
                let named = serde_json::from_str::<serde_json::Value>(r.get())
                    .ok()
                    .and_then(|v| v.get(key).and_then(|k| k.as_str()).map(printable))
                    .map(|k| format!(" ({k})"))
                    .unwrap_or_default();
                Import::BadRecord {
                    record: format!("{list}[{i}]{named}"),
                    detail: e.to_string(),
                }
                .into()
            })
        })
        .collect()
}

/// A method or unit the file names that it does not hold.
fn unknown(what: Noun, wanted: &str) -> anyhow::Error {
    Problem::Unknown {
        what,
        wanted: printable(wanted),
        near: Vec::new(),
    }
    .into()
}

/// An array whose elements are handed to a function one at a time as they are read (a
/// million events need not be in memory at once); its error names the element.
struct ArraySeed<T, F>(F, std::marker::PhantomData<T>);

impl<'de, T, F> serde::de::DeserializeSeed<'de> for ArraySeed<T, F>
where
    T: serde::Deserialize<'de>,
    F: FnMut(T) -> Result<()>,
{
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T, F> serde::de::Visitor<'de> for ArraySeed<T, F>
where
    T: serde::Deserialize<'de>,
    F: FnMut(T) -> Result<()>,
{
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(mut self, mut seq: S) -> Result<(), S::Error> {
        while let Some(item) = seq.next_element::<T>()? {
            (self.0)(item).map_err(|e| <S::Error as serde::de::Error>::custom(format!("{e:#}")))?;
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

/// The first two records of a list that share a key (`key` gives a record's keys: a unit's
/// code and name, a method's name and short name, a login), case-insensitively: their
/// positions and the shared key.
fn first_shared<T>(
    items: &[T],
    keys: impl Fn(&T) -> Vec<String>,
) -> Option<(usize, usize, String)> {
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let mut mine: Vec<(String, String)> = keys(item)
            .into_iter()
            .map(|k| clean_line(&k).trim().to_string())
            .filter(|k| !k.is_empty())
            .map(|k| (k.to_lowercase(), k))
            .collect();
        mine.dedup_by(|a, b| a.0 == b.0);
        for (key, spelled) in mine {
            if let Some(&first) = owner.get(&key) {
                return Some((first, i, spelled));
            }
            owner.insert(key, i);
        }
    }
    None
}

/// Writes the rounds of a file with their units, named methods and answers; an answer's event
/// and confirmation are found by position among those just written.
fn import_rounds(
    tx: &Transaction,
    rounds: &[ExportRound],
    events: &[i64],
    confirmations: &[i64],
) -> Result<()> {
    for (i, r) in rounds.iter().enumerate() {
        let record = || printable(&format!("rounds[{i}] ({})", r.name));
        let bad = |detail: String| -> anyhow::Error {
            Import::BadRecord {
                record: record(),
                detail,
            }
            .into()
        };
        let name = ruled(&rules::ROUND_NAME, &r.name).with_context(record)?;
        let opened_at = ruled(&rules::RECORDED_AT, &r.opened_at).with_context(record)?;
        let opened_by = ruled(&rules::RECORDED_BY, &r.opened_by).with_context(record)?;
        let closed_at = ruled_opt(&rules::RECORDED_AT, &r.closed_at).with_context(record)?;
        let closed_by = ruled_opt(&rules::RECORDED_BY, &r.closed_by).with_context(record)?;
        if closed_at.is_some() != closed_by.is_some() {
            return Err(bad("closed_at and closed_by go together".into()));
        }
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM round WHERE name = ?1 COLLATE NOCASE)",
            [&name],
            |row| row.get(0),
        )?;
        if taken {
            return Err(bad(format!("a second round called '{name}'")));
        }
        if closed_at.is_none() {
            let open: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM round WHERE closed_at IS NULL)",
                [],
                |row| row.get(0),
            )?;
            if open {
                return Err(bad("a second open round (one is open at a time)".into()));
            }
        }
        let area = r
            .area
            .as_deref()
            .map(|a| clean_line(a).to_lowercase())
            .filter(|a| !a.is_empty());
        tx.execute(
            "INSERT INTO round (name, due, area, opened_at, opened_by, closed_at, closed_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                name,
                r.due.to_string(),
                area,
                opened_at,
                opened_by,
                closed_at,
                closed_by
            ],
        )?;
        let round = tx.last_insert_rowid();
        let id_of = |table: &str, column: &str, value: &str| -> Result<i64> {
            tx.query_row(
                &format!("SELECT id FROM {table} WHERE {column} = ?1"),
                [value],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| bad(format!("unknown {table} '{}'", printable(value))))
        };
        for code in &r.units {
            let unit = id_of("unit", "code", code)?;
            tx.execute(
                "INSERT OR IGNORE INTO round_unit (round_id, unit_id) VALUES (?1, ?2)",
                params![round, unit],
            )?;
        }
        for m in &r.methods {
            let method = id_of("method", "name", m)?;
            tx.execute(
                "INSERT OR IGNORE INTO round_method (round_id, method_id) VALUES (?1, ?2)",
                params![round, method],
            )?;
        }
        for a in &r.answers {
            let unit = id_of("unit", "code", &a.unit)?;
            let method = id_of("method", "name", &a.method)?;
            let Some(answer) = crate::store::Answer::parse(&a.answer) else {
                return Err(bad(format!(
                    "unknown answer '{}' (confirmed, changed, discontinued, not_used)",
                    printable(&a.answer)
                )));
            };
            let event = match (answer.changed(), a.event) {
                (true, Some(n)) => Some(
                    *events
                        .get(n)
                        .ok_or_else(|| bad(format!("no event {n} among the events")))?,
                ),
                (false, None) => None,
                _ => return Err(bad(format!("an answer '{}' and its event", a.answer))),
            };
            let confirmation =
                match (answer == crate::store::Answer::Confirmed, a.confirmation) {
                    (true, Some(n)) => Some(*confirmations.get(n).ok_or_else(|| {
                        bad(format!("no confirmation {n} among the confirmations"))
                    })?),
                    (false, None) => None,
                    _ => {
                        return Err(bad(format!(
                            "an answer '{}' and its confirmation",
                            a.answer
                        )));
                    }
                };
            let at = ruled(&rules::RECORDED_AT, &a.answered_at).with_context(record)?;
            let by = ruled(&rules::RECORDED_BY, &a.answered_by).with_context(record)?;
            tx.execute(
                "INSERT INTO round_answer (round_id, unit_id, method_id, answer, event_id,
                                           confirmation_id, answered_at, answered_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (round_id, unit_id, method_id) DO UPDATE SET
                     answer = excluded.answer, event_id = excluded.event_id,
                     confirmation_id = excluded.confirmation_id,
                     answered_at = excluded.answered_at, answered_by = excluded.answered_by",
                params![
                    round,
                    unit,
                    method,
                    answer.code(),
                    event,
                    confirmation,
                    at,
                    by
                ],
            )?;
        }
    }
    Ok(())
}

fn import_settings(
    tx: &Transaction,
    settings: &std::collections::BTreeMap<String, String>,
) -> Result<()> {
    for (key, value) in settings {
        let rule = match key.as_str() {
            "title" => &rules::TITLE,
            "fresh-months" => {
                let n = crate::store::parse_fresh_months(value)
                    .with_context(|| format!("settings.{key}"))?;
                tx.execute(
                    "INSERT INTO setting (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, n.to_string()],
                )?;
                continue;
            }
            other => {
                return Err(Import::UnknownSetting {
                    key: printable(other),
                }
                .into());
            }
        };
        let value = ruled(rule, value).with_context(|| format!("settings.{key}"))?;
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
    }
    Ok(())
}

/// Stamps from the file, each held to its rule; a missing one keeps what the row has.
fn set_stamps(tx: &Transaction, table: &str, id: i64, s: &Stamps) -> Result<()> {
    let rule = |rule: &Rule, v: &Option<String>| ruled_opt(rule, v);
    tx.execute(
        &format!(
            "UPDATE {table} SET created_at = coalesce(?2, created_at),
                 created_by = coalesce(?3, created_by), updated_at = coalesce(?4, updated_at),
                 updated_by = coalesce(?5, updated_by) WHERE id = ?1"
        ),
        params![
            id,
            rule(&rules::CREATED_AT, &s.created_at)?,
            rule(&rules::CREATED_BY, &s.created_by)?,
            rule(&rules::UPDATED_AT, &s.updated_at)?,
            rule(&rules::UPDATED_BY, &s.updated_by)?,
        ],
    )?;
    Ok(())
}

/// Writes the file's units; returns the ids of the units the file holds, and the units here
/// moved out of their way (only for a `whole` register: see `Parked`).
fn import_units(
    tx: &Transaction,
    units: &[ExportUnit],
    by: &str,
    whole: bool,
) -> Result<(Vec<i64>, Vec<Parked>)> {
    let context = |i: usize, u: &Unit| format!("units[{i}] ({})", printable(&u.code));
    // Codes and names share one namespace: no two records may share either. A code is
    // compared as it is stored (`Aß` is `ASS`).
    let code = |u: &ExportUnit| rules::unit_code(&u.code).unwrap_or_else(|_| u.code.clone());
    if let Some((a, b, key)) = first_shared(units, |u| vec![code(u), u.name.clone()]) {
        return Err(Import::SameName {
            first: context(a, &units[a]),
            second: context(b, &units[b]),
            name: printable(&key),
            units: true,
        }
        .into());
    }
    let mut cleaned = Vec::with_capacity(units.len());
    let mut found: Vec<Option<i64>> = Vec::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        let clean = UnitInput::from(u.unit.clone())
            .validate()
            .with_context(|| context(i, u))?;
        // The unit `init` made with this code, else with this name (a code edited since).
        let existing = match existing_unit(tx, &clean)? {
            Some(id) if found.contains(&Some(id)) => {
                let j = found
                    .iter()
                    .position(|x| *x == Some(id))
                    .unwrap_or_default();
                return Err(Import::SameUnit {
                    first: context(j, &units[j]),
                    second: context(i, u),
                }
                .into());
            }
            other => other,
        };
        cleaned.push(clean);
        found.push(existing);
    }
    let parked = if whole {
        park_in_the_way(tx, &cleaned, &found, |i| context(i, &units[i]))?
    } else {
        Vec::new()
    };
    let mut ids: Vec<i64> = Vec::with_capacity(units.len());
    for (i, ((u, clean), existing)) in units.iter().zip(&cleaned).zip(&found).enumerate() {
        // Successors are set in a second pass, when every unit exists.
        let input = UnitInput {
            successor: None,
            ..clean.clone()
        };
        let id = match *existing {
            Some(id) => {
                ensure_unique(tx, &input, Some(id)).with_context(|| context(i, u))?;
                update_unit_tx(tx, id, None, &input, by, false).with_context(|| context(i, u))?;
                id
            }
            None => insert_unit_tx(tx, &input, by).with_context(|| context(i, u))?,
        };
        set_stamps(tx, "unit", id, &u.stamps).with_context(|| context(i, u))?;
        ids.push(id);
    }
    for (i, (u, clean)) in units.iter().zip(&cleaned).enumerate() {
        set_successor_tx(tx, &clean.code, clean.successor.as_deref())
            .with_context(|| context(i, u))?;
    }
    Ok((ids, parked))
}

/// A unit already here that no unit of the file is, moved out of the way of one that takes
/// its code or name: the file's units may swap names with `init`'s (a register whose
/// Maria-Gamla stan was renamed and whose Katarina-Sofia took the code MG). It is removed
/// with the units the file does not hold; one still here at the end is a clash (`unpark`).
struct Parked {
    id: i64,
    code: String,
    name: String,
    /// The file's code or name that is this unit's.
    wanted: String,
    /// The file's unit that took it (`units[1] (MG)`).
    by: String,
}

/// Parks (under a placeholder code and name) every unit here that no file unit is (`found`)
/// but whose code or name a file unit takes; `context` names a file unit by its position.
fn park_in_the_way(
    tx: &Transaction,
    units: &[UnitInput],
    found: &[Option<i64>],
    context: impl Fn(usize) -> String,
) -> Result<Vec<Parked>> {
    let here: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, code, name FROM unit ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut parked = Vec::new();
    for (id, code, name) in here {
        if found.contains(&Some(id)) {
            continue;
        }
        let taker = units.iter().enumerate().find_map(|(i, u)| {
            [&u.code, &u.name]
                .into_iter()
                .find(|key| same_ignoring_case(key, &code) || same_ignoring_case(key, &name))
                .map(|key| (i, key.clone()))
        });
        if let Some((by, wanted)) = taker {
            // `~` is no letter of a code or a name a person types (`rules::unit_code`), and
            // the id keeps each placeholder apart.
            tx.execute(
                "UPDATE unit SET code = ?2, name = ?3 WHERE id = ?1",
                params![id, format!("~{id}"), format!("~ {id}")],
            )?;
            parked.push(Parked {
                id,
                code,
                name,
                wanted,
                by: context(by),
            });
        }
    }
    Ok(parked)
}

/// A parked unit that is still here (something refers to it, or the file is no whole
/// register) clashes with the file's unit that took its code or name: refused as the unit
/// form refuses it.
fn unpark(tx: &Transaction, parked: &[Parked]) -> Result<()> {
    for p in parked {
        let still: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM unit WHERE id = ?1)",
            [p.id],
            |r| r.get(0),
        )?;
        if still {
            return Err(anyhow::Error::from(Problem::UnitNameTaken {
                wanted: p.wanted.clone(),
                code: p.code.clone(),
                name: p.name.clone(),
            })
            .context(p.by.clone()));
        }
    }
    Ok(())
}

/// The unit already here that a file's unit is: the one with its code, else the one with its
/// name (compared as `ensure_unique` compares names).
fn existing_unit(tx: &Transaction, u: &Unit) -> Result<Option<i64>> {
    if let Some(id) = tx
        .query_row("SELECT id FROM unit WHERE code = ?1", [&u.code], |r| {
            r.get(0)
        })
        .optional()?
    {
        return Ok(Some(id));
    }
    let name = u.name.to_lowercase();
    let mut stmt = tx.prepare_cached("SELECT id, name FROM unit")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, other) = row?;
        if other.to_lowercase() == name {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// After a whole register was loaded (a file with its lineage): the units `init` made that
/// the file does not hold, and that nothing refers to, are removed, so the database holds
/// the file's units and no others. (A file without a lineage, like `data/sample.json`, lists
/// only units it adds to `init`'s.)
fn remove_units_not_in(tx: &Transaction, kept: &[i64]) -> Result<()> {
    // Until none is left: a unit removed may have been the last to name another as its
    // successor.
    while tx.execute(&remove_sql(kept), [])? > 0 {}
    Ok(())
}

fn remove_sql(kept: &[i64]) -> String {
    format!(
        "DELETE FROM unit WHERE id NOT IN ({ids})
           AND NOT EXISTS (SELECT 1 FROM adoption a WHERE a.unit_id = unit.id)
           AND NOT EXISTS (SELECT 1 FROM user_unit x WHERE x.unit_id = unit.id)
           AND NOT EXISTS (SELECT 1 FROM unit_lineage l
                           WHERE l.predecessor_id = unit.id OR l.successor_id = unit.id)
           AND NOT EXISTS (SELECT 1 FROM unit s WHERE s.successor_id = unit.id)",
        ids = kept
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// The file's lineage replaces the one the units' successors gave: merges and splits as the
/// file recorded them. It must hold to the lineage's rules as a whole.
fn import_lineage(tx: &Transaction, lineage: &[ExportLineage]) -> Result<()> {
    let context = |i: usize, l: &ExportLineage| {
        printable(&format!(
            "lineage[{i}] ({} → {})",
            l.predecessor, l.successor
        ))
    };
    let mut steps: HashMap<(String, String), usize> = HashMap::new();
    for (i, l) in lineage.iter().enumerate() {
        let step = |c: &str| clean_line(c).to_uppercase();
        if let Some(&j) = steps.get(&(step(&l.predecessor), step(&l.successor))) {
            return Err(Import::SameStep {
                first: context(j, &lineage[j]),
                second: context(i, l),
            }
            .into());
        }
        steps.insert((step(&l.predecessor), step(&l.successor)), i);
    }
    tx.execute("DELETE FROM unit_lineage", [])?;
    let id = |code: &str| -> Result<i64> {
        tx.query_row(
            "SELECT id FROM unit WHERE code = ?1",
            [clean_line(code).trim()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| unknown(Noun::Unit, code))
    };
    for (i, l) in lineage.iter().enumerate() {
        let (p, s) = (
            id(&l.predecessor).with_context(|| context(i, l))?,
            id(&l.successor).with_context(|| context(i, l))?,
        );
        if p == s {
            return Err(Import::OwnPredecessor {
                step: context(i, l),
            }
            .into());
        }
        tx.execute(
            "INSERT INTO unit_lineage (predecessor_id, successor_id, effective) VALUES (?1, ?2, ?3)",
            params![p, s, l.effective.to_string()],
        )?;
    }
    Ok(())
}

/// Registers the file's users; returns how many were new.
fn import_users(tx: &Transaction, users: &[ExportUser], by: &str) -> Result<usize> {
    let context = |i: usize, u: &ExportUser| format!("users[{i}] ({})", printable(&u.login));
    if let Some((a, b, _)) = first_shared(users, |u| vec![u.login.clone()]) {
        return Err(Import::SameLogin {
            first: context(a, &users[a]),
            second: context(b, &users[b]),
        }
        .into());
    }
    let mut added = 0;
    for (i, u) in users.iter().enumerate() {
        let one = || -> Result<bool> {
            let login = ruled(&rules::LOGIN, &u.login)?;
            let display_name = ruled_opt(&rules::DISPLAY_NAME, &u.display_name)?;
            let created_at = ruled_opt(&rules::CREATED_AT, &u.created_at)?;
            let created_by = ruled_opt(&rules::CREATED_BY, &u.created_by)?;
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM user WHERE login = ?1)",
                [&login],
                |r| r.get(0),
            )?;
            if !exists {
                users::insert(tx, &login, &u.role, &u.units, by)?;
            }
            tx.execute(
                "UPDATE user SET display_name = ?2, created_at = coalesce(?3, created_at),
                     created_by = coalesce(?4, created_by) WHERE login = ?1",
                params![login, display_name, created_at, created_by],
            )?;
            // Their keys: one they already have is kept as it is; one that is someone
            // else's is refused (a key belongs to one person), as `user key add` refuses it.
            for (k, key) in u.keys.iter().enumerate() {
                let one_key = || -> Result<()> {
                    let parsed = crate::domain::ssh_key::PublicKey::parse(&key.key)?;
                    let theirs: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM user_key
                                        WHERE login = ?1 AND kind = ?2 AND body = ?3)",
                        params![login, parsed.kind, parsed.body],
                        |r| r.get(0),
                    )?;
                    if theirs {
                        return Ok(());
                    }
                    crate::store::keys::insert_key(tx, &login, &parsed, by)?;
                    let added_at = ruled_opt(&rules::CREATED_AT, &key.added_at)?;
                    let added_by = ruled_opt(&rules::CREATED_BY, &key.added_by)?;
                    tx.execute(
                        "UPDATE user_key SET added_at = coalesce(?3, added_at),
                             added_by = coalesce(?4, added_by) WHERE kind = ?1 AND body = ?2",
                        params![parsed.kind, parsed.body, added_at, added_by],
                    )?;
                    Ok(())
                };
                one_key().with_context(|| format!("keys[{k}]"))?;
            }
            Ok(!exists)
        };
        if one().with_context(|| context(i, u))? {
            added += 1;
        }
    }
    Ok(added)
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
                return Err(Import::BrokenByteOrderMark.into());
            }
            return Ok(());
        }
        reader.consume(n);
        seen += n;
    }
    Ok(())
}

fn import_methods(tx: &Transaction, methods: &[ExportMethod], by: &str) -> Result<()> {
    let label = |i: usize| format!("methods[{i}] ({})", printable(&methods[i].method.name));
    // Names and short names share one namespace.
    if let Some((a, b, key)) = first_shared(methods, |m| {
        [Some(m.name.clone()), m.short_name.clone()]
            .into_iter()
            .flatten()
            .collect()
    }) {
        return Err(Import::SameName {
            first: label(a),
            second: label(b),
            name: printable(&key),
            units: false,
        }
        .into());
    }
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
    today: chrono::NaiveDate,
    method_ids: HashMap<String, i64>,
    units: HashMap<String, Unit>,
    /// Each method's adoption in each unit, by method and unit id, as written so far.
    adoptions: HashMap<(i64, i64), i64>,
    /// The new ids of the events written so far, in the file's order, and whether each is
    /// retracted (what the change log refers to).
    ids: Vec<i64>,
    retracted: Vec<bool>,
    /// The same of the confirmations.
    confirmation_ids: Vec<i64>,
    confirmation_retracted: Vec<bool>,
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
            method_ids.insert(name, id);
            if let Some(s) = short {
                method_ids.insert(s.to_lowercase(), id);
                method_ids.insert(s, id);
            }
        }
        let mut stmt = tx.prepare(UNIT_SELECT)?;
        let mut units: HashMap<String, Unit> = HashMap::new();
        for unit in stmt.query_map([], unit_row)? {
            let unit = unit?;
            units.insert(unit.code.to_lowercase(), unit.clone());
            units.insert(unit.code.clone(), unit);
        }
        Ok(EventImporter {
            tx,
            by,
            now: now_utc(),
            today: chrono::Local::now().date_naive(),
            method_ids,
            units,
            adoptions: HashMap::new(),
            ids: Vec::new(),
            retracted: Vec::new(),
            confirmation_ids: Vec::new(),
            confirmation_retracted: Vec::new(),
        })
    }

    /// Checks and writes one event; the error names it (`events[12] (ASI / VA 2003-04)`).
    fn add(&mut self, e: &ExportEvent) -> Result<()> {
        let i = self.ids.len();
        let context = || {
            printable(&format!(
                "events[{i}] ({} / {} {})",
                e.method, e.unit, e.date
            ))
        };
        let mut one = || -> Result<(i64, bool)> {
            let method_id = self.method_id(&e.method)?;
            let unit = self.unit(&e.unit)?;
            let stage: Stage = e.stage.parse()?;
            let date: EventDate = e.date.parse()?;
            check_event_date_on(self.tx, unit, date, self.today)?;
            let (note, source) = clean_event_text(&e.note, &e.source)?;
            let recorded_at = ruled(
                &rules::RECORDED_AT,
                e.recorded_at.as_deref().unwrap_or(&self.now),
            )?;
            let recorded_by = ruled(
                &rules::RECORDED_BY,
                e.recorded_by.as_deref().unwrap_or(self.by),
            )?;
            let retraction = retraction_of(e.retracted, e.retraction.as_ref())?;
            let event = StoredEvent {
                method_id,
                unit_id: unit.id,
                stage,
                date: &date.to_string(),
                note: &note,
                source: &source,
                recorded_at: &recorded_at,
                recorded_by: &recorded_by,
            };
            let adoption_id = match self.adoptions.get(&(method_id, unit.id)) {
                Some(&id) => id,
                None => {
                    let id = adoption_for(self.tx, &event)?;
                    self.adoptions.insert((method_id, unit.id), id);
                    id
                }
            };
            let id = insert_event_row(self.tx, adoption_id, &event)?;
            if let Some(r) = &retraction {
                insert_retraction_tx(self.tx, id, &r.reason, &r.at, &r.by)?;
            }
            Ok((id, retraction.is_some()))
        };
        let (id, retracted) = one().with_context(context)?;
        self.ids.push(id);
        self.retracted.push(retracted);
        Ok(())
    }
}

impl EventImporter<'_> {
    /// The method a record names (by name or short name, in any case; an export writes it
    /// as stored, so the name as given is looked up first).
    fn method_id(&self, name: &str) -> Result<i64> {
        match self.method_ids.get(name) {
            Some(&id) => Ok(id),
            None => self
                .method_ids
                .get(&clean_line(name).to_lowercase())
                .copied()
                .ok_or_else(|| unknown(Noun::Method, name)),
        }
    }

    /// The unit a record names by code, in any case (the code as given is looked up first).
    fn unit(&self, code: &str) -> Result<&Unit> {
        match self.units.get(code) {
            Some(unit) => Ok(unit),
            None => self
                .units
                .get(&clean_line(code).to_lowercase())
                .ok_or_else(|| unknown(Noun::Unit, code)),
        }
    }

    /// Checks and writes one confirmation: the method had a stage in the unit on its day
    /// (the stage it says), the unit existed then; its error names it (`confirmations[3]`).
    fn add_confirmation(&mut self, c: &ExportConfirmation) -> Result<()> {
        let i = self.confirmation_ids.len();
        let context = || {
            printable(&format!(
                "confirmations[{i}] ({} / {} {})",
                c.method, c.unit, c.date
            ))
        };
        let one = || -> Result<(i64, bool)> {
            let method_id = self.method_id(&c.method)?;
            let unit = self.unit(&c.unit)?;
            let stage: Stage = c.stage.parse()?;
            let day = crate::domain::date::parse_day(&c.date)?;
            let (adoption_id, then) = check_confirmation(self.tx, method_id, unit.id, day)?;
            if then != stage {
                return Err(Import::ConfirmsOtherStage {
                    said: stage.code().to_string(),
                    then: then.code().to_string(),
                }
                .into());
            }
            let note = ruled(&rules::NOTE, &c.note)?;
            let recorded_at = ruled(&rules::RECORDED_AT, &c.recorded_at)?;
            let recorded_by = ruled(&rules::RECORDED_BY, &c.recorded_by)?;
            let retraction = retraction_of(c.retracted, c.retraction.as_ref())?;
            let id = insert_confirmation_tx(
                self.tx,
                &StoredConfirmation {
                    adoption_id,
                    stage,
                    date: &day.to_string(),
                    note: &note,
                    recorded_at: &recorded_at,
                    recorded_by: &recorded_by,
                },
            )?;
            if let Some(r) = &retraction {
                insert_confirmation_retraction_tx(self.tx, id, &r.reason, &r.at, &r.by)?;
            }
            Ok((id, retraction.is_some()))
        };
        let (id, retracted) = one().with_context(context)?;
        self.confirmation_ids.push(id);
        self.confirmation_retracted.push(retracted);
        Ok(())
    }
}

/// A record's retraction as the file gives it: `retracted` and `retraction` must agree, and
/// a retraction has a reason, a login and a time by their rules.
fn retraction_of(retracted: bool, retraction: Option<&Retraction>) -> Result<Option<Retraction>> {
    Ok(match (retraction, retracted) {
        (None, false) => None,
        (Some(r), true) => Some(Retraction {
            reason: if r.reason.trim().is_empty() {
                return Err(Problem::NeedsReason.into());
            } else {
                ruled(&rules::REASON, &r.reason)?
            },
            by: ruled(&rules::RETRACTED_BY, &r.by)?,
            at: ruled(&rules::RETRACTED_AT, &r.at)?,
        }),
        (Some(_), false) => return Err(Import::RetractedWithout { retracted: false }.into()),
        (None, true) => return Err(Import::RetractedWithout { retracted: true }.into()),
    })
}

/// The change log as the file wrote it, replacing the new database's own (which holds only
/// what `init` did, superseded by the file's units). Each row is checked: its kind, its
/// event (a position in `events`) or its method, unit, time and login.
struct LogImporter<'l, 'a> {
    tx: &'a Transaction<'a>,
    events: &'l EventImporter<'a>,
    /// Whether each event's row, and its retraction's, has been read.
    event_rows: Vec<bool>,
    retraction_rows: Vec<bool>,
    /// The same of the confirmations.
    confirmation_rows: Vec<bool>,
    confirmation_retraction_rows: Vec<bool>,
    count: usize,
}

impl<'l, 'a> LogImporter<'l, 'a> {
    fn new(tx: &'a Transaction<'a>, events: &'l EventImporter<'a>) -> Result<LogImporter<'l, 'a>> {
        replace_log(tx)?;
        start_staging(tx)?;
        Ok(LogImporter {
            tx,
            events,
            event_rows: vec![false; events.ids.len()],
            retraction_rows: vec![false; events.ids.len()],
            confirmation_rows: vec![false; events.confirmation_ids.len()],
            confirmation_retraction_rows: vec![false; events.confirmation_ids.len()],
            count: 0,
        })
    }

    fn add(&mut self, c: &ExportChange) -> Result<()> {
        let i = self.count;
        self.one(c)
            .with_context(|| printable(&format!("changes[{i}] ({})", c.kind)))?;
        self.count += 1;
        Ok(())
    }

    fn one(&mut self, c: &ExportChange) -> Result<()> {
        match c.kind.as_str() {
            "event" | "retraction" => self.event_row(c),
            "confirmation" | "confirmation_retraction" => self.confirmation_row(c),
            _ => self.record_row(c),
        }
    }

    /// A confirmation's or its retraction's row: it names its confirmation, once.
    fn confirmation_row(&mut self, c: &ExportChange) -> Result<()> {
        if c.at.is_some()
            || c.login.is_some()
            || c.method.is_some()
            || c.unit.is_some()
            || c.event.is_some()
        {
            return Err(Import::Log(Log::EventRowShape).into());
        }
        let Some(n) = c.confirmation else {
            return Err(Import::Log(Log::EventMissing).into());
        };
        let Some(&id) = self.events.confirmation_ids.get(n) else {
            return Err(Import::Log(Log::NoSuchEvent {
                n,
                events: self.events.confirmation_ids.len(),
            })
            .into());
        };
        let rows = if c.kind == "confirmation" {
            &mut self.confirmation_rows
        } else {
            if !self.events.confirmation_retracted[n] {
                return Err(Import::Log(Log::NotRetracted { n }).into());
            }
            &mut self.confirmation_retraction_rows
        };
        if std::mem::replace(&mut rows[n], true) {
            return Err(Import::Log(Log::RowTwice { n }).into());
        }
        stage_change(
            self.tx,
            &StagedChange {
                kind: &c.kind,
                confirmation_id: Some(id),
                ..StagedChange::default()
            },
        )
    }

    /// An event's or a retraction's row: it names its event, once.
    fn event_row(&mut self, c: &ExportChange) -> Result<()> {
        if c.at.is_some()
            || c.login.is_some()
            || c.method.is_some()
            || c.unit.is_some()
            || c.confirmation.is_some()
        {
            return Err(Import::Log(Log::EventRowShape).into());
        }
        let Some(n) = c.event else {
            return Err(Import::Log(Log::EventMissing).into());
        };
        let Some(&id) = self.events.ids.get(n) else {
            return Err(Import::Log(Log::NoSuchEvent {
                n,
                events: self.events.ids.len(),
            })
            .into());
        };
        let rows = if c.kind == "event" {
            &mut self.event_rows
        } else {
            if !self.events.retracted[n] {
                return Err(Import::Log(Log::NotRetracted { n }).into());
            }
            &mut self.retraction_rows
        };
        if std::mem::replace(&mut rows[n], true) {
            return Err(Import::Log(Log::RowTwice { n }).into());
        }
        stage_change(
            self.tx,
            &StagedChange {
                kind: &c.kind,
                event_id: Some(id),
                ..StagedChange::default()
            },
        )?;
        Ok(())
    }

    /// A method's or unit's row: added, or edited with the fields that changed.
    fn record_row(&mut self, c: &ExportChange) -> Result<()> {
        let (of_method, fields): (bool, &[(&str, &str, &str)]) = match c.kind.as_str() {
            "method_added" => (true, &[]),
            "method_edited" => (true, &METHOD_FIELDS),
            "unit_added" => (false, &[]),
            "unit_edited" => (false, &UNIT_FIELDS),
            other => {
                return Err(Import::Log(Log::UnknownChangeKind {
                    kind: printable(other),
                })
                .into());
            }
        };
        if c.event.is_some() {
            return Err(Import::Log(Log::EventOnlyForEvents).into());
        }
        if c.confirmation.is_some() {
            return Err(Import::Log(Log::EventOnlyForEvents).into());
        }
        let changed = clean_line(&c.fields);
        for field in changed.split(' ').filter(|f| !f.is_empty()) {
            if !fields.iter().any(|(f, _, _)| *f == field) {
                return Err(Import::Log(Log::UnknownField {
                    field: printable(field),
                })
                .into());
            }
        }
        let at = ruled(&rules::CHANGED_AT, c.at.as_deref().unwrap_or(""))?;
        let login = ruled(&rules::CHANGED_BY, c.login.as_deref().unwrap_or(""))?;
        let (method_id, unit_id) = match (of_method, &c.method, &c.unit) {
            (true, Some(m), None) => (Some(self.events.method_id(m)?), None),
            (false, None, Some(u)) => (None, Some(self.events.unit(u)?.id)),
            (true, _, _) => return Err(Import::Log(Log::MethodRowShape).into()),
            (false, _, _) => return Err(Import::Log(Log::UnitRowShape).into()),
        };
        stage_change(
            self.tx,
            &StagedChange {
                kind: &c.kind,
                event_id: None,
                at: &at,
                login: &login,
                method_id,
                unit_id,
                fields: &changed,
                confirmation_id: None,
            },
        )
    }

    /// Every event, and every retraction, has its row: one the file's log leaves out (an
    /// event added to an export by hand) is logged after the file's rows, as a new record
    /// would be.
    fn finish(mut self) -> Result<()> {
        for n in 0..self.events.ids.len() {
            let event = |kind: &str| ExportChange {
                kind: kind.to_string(),
                event: Some(n),
                confirmation: None,
                at: None,
                login: None,
                method: None,
                unit: None,
                fields: String::new(),
            };
            if !self.event_rows[n] {
                self.one(&event("event"))?;
            }
            if self.events.retracted[n] && !self.retraction_rows[n] {
                self.one(&event("retraction"))?;
            }
        }
        for n in 0..self.events.confirmation_ids.len() {
            let confirmation = |kind: &str| ExportChange {
                kind: kind.to_string(),
                event: None,
                confirmation: Some(n),
                at: None,
                login: None,
                method: None,
                unit: None,
                fields: String::new(),
            };
            if !self.confirmation_rows[n] {
                self.one(&confirmation("confirmation"))?;
            }
            if self.events.confirmation_retracted[n] && !self.confirmation_retraction_rows[n] {
                self.one(&confirmation("confirmation_retraction"))?;
            }
        }
        write_staged(self.tx)
    }
}
