//! Popups over every screen: help, the draft offered at the start, the retraction dialog,
//! the day every screen shows (`@`), and the report of what an operation did.

use ratatui_textarea::TextArea;

use super::keymap::Context;
use super::{Action, App};
use crate::domain::EventRow;
use crate::domain::problem::Deed;
use crate::store::Draft;

/// What is open over the screen: help, a draft to recover, a retraction, the as-of day, a report.
pub enum Popup {
    Help {
        scroll: u16,
    },
    /// Unsaved text from an earlier session: bring it back?
    Draft {
        draft: Box<Draft>,
    },
    Retract {
        /// The event, or the confirmation in an event's shape (`confirmation`).
        event: Box<EventRow>,
        confirmation: bool,
        reason: Box<TextArea<'static>>,
        error: Option<String>,
        /// Esc with a reason typed: drop it? (as forms ask)
        confirm_discard: bool,
    },
    /// Close the open round? (`X`)
    CloseRound {
        name: String,
    },
    /// Confirm every unanswered stage of a unit's checklist as it stands? (`A`)
    ConfirmAll {
        unit: i64,
        code: String,
        count: usize,
    },
    /// The day every screen shows, being typed.
    AsOf {
        input: Box<TextArea<'static>>,
        error: Option<String>,
    },
    /// What an operation did (a reorganisation), to read and close.
    Report {
        title: String,
        lines: Vec<String>,
        scroll: u16,
    },
}

impl Popup {
    /// The key-map contexts of the popup.
    pub fn contexts(&self) -> Vec<Context> {
        match self {
            Popup::Help { .. } | Popup::Report { .. } => vec![Context::Help],
            Popup::Retract {
                confirm_discard: true,
                ..
            } => vec![Context::Confirm],
            Popup::Retract { .. } => vec![Context::Form],
            Popup::Draft { .. } | Popup::ConfirmAll { .. } | Popup::CloseRound { .. } => {
                vec![Context::Confirm]
            }
            Popup::AsOf { .. } => vec![Context::Day],
        }
    }
}

impl App {
    /// An action while a popup has the keys. Quitting works in every popup.
    pub(super) fn update_popup(&mut self, action: Action) {
        match &self.popup {
            _ if action == Action::Quit => self.should_quit = true,
            Some(Popup::Help { .. } | Popup::Report { .. }) => self.update_reading(action),
            Some(Popup::Retract { .. }) => self.update_retract(action),
            Some(Popup::Draft { .. }) => self.update_draft(action),
            Some(Popup::ConfirmAll { .. }) => self.update_confirm_all(action),
            Some(Popup::CloseRound { .. }) => match action {
                Action::Confirm => {
                    self.popup = None;
                    self.report(|app| app.close_round_now());
                }
                Action::Deny => self.popup = None,
                _ => {}
            },
            Some(Popup::AsOf { .. }) => self.update_as_of(action),
            None => {}
        }
    }

    /// Help or a report: scrolled, then closed.
    fn update_reading(&mut self, action: Action) {
        match action {
            Action::Back => {
                self.popup = None;
                self.report(|app| app.reload());
            }
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => self.scroll_popup(action),
            _ => {}
        }
    }

    /// The retraction dialog: saved with its reason; Esc asks before dropping a typed reason,
    /// as a form does.
    fn update_retract(&mut self, action: Action) {
        let Some(Popup::Retract {
            reason,
            confirm_discard,
            ..
        }) = &mut self.popup
        else {
            return;
        };
        match action {
            Action::Cancel if reason.lines().iter().all(|l| l.trim().is_empty()) => {
                self.popup = None
            }
            Action::Cancel => *confirm_discard = true,
            Action::Confirm if *confirm_discard => self.popup = None,
            Action::Deny => *confirm_discard = false,
            Action::Save => self.save_retraction(),
            _ => {}
        }
    }

    /// The draft offered at the start: brought back, or dropped for good.
    fn update_confirm_all(&mut self, action: Action) {
        let Some(Popup::ConfirmAll { unit, .. }) = &self.popup else {
            return;
        };
        let unit = *unit;
        match action {
            Action::Confirm => {
                self.popup = None;
                self.report(|app| app.confirm_all_now(unit));
            }
            Action::Deny => self.popup = None,
            _ => {}
        }
    }

    fn update_draft(&mut self, action: Action) {
        let Some(Popup::Draft { draft }) = &self.popup else {
            return;
        };
        match action {
            Action::Confirm => {
                let draft = draft.clone();
                self.popup = None;
                self.report(|app| app.restore_draft(&draft));
            }
            Action::Deny => {
                self.popup = None;
                self.report(|app| app.forget_draft());
            }
            _ => {}
        }
    }

