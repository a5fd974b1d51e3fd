//! The lineage of units: who took over from whom, and when. Its rules, stated once: no
//! circle, every successor valid on the day it took over, no gap (a predecessor ends the day
//! before its successor takes over, and has an end), and a unit's `successor` is a step of
//! the lineage. `check` reports what breaks them; every write that changes units or the
//! lineage is held to them inside its transaction (`guarded`), whatever path it takes (a
//! reorganisation, a unit's form, an import).

use std::collections::HashMap;

use anyhow::Result;

use crate::domain::problem::check::Lineage;
use crate::domain::problem::reorganisation::UnitEdit;
use crate::domain::problem::{Finding, Reorganisation};
use rusqlite::Connection;

use super::health::problem_rows_in;

/// Runs `write` (inside a write's transaction), then refuses it if it left the lineage with
/// a problem it did not have before: the write is rolled back with the transaction.
pub(super) fn guarded<T>(tx: &Connection, write: impl FnOnce() -> Result<T>) -> Result<T> {
    let before = problems(tx)?;
    let out = write()?;
    if let Some(new) = problems(tx)?.into_iter().find(|p| !before.contains(p)) {
        return Err(Reorganisation::Unit(UnitEdit::LineageUnsound {
            finding: Box::new(new),
        })
        .into());
    }
    Ok(out)
}

/// The lineage of reorganisations: no circle, every successor valid on the day it took
/// over, and no gap in a chain (a predecessor ends the day before its successor takes
/// over).
pub(super) fn problems(conn: &Connection) -> Result<Vec<Finding>> {
    let mut problems = Vec::new();
    problem_rows_in(
        conn,
        &mut problems,
        "SELECT s.code, l.effective, p.code, coalesce(s.valid_from, '…'), coalesce(s.valid_to, '…')
         FROM unit_lineage l JOIN unit s ON s.id = l.successor_id
         JOIN unit p ON p.id = l.predecessor_id
         WHERE s.valid_from > l.effective OR s.valid_to < l.effective ORDER BY s.code, p.code",
        &|r| {
            Some(Finding::Lineage(Lineage::DeadSuccessor {
                code: r[0].clone(),
                from: r[2].clone(),
                day: r[1].clone(),
                valid_from: r[3].clone(),
                valid_to: r[4].clone(),
            }))
        },
    )?;
    problem_rows_in(
        conn,
        &mut problems,
        "SELECT p.code, s.code, l.effective, p.valid_to FROM unit_lineage l
         JOIN unit p ON p.id = l.predecessor_id JOIN unit s ON s.id = l.successor_id
         WHERE p.valid_to IS NOT NULL AND date(p.valid_to, '+1 day') IS NOT l.effective
         ORDER BY p.code, s.code",
        &|r| {
            Some(Finding::Lineage(Lineage::Gap {
                code: r[0].clone(),
                ended: r[3].clone(),
                successor: r[1].clone(),
                day: r[2].clone(),
            }))
        },
    )?;
    problem_rows_in(
        conn,
        &mut problems,
        "SELECT p.code, s.code, l.effective FROM unit_lineage l
         JOIN unit p ON p.id = l.predecessor_id JOIN unit s ON s.id = l.successor_id
         WHERE p.valid_to IS NULL ORDER BY p.code, s.code",
        &|r| {
            Some(Finding::Lineage(Lineage::NoEnd {
                code: r[0].clone(),
                successor: r[1].clone(),
                day: r[2].clone(),
            }))
        },
    )?;
    problem_rows_in(
        conn,
        &mut problems,
        "SELECT u.code, s.code FROM unit u JOIN unit s ON s.id = u.successor_id
         WHERE NOT EXISTS (SELECT 1 FROM unit_lineage l
                           WHERE l.predecessor_id = u.id AND l.successor_id = s.id)
         ORDER BY u.code",
        &|r| {
            Some(Finding::Lineage(Lineage::SuccessorWithoutStep {
                code: r[0].clone(),
                successor: r[1].clone(),
            }))
        },
    )?;
    let mut next: HashMap<String, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT p.code, s.code FROM unit_lineage l JOIN unit p ON p.id = l.predecessor_id
         JOIN unit s ON s.id = l.successor_id ORDER BY p.code, s.code",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
        let (p, s) = row?;
        next.entry(p).or_default().push(s);
    }
    let mut starts: Vec<&String> = next.keys().collect();
    starts.sort();
    for start in starts {
        if let Some(circle) = lineage_circle(&next, start)
            && circle.iter().all(|c| c >= start)
        {
            problems.push(Finding::Lineage(Lineage::Circle {
                code: start.clone(),
                circle,
            }));
        }
    }
    Ok(problems)
}

/// The shortest way from `start` through its successors back to `start`, if there is one
/// (`FA → SN → FA`).
fn lineage_circle(next: &HashMap<String, Vec<String>>, start: &str) -> Option<Vec<String>> {
    let mut came_from: HashMap<&str, &str> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for s in next.get(at).into_iter().flatten() {
            if s == start {
                // Back from the last unit before `start` to `start`, then in order.
                let mut back = Vec::new();
                let mut here = at;
                while here != start {
                    back.push(here.to_string());
                    here = came_from.get(here).copied().unwrap_or(start);
                }
                back.reverse();
                let mut path = vec![start.to_string()];
                path.extend(back);
                path.push(start.to_string());
                return Some(path);
            }
            if s != start && !came_from.contains_key(s.as_str()) {
                came_from.insert(s, at);
                queue.push_back(s);
            }
        }
    }
    None
}
