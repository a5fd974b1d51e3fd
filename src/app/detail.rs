//! The detail views: a method or a unit opened from a tab, scrolled as one page.

use anyhow::Result;

use super::tabs::{RecordContext, Target};
use crate::i18n::Lang;
use crate::store::{Changes, MethodDetail, Moment, Store, UnitDetail};

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

    /// Whether other processes' changes touch the record shown.
    pub fn changed(&self, changes: &Changes) -> bool {
        match self {
            Detail::Method { detail, .. } => changes.touch_method(detail.method.id),
            Detail::Unit { detail, .. } => changes.touch_unit(detail.unit.id),
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

    /// Scrolls a unit's detail just so far that its selected row is among the lines in
    /// view of a text of `(width, height)` (`layout::detail_text`), after the row moved off
    /// the top or the bottom.
    pub fn keep_row_in_view(&mut self, lang: Lang, (width, height): (u16, usize)) {
        let Detail::Unit {
            detail,
            scroll,
            row,
        } = self
        else {
            return;
        };
        let line = unit_row_line(detail, *row, lang, width);
        let first = *scroll as usize;
        if line < first {
            *scroll = line.min(u16::MAX as usize) as u16;
        } else if line >= first + height {
            *scroll = (line + 1 - height).min(u16::MAX as usize) as u16;
        }
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

/// A unit's fields above its list of stages: its kind, validity, successor, predecessors.
pub fn unit_fields(d: &UnitDetail, lang: Lang) -> Vec<(&'static str, String)> {
    let u = &d.unit;
    let kind = u.kind.label(lang);
    let kind = match &u.region {
        Some(r) => format!("{kind}, {r}"),
        None => kind.to_string(),
    };
    let valid = match (u.valid_from, u.valid_to) {
        (None, None) => lang.pick("hela perioden", "throughout").to_string(),
        (f, t) => format!(
            "{} – {}",
            f.map(|d| d.to_string()).unwrap_or_default(),
            t.map(|d| d.to_string()).unwrap_or_default()
        ),
    };
    let mut fields = vec![
        (lang.pick("Typ", "Kind"), kind),
        (lang.pick("Giltig", "Valid"), valid),
    ];
    if let Some(s) = &u.successor {
        fields.push((lang.pick("Efterträdare", "Successor"), s.clone()));
    }
    if !d.predecessors.is_empty() {
        fields.push((
            lang.pick("Föregångare", "Predecessors"),
            d.predecessors.join(", "),
        ));
    }
    fields
}

/// The line, counted from the top of a unit's detail text, of its stage `row`: the fields'
/// lines as the view wraps them (`ui::detail::field`: after the label, its colon and a
/// space), a blank line, the list's heading and its column line, then one line per stage.
/// ↑/↓ scroll by it to keep the selected row in view.
fn unit_row_line(d: &UnitDetail, row: usize, lang: Lang, width: u16) -> usize {
    let fields: usize = unit_fields(d, lang)
        .iter()
        .map(|(label, value)| {
            let indent = label.chars().count() + 2;
            crate::layout::wrapped_height(value, (width as usize).saturating_sub(indent))
        })
        .sum();
    fields + 3 + row
}
