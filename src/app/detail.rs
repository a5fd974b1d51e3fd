//! The detail views: a method or a unit opened from a tab, scrolled as one page.

use anyhow::Result;

use super::tabs::{RecordContext, Target};
use crate::store::{MethodDetail, Moment, Store, UnitDetail};

/// A method's or a unit's detail view, with its scroll.
pub enum Detail {
    Method {
        detail: Box<MethodDetail>,
        scroll: u16,
    },
    Unit {
        detail: Box<UnitDetail>,
        scroll: u16,
        /// The selected method among the unit's stages (`c` confirms it, `s` records for
        /// it); ↑/↓ move it, and scroll the page past the list's ends.
        row: usize,
    },
}

impl Detail {
    /// Reads what the detail view of `target` shows at `moment`.
    pub fn open(store: &Store, target: Target, moment: &Moment) -> Result<Detail> {
        Ok(match target {
            Target::Method(id) => Detail::Method {
                detail: Box::new(store.method_detail(id, moment)?),
                scroll: 0,
            },
            Target::Unit(id) => Detail::Unit {
                detail: Box::new(store.unit_detail(id, moment)?),
                scroll: 0,
                row: 0,
            },
        })
    }

    /// The record shown.
    pub fn target(&self) -> Target {
        match self {
            Detail::Method { detail, .. } => Target::Method(detail.method.id),
            Detail::Unit { detail, .. } => Target::Unit(detail.unit.id),
        }
    }

    /// Fetches the record again, keeping the scroll.
    pub fn reload(&mut self, store: &Store, moment: &Moment) -> Result<()> {
        match self {
            Detail::Method { detail, .. } => {
                **detail = store.method_detail(detail.method.id, moment)?
            }
            Detail::Unit { detail, row, .. } => {
                **detail = store.unit_detail(detail.unit.id, moment)?;
                *row = (*row).min(detail.current.len().saturating_sub(1));
            }
        }
        Ok(())
    }

    /// What `c` confirms on a unit's detail: the selected method's stage there (its label,
    /// the unit's code, the stage), when the unit has not ended.
    pub fn selected_stage(&self) -> Option<RecordContext> {
        let Detail::Unit { detail, row, .. } = self else {
            return None;
        };
        let c = detail.current.get(*row).filter(|c| c.until.is_none())?;
        Some(RecordContext {
            method: c.label.clone(),
            unit: detail.unit.code.clone(),
            stage: Some(c.stage),
            source: String::new(),
        })
    }

    /// ↑/↓ on a unit's detail: the selected method moves among its stages, and only past
    /// the list's ends does the page scroll. Whether it moved (else the caller scrolls).
    pub fn move_row(&mut self, delta: isize) -> bool {
        let Detail::Unit { detail, row, .. } = self else {
            return false;
        };
        let last = detail.current.len().saturating_sub(1);
        let moved = (*row as isize + delta).clamp(0, last as isize) as usize;
        if detail.current.is_empty() || moved == *row {
            return false;
        }
        *row = moved;
        true
    }

    /// Scrolls by `delta` lines, within the text.
    pub fn scroll_by(&mut self, delta: isize) {
        let (Detail::Method { scroll, .. } | Detail::Unit { scroll, .. }) = self;
        *scroll = (*scroll as isize)
            .saturating_add(delta)
            .clamp(0, u16::MAX as isize) as u16;
    }

    /// `s` in a method's detail fills in the method, in a unit's the unit.
    pub fn record_context(&self) -> RecordContext {
        match self {
            Detail::Method { detail, .. } => RecordContext {
                method: detail.method.label().to_string(),
                ..RecordContext::default()
            },
            // `s` on a unit fills in the unit only: the form opens on the method, for a
            // method new to the unit as readily as for one it has.
            Detail::Unit { detail, .. } => RecordContext {
                unit: detail.unit.code.clone(),
                ..RecordContext::default()
            },
        }
    }
}
