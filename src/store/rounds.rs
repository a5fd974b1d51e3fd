//! Inventory rounds (inventering): a coordinator opens a round with a due day; it asks each of
//! its units about every method that has a stage there (not discontinued; of its area, when
//! it has one), the methods it names, and what was answered in it. Members answer per
//! method — confirm, change the stage, no longer in use, not used here — and every event or
//! confirmation recorded for a question while the round is open answers it too. One round is
//! open at a time.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::access::Gate;
use super::confirmations::{StoredConfirmation, check_confirmation, insert_confirmation_tx};
use super::stages::{StoredEvent, check_event_date, clean_event_text, insert_event_tx, unit_in};
use super::{Store, now_utc, ruled};
use crate::domain::{Deed, EventDate, Noun, Problem, Stage, rules};

/// A round as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub name: String,
    pub due: NaiveDate,
    pub area: Option<String>,
    pub opened_at: String,
    pub opened_by: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
}

/// A round to open: its name, due day, the area of its methods, the methods it names and
/// its units (empty: every unit valid on the day it opens).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewRound {
    pub name: String,
    pub due: Option<NaiveDate>,
    pub area: Option<String>,
    pub methods: Vec<i64>,
    pub units: Vec<i64>,
}

/// What was said of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Confirmed,
    Changed,
    Discontinued,
    NotUsed,
}

impl Answer {
    /// The code stored and written (`confirmed`, `changed`, `discontinued`, `not_used`).
    pub fn code(self) -> &'static str {
        match self {
            Answer::Confirmed => "confirmed",
            Answer::Changed => "changed",
            Answer::Discontinued => "discontinued",
            Answer::NotUsed => "not_used",
        }
    }

    /// The answer from its code.
    pub fn parse(code: &str) -> Option<Answer> {
        Some(match code {
            "confirmed" => Answer::Confirmed,
            "changed" => Answer::Changed,
            "discontinued" => Answer::Discontinued,
            "not_used" => Answer::NotUsed,
            _ => return None,
        })
    }

    /// The answer in words.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Answer::Confirmed => lang.pick("bekräftat", "confirmed"),
            Answer::Changed => lang.pick("ändrat", "changed"),
            Answer::Discontinued => lang.pick("används inte längre", "no longer in use"),
            Answer::NotUsed => lang.pick("används inte här", "not used here"),
        }
    }

    /// Whether the answer changed the register's stage.
    pub fn changed(self) -> bool {
        matches!(self, Answer::Changed | Answer::Discontinued)
    }
}

/// How a member answers one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answering {
    /// The stage still holds today.
    Confirm { note: String },
    /// A new stage (`discontinued`: no longer in use), from `date` (default today).
    Stage {
        stage: Stage,
        date: Option<EventDate>,
        note: String,
    },
    /// A method the round named that was never used in the unit.
    NotUsed,
}

/// One row of a unit's checklist: a method asked about, its stage now, when it was last
/// heard, and the answer so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistRow {
    pub method_id: i64,
    pub label: String,
    pub name: String,
    pub stage: Option<Stage>,
    pub since: Option<String>,
    pub heard: Option<String>,
    pub answer: Option<Answer>,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
}

/// A unit's progress in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitProgress {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub answered: u32,
    pub total: u32,
    pub changed: u32,
    pub last_by: Option<String>,
    pub last_at: Option<String>,
}

const ROUND_SELECT: &str =
    "SELECT id, name, due, area, opened_at, opened_by, closed_at, closed_by FROM round";

fn round_row(r: &rusqlite::Row) -> rusqlite::Result<Round> {
    let due: String = r.get(2)?;
    Ok(Round {
        id: r.get(0)?,
        name: r.get(1)?,
        due: due.parse().unwrap_or_default(),
        area: r.get(3)?,
        opened_at: r.get(4)?,
        opened_by: r.get(5)?,
        closed_at: r.get(6)?,
        closed_by: r.get(7)?,
    })
}

/// The open round, on any connection (inside a write: as the write sees it).
fn open_round_in(conn: &Connection) -> Result<Option<Round>> {
    Ok(conn
        .query_row(
            &format!("{ROUND_SELECT} WHERE closed_at IS NULL"),
            [],
            round_row,
        )
        .optional()?)
}