    /// The day every screen shows: typed, then taken (empty: today); never in the future.
    fn update_as_of(&mut self, action: Action) {
        let Some(Popup::AsOf { input, error }) = &mut self.popup else {
            return;
        };
        match action {
            Action::Cancel => self.popup = None,
            Action::Confirm => {
                let text = input.lines().join("");
                let today = chrono::Local::now().date_naive();
                let day = if text.trim().is_empty() {
                    Ok(today)
                } else {
                    text.trim()
                        .parse::<crate::domain::EventDate>()
                        .map(|d| d.first_day())
                        .map_err(|e| e.text(self.lang))
                };
                match day {
                    Ok(day) if day > today => {
                        *error = Some(
                            self.lang
                                .pick("Datumet ligger i framtiden.", "The date is in the future.")
                                .into(),
                        )
                    }
                    Ok(day) => {
                        self.popup = None;
                        self.set_day(day);
                    }
                    Err(e) => *error = Some(e),
                }
            }
            _ => {}
        }
    }

    /// Scrolls help or a report by a line, a page, or to either end, never past its last page.
    fn scroll_popup(&mut self, action: Action) {
        // The body's rows less the popup's frame (help over the slides has the whole screen).
        let height = if self.deck.is_some() {
            self.size.1
        } else {
            self.size.1.saturating_sub(2)
        };
        let page = height.saturating_sub(3).max(1);
        let max = match &self.popup {
            Some(Popup::Help { .. }) => {
                let contexts: &[Context] = if self.deck.is_some() {
                    &[Context::Present]
                } else {
                    &super::keymap::CONTEXT_ORDER
                };
                let lines = super::keymap::help_lines(self.lang, contexts, &|a| self.can(a)).len();
                lines.saturating_sub(height.saturating_sub(2) as usize) as u16
            }
            Some(Popup::Report { lines, .. }) => (crate::layout::report_lines(lines, self.size.0)
                .len() as u16)
                .saturating_sub(height.saturating_sub(2)),
            _ => 0,
        };
        if let Some(Popup::Help { scroll } | Popup::Report { scroll, .. }) = &mut self.popup {
            *scroll = match action {
                Action::Down => scroll.saturating_add(1),
                Action::Up => scroll.saturating_sub(1),
                Action::PageDown => scroll.saturating_add(page),
                Action::PageUp => scroll.saturating_sub(page),
                Action::Top => 0,
                _ => max,
            }
            .min(max);
        }
    }

    /// `x`: asks why the selected event is retracted (Activity only).
    pub(super) fn open_retract(&mut self) {
        let target = match self.detail {
            None => self.tabs.get(self.tab).retract_target(),
            Some(_) => None,
        };
        let lang = self.lang;
        match target {
            None => {
                self.message = Some(
                    lang.pick(
                        "Välj händelsen i fliken Aktivitet för att återkalla den.",
                        "Select the event in the Activity tab to retract it.",
                    )
                    .into(),
                );
            }
            Some((e, confirmation)) if e.retraction.is_some() => {
                self.message = Some(
                    if confirmation {
                        lang.pick(
                            "Bekräftelsen är redan återkallad.",
                            "The confirmation is already retracted.",
                        )
                    } else {
                        lang.pick(
                            "Händelsen är redan återkallad.",
                            "The event is already retracted.",
                        )
                    }
                    .into(),
                );
            }
            // A member is told before typing a reason that another unit is not theirs.
            Some((e, _)) if let Err(refusal) = self.refuse_other_unit(&e.unit, Deed::Retract) => {
                self.message = Some(crate::domain::problem::say(&refusal, lang));
            }
            Some((e, confirmation)) => {
                self.popup = Some(Popup::Retract {
                    event: Box::new(e.clone()),
                    confirmation,
                    reason: Box::default(),
                    error: None,
                    confirm_discard: false,
                });
            }
        }
    }

    pub(super) fn save_retraction(&mut self) {
        let Some(Popup::Retract {
            event,
            confirmation,
            reason,
            error,
            ..
        }) = &mut self.popup
        else {
            return;
        };
        let confirmation = *confirmation;
        let text = reason.lines().join(" ");
        if text.trim().is_empty() {
            *error = Some(
                self.lang
                    .pick(
                        "Skriv varför händelsen återkallas.",
                        "Say why the event is retracted.",
                    )
                    .into(),
            );
            return;
        }
        let id = event.id;
        let done = if confirmation {
            self.store.retract_confirmation(id, &text)
        } else {
            self.store.retract(id, &text)
        };
        match done {
            Ok(()) => {
                self.popup = None;
                self.message = Some(format!(
                    "{} {id}",
                    if confirmation {
                        self.lang
                            .pick("Återkallade bekräftelse", "Retracted confirmation")
                    } else {
                        self.lang.pick("Återkallade händelse", "Retracted event")
                    }
                ));
                self.report(|app| app.reload());
            }
            Err(e) => {
                *error = Some(crate::domain::problem::say(
                    &self.store.explain(e),
                    self.lang,
                ))
            }
        }
    }
}
