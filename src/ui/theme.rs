//! Colours and emphasis. Every stage has a glyph as well as a colour, and the selected row is
//! marked with a symbol and bold, so nothing depends on colour alone. `NO_COLOR` turns colour
//! off entirely.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn stage(&self, stage: Stage) -> Style {
        self.fg(match stage {
            Stage::Exploring => Color::Cyan,
            Stage::Preparing => Color::Blue,
            Stage::Pilot => Color::Yellow,
            Stage::Implemented => Color::Green,
            Stage::Sustained => Color::LightGreen,
            Stage::Paused => Color::Magenta,
            Stage::Discontinued => Color::Red,
        })
    }

    pub fn selected(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color {
            s.bg(Color::DarkGray)
        } else {
            s.add_modifier(Modifier::REVERSED)
        }
    }

    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn focus(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn tab_active(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        if self.color { s.fg(Color::Yellow) } else { s }
    }

    pub fn retracted(&self) -> Style {
        self.dim().add_modifier(Modifier::CROSSED_OUT)
    }
}