/// The questions of round `r` (an SQL expression) as (unit_id, method_id) rows, for the
/// units `unit` chooses (an SQL condition on `ru.unit_id`). One definition, for the
/// checklist, the status and confirming everything.
fn questions_sql(unit: &str) -> String {
    format!(
        "SELECT ru.unit_id, a.method_id FROM round_unit ru
         JOIN round r ON r.id = ru.round_id
         JOIN adoption a ON a.unit_id = ru.unit_id
         JOIN method m ON m.id = a.method_id
         WHERE ru.round_id = ?1 AND {unit} AND a.stage IS NOT NULL AND a.stage <> 'discontinued'
           AND (r.area IS NULL OR instr(lower(m.area), r.area) > 0)
         UNION
         SELECT ru.unit_id, rm.method_id FROM round_unit ru
         JOIN round_method rm ON rm.round_id = ru.round_id
         WHERE ru.round_id = ?1 AND {unit}
         UNION
         SELECT ra.unit_id, ra.method_id FROM round_answer ra JOIN round_unit ru
           ON ru.round_id = ra.round_id AND ru.unit_id = ra.unit_id
         WHERE ra.round_id = ?1 AND {unit}"
    )
}

/// Whether round `round` asks unit `unit` about method `method`.
fn asks(conn: &Connection, round: i64, unit: i64, method: i64) -> Result<bool> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM ({}) WHERE method_id = ?3)",
        questions_sql("ru.unit_id = ?2")
    );
    Ok(conn.query_row(&sql, params![round, unit, method], |r| r.get(0))?)
}

/// Writes (or replaces) the answer to a question of the open round: called in the
/// transaction of every event and confirmation, so what is recorded between the round's
/// keys answers too, when the round asks the unit and covers the method (of its area, or
/// named by it).
pub(super) fn note_answer(
    tx: &Transaction,
    (unit, method): (i64, i64),
    answer: Answer,
    (event_id, confirmation_id): (Option<i64>, Option<i64>),
    (at, by): (&str, &str),
) -> Result<()> {
    let Some(round) = open_round_in(tx)? else {
        return Ok(());
    };
    let covered: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM round_unit WHERE round_id = ?1 AND unit_id = ?2)
                AND (EXISTS (SELECT 1 FROM round_method WHERE round_id = ?1 AND method_id = ?3)
                     OR (SELECT r.area IS NULL OR instr(lower(m.area), r.area) > 0
                         FROM round r, method m WHERE r.id = ?1 AND m.id = ?3))",
        )?
        .query_row(params![round.id, unit, method], |r| r.get(0))?;
    if !covered {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO round_answer (round_id, unit_id, method_id, answer, event_id,
                                   confirmation_id, answered_at, answered_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (round_id, unit_id, method_id) DO UPDATE SET
             answer = excluded.answer, event_id = excluded.event_id,
             confirmation_id = excluded.confirmation_id, answered_at = excluded.answered_at,
             answered_by = excluded.answered_by",
    )?
    .execute(params![
        round.id,
        unit,
        method,
        answer.code(),
        event_id,
        confirmation_id,
        at,
        by
    ])?;
    Ok(())
}

/// A retracted event or confirmation no longer answers a round: its answer goes (the
/// question is open again).
pub(super) fn forget_answer(
    tx: &Transaction,
    event_id: Option<i64>,
    confirmation_id: Option<i64>,
) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM round_answer WHERE (?1 IS NOT NULL AND event_id = ?1)
                                     OR (?2 IS NOT NULL AND confirmation_id = ?2)",
    )?
    .execute(params![event_id, confirmation_id])?;
    Ok(())
}

impl Store {
    /// The open round, if there is one.
    pub fn open_round(&self) -> Result<Option<Round>> {
        open_round_in(&self.conn)
    }

    /// Every round, the newest first.
    pub fn rounds(&self) -> Result<Vec<Round>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{ROUND_SELECT} ORDER BY opened_at DESC, id DESC"))?;
        let rows = stmt.query_map([], round_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The round called `name` (case-insensitive); an unknown name is refused with the
    /// nearest ones.
    pub fn round_named(&self, name: &str) -> Result<Round> {
        let found = self
            .conn
            .query_row(
                &format!("{ROUND_SELECT} WHERE name = ?1 COLLATE NOCASE"),
                [name.trim()],
                round_row,
            )
            .optional()?;
        match found {
            Some(r) => Ok(r),
            None => Err(Problem::NoRound {
                name: crate::domain::text::printable(name.trim()),
                near: crate::domain::suggest::nearest(
                    name.trim(),
                    self.rounds()?.into_iter().map(|r| r.name),
                    3,
                ),
            }
            .into()),
        }
    }

    /// Opens a round (coordinators): refused while another is open, with a name taken, a
    /// due day that has passed, or an area no method has. Returns its id.
    pub fn start_round(&mut self, new: &NewRound) -> Result<i64> {
        let name = ruled(&rules::ROUND_NAME, &new.name)?;
        let today = chrono::Local::now().date_naive();
        let due = new.due.unwrap_or(today);
        if due < today {
            return Err(Problem::DuePassed {
                due: due.to_string(),
            }
            .into());
        }
        let area = new
            .area
            .as_deref()
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty());
        if let Some(a) = &area {
            // Refused with the nearest areas when no method has it.
            self.matrix_methods("", Some(a))?;
        }
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::OpenRound), |tx| {
            if let Some(open) = open_round_in(tx)? {
                return Err(Problem::RoundOpen { name: open.name }.into());
            }
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM round WHERE name = ?1 COLLATE NOCASE)",
                [&name],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Problem::RoundNameTaken { name: name.clone() }.into());
            }
            tx.execute(
                "INSERT INTO round (name, due, area, opened_at, opened_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, due.to_string(), area, now_utc(), by],
            )?;
            let id = tx.last_insert_rowid();
            if new.units.is_empty() {
                tx.execute(
                    "INSERT INTO round_unit (round_id, unit_id)
                     SELECT ?1, id FROM unit
                     WHERE (valid_from IS NULL OR valid_from <= ?2)
                       AND (valid_to IS NULL OR valid_to >= ?2)",
                    params![id, today.to_string()],
                )?;
            } else {
                for &u in &new.units {
                    let unit = unit_in(tx, u)?;
                    if !unit.valid_on(today) {
                        return Err(Problem::NotInRound {
                            unit: unit.code,
                            round: name.clone(),
                        }
                        .into());
                    }
                    tx.execute(
                        "INSERT OR IGNORE INTO round_unit (round_id, unit_id) VALUES (?1, ?2)",
                        params![id, u],
                    )?;
                }
            }
            for &m in &new.methods {
                tx.execute(
                    "INSERT OR IGNORE INTO round_method (round_id, method_id) VALUES (?1, ?2)",
                    params![id, m],
                )?;
            }
            Ok(id)
        })
    }

    /// Closes the open round (coordinators). Returns it as it was closed.
    pub fn close_round(&mut self) -> Result<Round> {
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::CloseRound), |tx| {
            let Some(open) = open_round_in(tx)? else {
                return Err(Problem::NoOpenRound.into());
            };
            tx.execute(
                "UPDATE round SET closed_at = ?2, closed_by = ?3 WHERE id = ?1",
                params![open.id, now_utc(), by],
            )?;
            Ok(tx.query_row(
                &format!("{ROUND_SELECT} WHERE id = ?1"),
                [open.id],
                round_row,
            )?)
        })
    }

    /// The units a round asks, in unit order.
    pub fn round_units(&self, round: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ru.unit_id FROM round_unit ru JOIN unit u ON u.id = ru.unit_id
             WHERE ru.round_id = ?1 ORDER BY (u.kind <> 'district'), u.region, u.sort_key",
        )?;
        let rows = stmt.query_map([round], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A unit's checklist in a round: every question, in method order, with the stage now,
    /// when it was last heard and the answer so far.
    pub fn round_checklist(&self, round: i64, unit: i64) -> Result<Vec<ChecklistRow>> {
        let sql = format!(
            "SELECT q.method_id, coalesce(m.short_name, m.name), m.name, a.stage, a.since,
                    a.heard, ra.answer, ra.answered_by, ra.answered_at
             FROM ({}) q
             JOIN method m ON m.id = q.method_id
             LEFT JOIN adoption a ON a.method_id = q.method_id AND a.unit_id = q.unit_id
             LEFT JOIN round_answer ra ON ra.round_id = ?1 AND ra.unit_id = q.unit_id
                                      AND ra.method_id = q.method_id
             ORDER BY m.label_key, m.id",
            questions_sql("ru.unit_id = ?2")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![round, unit], |r| {
            Ok(ChecklistRow {
                method_id: r.get(0)?,
                label: r.get(1)?,
                name: r.get(2)?,
                stage: r.get(3)?,
                since: r.get(4)?,
                heard: r.get(5)?,
                answer: r
                    .get::<_, Option<String>>(6)?
                    .as_deref()
                    .and_then(Answer::parse),
                answered_by: r.get(7)?,
                answered_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every unit's progress in a round, in unit order: questions answered of all, how many
    /// answers changed the stage, and the last answer's who and when.
    pub fn round_status(&self, round: i64) -> Result<Vec<UnitProgress>> {
        // The questions counted, not listed (`questions_sql` lists them): the methods the
        // round names, those with a stage in the unit that it does not name, and those
        // answered that are neither; every answer is to a question. Per unit through the
        // indexes, so a round naming a thousand methods in a thousand units is not a
        // million rows to sort.
        let sql = "SELECT u.id, u.code, u.name,
                    (SELECT count(*) FROM round_method rm WHERE rm.round_id = ?1)
                    + (SELECT count(*) FROM adoption a JOIN method m ON m.id = a.method_id
                       WHERE a.unit_id = u.id AND a.stage IS NOT NULL
                         AND a.stage <> 'discontinued'
                         AND (r.area IS NULL OR instr(lower(m.area), r.area) > 0)
                         AND NOT EXISTS (SELECT 1 FROM round_method rm
                                         WHERE rm.round_id = ?1 AND rm.method_id = a.method_id))
                    + (SELECT count(*) FROM round_answer ra JOIN method m ON m.id = ra.method_id
                       WHERE ra.round_id = ?1 AND ra.unit_id = u.id
                         AND NOT EXISTS (SELECT 1 FROM round_method rm
                                         WHERE rm.round_id = ?1 AND rm.method_id = ra.method_id)
                         AND NOT EXISTS (SELECT 1 FROM adoption a
                                         WHERE a.unit_id = u.id AND a.method_id = ra.method_id
                                           AND a.stage IS NOT NULL AND a.stage <> 'discontinued'
                                           AND (r.area IS NULL
                                                OR instr(lower(m.area), r.area) > 0))),
                    (SELECT count(*) FROM round_answer ra
                     WHERE ra.round_id = ?1 AND ra.unit_id = u.id),
                    (SELECT count(*) FROM round_answer ra WHERE ra.round_id = ?1
                       AND ra.unit_id = u.id AND ra.answer IN ('changed', 'discontinued')),
                    (SELECT answered_by FROM round_answer l WHERE l.round_id = ?1
                       AND l.unit_id = u.id ORDER BY answered_at DESC, id DESC LIMIT 1),
                    (SELECT max(answered_at) FROM round_answer l WHERE l.round_id = ?1
                       AND l.unit_id = u.id)
             FROM round_unit ru JOIN unit u ON u.id = ru.unit_id JOIN round r ON r.id = ru.round_id
             WHERE ru.round_id = ?1
             ORDER BY (u.kind <> 'district'), u.region, u.sort_key";
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![round], |r| {
            Ok(UnitProgress {
                unit_id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                total: r.get(3)?,
                answered: r.get(4)?,
                changed: r.get(5)?,
                last_by: r.get(6)?,
                last_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Answers one question of the open round for a unit (members for their units): checked
    /// and written in one transaction with the event or confirmation it records.
    pub fn answer_round(&mut self, unit: i64, method: i64, answering: &Answering) -> Result<()> {
        let by = self.user.clone();
        let (note, source) = match answering {
            Answering::Confirm { note } | Answering::Stage { note, .. } => {
                clean_event_text(note, "")?
            }
            Answering::NotUsed => (String::new(), String::new()),
        };
        self.write(Gate::Unit(unit, Deed::AnswerRound), |tx| {
            let round = asked(tx, unit, method)?;
            let now = now_utc();
            match answering {
                Answering::Confirm { .. } => {
                    confirm_today(tx, (unit, method), &note, (&now, &by))?;
                }
                Answering::Stage { stage, date, .. } => {
                    let unit_row = unit_in(tx, unit)?;
                    let date = date.unwrap_or_else(EventDate::today);
                    check_event_date(tx, &unit_row, date)?;
                    let source = if source.is_empty() {
                        round.name.clone()
                    } else {
                        source.clone()
                    };
                    let id = insert_event_tx(
                        tx,
                        &StoredEvent {
                            method_id: method,
                            unit_id: unit,
                            stage: *stage,
                            date: &date.to_string(),
                            note: &note,
                            source: &source,
                            recorded_at: &now,
                            recorded_by: &by,
                        },
                        true,
                    )?;
                    let answer = if *stage == Stage::Discontinued {
                        Answer::Discontinued
                    } else {
                        Answer::Changed
                    };
                    note_answer(tx, (unit, method), answer, (Some(id), None), (&now, &by))?;
                }
                Answering::NotUsed => {
                    let stage: Option<Stage> = tx
                        .query_row(
                            "SELECT stage FROM adoption WHERE unit_id = ?1 AND method_id = ?2",
                            params![unit, method],
                            |r| r.get(0),
                        )
                        .optional()?
                        .flatten();
                    if let Some(stage) = stage.filter(|s| *s != Stage::Discontinued) {
                        return Err(Problem::HasStage {
                            method: label_of(tx, method)?,
                            unit: unit_in(tx, unit)?.code,
                            stage: stage.code().to_string(),
                        }
                        .into());
                    }
                    note_answer(
                        tx,
                        (unit, method),
                        Answer::NotUsed,
                        (None, None),
                        (&now, &by),
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Confirms, as it stands today, every question of a unit not yet answered that has a
    /// stage (members for their units), in one transaction. Returns how many.
    pub fn confirm_all(&mut self, unit: i64) -> Result<usize> {
        let by = self.user.clone();
        self.write(Gate::Unit(unit, Deed::AnswerRound), |tx| {
            let Some(round) = open_round_in(tx)? else {
                return Err(Problem::NoOpenRound.into());
            };
            in_round(tx, &round, unit)?;
            let sql = format!(
                "SELECT q.method_id FROM ({}) q
                 JOIN adoption a ON a.unit_id = q.unit_id AND a.method_id = q.method_id
                 WHERE a.stage IS NOT NULL AND a.stage <> 'discontinued'
                   AND NOT EXISTS (SELECT 1 FROM round_answer ra WHERE ra.round_id = ?1
                                   AND ra.unit_id = q.unit_id AND ra.method_id = q.method_id)",
                questions_sql("ru.unit_id = ?2")
            );
            let methods: Vec<i64> = tx
                .prepare(&sql)?
                .query_map(params![round.id, unit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let now = now_utc();
            for &m in &methods {
                confirm_today(tx, (unit, m), "", (&now, &by))?;
            }
            Ok(methods.len())
        })
    }
}

/// The open round, if it asks `unit` about `method`; else why not.
fn asked(tx: &Transaction, unit: i64, method: i64) -> Result<Round> {
    let Some(round) = open_round_in(tx)? else {
        return Err(Problem::NoOpenRound.into());
    };
    in_round(tx, &round, unit)?;
    if !asks(tx, round.id, unit, method)? {
        return Err(Problem::NotAsked {
            method: label_of(tx, method)?,
            unit: unit_in(tx, unit)?.code,
            round: round.name,
        }
        .into());
    }
    Ok(round)
}

/// Refuses a unit the round does not ask.
fn in_round(tx: &Transaction, round: &Round, unit: i64) -> Result<()> {
    let asked: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM round_unit WHERE round_id = ?1 AND unit_id = ?2)",
        params![round.id, unit],
        |r| r.get(0),
    )?;
    if asked {
        Ok(())
    } else {
        Err(Problem::NotInRound {
            unit: unit_in(tx, unit)?.code,
            round: round.name.clone(),
        }
        .into())
    }
}

/// Confirms a method's stage in a unit today, and answers the round with it.
fn confirm_today(
    tx: &Transaction,
    (unit, method): (i64, i64),
    note: &str,
    (now, by): (&str, &str),
) -> Result<()> {
    let today = chrono::Local::now().date_naive();
    let (adoption_id, stage) = check_confirmation(tx, method, unit, today)?;
    let id = insert_confirmation_tx(
        tx,
        &StoredConfirmation {
            adoption_id,
            stage,
            date: &today.to_string(),
            note,
            recorded_at: now,
            recorded_by: by,
        },
    )?;
    note_answer(
        tx,
        (unit, method),
        Answer::Confirmed,
        (None, Some(id)),
        (now, by),
    )
}

fn label_of(conn: &Connection, method: i64) -> Result<String> {
    conn.query_row(
        "SELECT coalesce(short_name, name) FROM method WHERE id = ?1",
        [method],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| {
        Problem::Unknown {
            what: Noun::Method,
            wanted: method.to_string(),
            near: Vec::new(),
        }
        .into()
    })
}

/// What changed in a round's time: since the previous round opened (or from the start) to
/// this one's close (or now), in the units it asks.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundReport {
    pub round: Round,
    /// The round before it, if any: where "since" starts (else at this round's opening).
    pub previous: Option<Round>,
    /// Stage events recorded in that time (not retracted), but discontinued ones.
    pub new_stages: Vec<crate::domain::EventRow>,
    /// Discontinued: events recorded in that time that say a method stopped.
    pub discontinued: Vec<crate::domain::EventRow>,
    /// Confirmations recorded in that time (not retracted).
    pub confirmations: Vec<super::ConfirmationRow>,
    /// The units that did not answer every question, with their progress.
    pub unanswered: Vec<UnitProgress>,
}

impl Store {
    /// The report of a round: what changed since the previous one (see `RoundReport`).
    pub fn round_report(&self, round: &Round) -> Result<RoundReport> {
        let previous = self
            .conn
            .query_row(
                &format!(
                    "{ROUND_SELECT} WHERE opened_at < ?1 OR (opened_at = ?1 AND id < ?2)
                     ORDER BY opened_at DESC, id DESC LIMIT 1"
                ),
                params![round.opened_at, round.id],
                round_row,
            )
            .optional()?;
        // Since the previous round opened; for the first round, since it opened itself.
        let from = previous
            .as_ref()
            .map_or_else(|| round.opened_at.clone(), |p| p.opened_at.clone());
        let to = round.closed_at.clone().unwrap_or_else(|| "9999".into());
        let units = "a.unit_id IN (SELECT unit_id FROM round_unit WHERE round_id = ?3)";
        let mut stmt = self.conn.prepare(&format!(
            "{} WHERE e.recorded_at >= ?1 AND e.recorded_at <= ?2 AND r.reason IS NULL
               AND {units} ORDER BY e.recorded_at, e.id",
            super::stages::EVENT_SELECT
        ))?;
        let events: Vec<crate::domain::EventRow> = stmt
            .query_map(params![from, to, round.id], super::stages::event_row)?
            .collect::<rusqlite::Result<_>>()?;
        let (discontinued, new_stages) = events
            .into_iter()
            .partition(|e| e.stage == Stage::Discontinued);
        let mut stmt = self.conn.prepare(&format!(
            "{} WHERE c.recorded_at >= ?1 AND c.recorded_at <= ?2 AND r.reason IS NULL
               AND {units} ORDER BY c.recorded_at, c.id",
            super::confirmations::CONFIRMATION_SELECT
        ))?;
        let confirmations = stmt
            .query_map(
                params![from, to, round.id],
                super::confirmations::confirmation_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        let unanswered = self
            .round_status(round.id)?
            .into_iter()
            .filter(|p| p.answered < p.total)
            .collect();
        Ok(RoundReport {
            round: round.clone(),
            previous,
            new_stages,
            discontinued,
            confirmations,
            unanswered,
        })
    }
}
