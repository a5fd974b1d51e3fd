//! Colours and emphasis. Every stage has a glyph as well as a colour, and the selected row is
//! marked with a symbol and bold, so nothing depends on colour alone. `NO_COLOR` turns colour
//! off entirely.
//!
//! The tabs and the workshop slides draw in the app's own palettes, dark or light, and paint
//! their own background: a terminal's named colours are unreadable on the other kind of
//! background (yellow on white). `--theme dark|light` chooses; without it the terminal is
//! asked for its background (OSC 11) and dark is taken when it does not say. Every text
//! colour is at WCAG AA contrast (4.5:1) against the background and the selection's
//! background: the tests compute each pair's ratio, and check every cell of every screen.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Stage;

/// The colours and styles the screens draw with (none under NO_COLOR, words for `--a11y`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub color: bool,
    /// The slides' palette.
    pub scheme: Scheme,
    /// For screen readers and magnifiers (`--a11y`, `SPRIDNING_A11Y=1`): the terminal cursor
    /// is shown on the selected row, cell or field; borders and separators are spaces; stage
    /// glyph columns are written in words.
    pub a11y: bool,
    /// Symbols drawn in ASCII (`--ascii`, `SPRIDNING_ASCII=1`, a locale not in UTF-8; see
    /// `ui::ascii`), and what becomes of data text's letters then.
    pub ascii: bool,
    pub letters: super::ascii::Letters,
}

/// A colour as red, green and blue.
pub type Rgb = (u8, u8, u8);

/// The slides' colours: dark (the default) or light (for projectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    #[default]
    Dark,
    Light,
}

/// The colours a slide uses: one background and the text colours drawn on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub background: Rgb,
    pub text: Rgb,
    pub heading: Rgb,
    /// Figures and the key sentence.
    pub accent: Rgb,
    /// What changed during the workshop.
    pub mark: Rgb,
    /// Per stage, in `Stage::ALL` order.
    pub stages: [Rgb; 7],
    /// Text that says little (an empty cell, a hint).
    pub dim: Rgb,
    /// An error.
    pub error: Rgb,
    /// The selected row's background (the row is also bold and marked `▶`).
    pub selection: Rgb,
}

impl Scheme {
    /// The scheme that suits the terminal's background, where the terminal answers the
    /// standard question for it (OSC 11; `terminal-colorsaurus` asks, and knows at once when a
    /// terminal cannot answer); dark when it does not answer within 300 ms.
    pub fn of_terminal() -> Scheme {
        let options = {
            let mut o = terminal_colorsaurus::QueryOptions::default();
            o.timeout = std::time::Duration::from_millis(300);
            o
        };
        match terminal_colorsaurus::theme_mode(options) {
            Ok(terminal_colorsaurus::ThemeMode::Light) => Scheme::Light,
            _ => Scheme::Dark,
        }
    }

    /// The scheme's palette.
    pub fn palette(self) -> Palette {
        match self {
            Scheme::Dark => Palette {
                background: (0x12, 0x12, 0x12),
                text: (0xED, 0xED, 0xED),
                heading: (0xFF, 0xFF, 0xFF),
                accent: (0xFF, 0xD7, 0x5F),
                mark: (0xFF, 0x9E, 0x57),
                stages: [
                    (0x7F, 0xD8, 0xF0),
                    (0x8F, 0xB8, 0xFF),
                    (0xF5, 0xC5, 0x42),
                    (0x6E, 0xE0, 0x8A),
                    (0xB4, 0xF5, 0xC8),
                    (0xE0, 0x9C, 0xF5),
                    (0xFF, 0x8A, 0x8A),
                ],
                dim: (0xA0, 0xA0, 0xA0),
                error: (0xFF, 0x8A, 0x8A),
                selection: (0x2E, 0x36, 0x44),
            },
            Scheme::Light => Palette {
                background: (0xFF, 0xFF, 0xFF),
                text: (0x1A, 0x1A, 0x1A),
                heading: (0x00, 0x00, 0x00),
                accent: (0x0B, 0x4F, 0x9C),
                mark: (0xA0, 0x3C, 0x00),
                stages: [
                    (0x00, 0x69, 0x7A),
                    (0x23, 0x48, 0xA8),
                    (0x7A, 0x52, 0x00),
                    (0x1E, 0x6B, 0x2E),
                    (0x0B, 0x5A, 0x3A),
                    (0x8A, 0x2B, 0x8A),
                    (0xB0, 0x24, 0x1B),
                ],
                dim: (0x5A, 0x5A, 0x5A),
                error: (0xB0, 0x24, 0x1B),
                selection: (0xDD, 0xE7, 0xF3),
            },
        }
    }

    /// Every (name, text colour, background) pair the screens draw: each text colour on the
    /// background and on the selection.
    pub fn pairs(self) -> Vec<(String, Rgb, Rgb)> {
        let p = self.palette();
        let mut colours = vec![
            ("text".to_string(), p.text),
            ("heading".to_string(), p.heading),
            ("accent".to_string(), p.accent),
            ("mark".to_string(), p.mark),
            ("dim".to_string(), p.dim),
            ("error".to_string(), p.error),
        ];
        for (stage, colour) in Stage::ALL.iter().zip(p.stages) {
            colours.push((format!("stage {}", stage.code()), colour));
        }
        let mut out = Vec::new();
        for (on, background) in [("", p.background), (" on the selection", p.selection)] {
            for (name, colour) in &colours {
                out.push((format!("{name}{on}"), *colour, background));
            }
        }
        out
    }
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn luminance((r, g, b): Rgb) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn rgb((r, g, b): Rgb) -> Color {
    Color::Rgb(r, g, b)
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            scheme: Scheme::Dark,
            a11y: std::env::var_os("SPRIDNING_A11Y").is_some_and(|v| !v.is_empty() && v != "0"),
            ascii: std::env::var_os("SPRIDNING_ASCII").is_some_and(|v| !v.is_empty() && v != "0"),
            letters: super::ascii::Letters::Keep,
        }
    }

    /// The separator between parts of a line: a bar, or a space for screen readers.
    pub fn bar(&self) -> &'static str {
        if self.a11y { " " } else { "│" }
    }

    /// A slide's base: its text colour on its background.
    pub fn slide(&self) -> Style {
        if self.color {
            let p = self.scheme.palette();
            Style::new().fg(rgb(p.text)).bg(rgb(p.background))
        } else {
            Style::new()
        }
    }

    fn slide_fg(&self, colour: Rgb) -> Style {
        if self.color {
            Style::new().fg(rgb(colour))
        } else {
            Style::new()
        }
    }

    /// A slide's heading.
    pub fn slide_heading(&self) -> Style {
        self.slide_fg(self.scheme.palette().heading)
            .add_modifier(Modifier::BOLD)
    }

    /// A slide's accent (the day, the page counter).
    pub fn slide_accent(&self) -> Style {
        self.slide_fg(self.scheme.palette().accent)
            .add_modifier(Modifier::BOLD)
    }

    /// The mark of a live change on a slide.
    pub fn slide_mark(&self) -> Style {
        self.slide_fg(self.scheme.palette().mark)
            .add_modifier(Modifier::BOLD)
    }

    /// A stage's colour on a slide.
    pub fn slide_stage(&self, stage: Stage) -> Style {
        self.slide_fg(self.scheme.palette().stages[stage.index()])
    }

    /// Plain text on a slide (its colour comes from the slide's base).
    pub fn slide_text(&self) -> Style {
        self.slide_fg(self.scheme.palette().text)
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// A stage's colour on the tabs.
    pub fn stage(&self, stage: Stage) -> Style {
        self.fg(rgb(self.scheme.palette().stages[stage.index()]))
    }

    /// What every cell a screen leaves in the terminal's own colours takes: the palette's
    /// text on its background (nothing under NO_COLOR).
    pub fn paint(&self, buffer: &mut ratatui::buffer::Buffer) {
        if !self.color {
            return;
        }
        let p = self.scheme.palette();
        for cell in &mut buffer.content {
            if cell.fg == Color::Reset {
                cell.fg = rgb(p.text);
            }
            if cell.bg == Color::Reset {
                cell.bg = rgb(p.background);
            }
        }
    }

    /// The selected row or cell.
    pub fn selected(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color {
            s.bg(rgb(self.scheme.palette().selection))
        } else {
            s.add_modifier(Modifier::REVERSED)
        }
    }

    /// A table's header.
    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Text that says little (an empty cell, a hint).
    pub fn dim(&self) -> Style {
        self.fg(rgb(self.scheme.palette().dim))
    }

    /// An error.
    pub fn error(&self) -> Style {
        self.fg(rgb(self.scheme.palette().error))
            .add_modifier(Modifier::BOLD)
    }

    /// The focused field.
    pub fn focus(&self) -> Style {
        self.fg(rgb(self.scheme.palette().accent))
            .add_modifier(Modifier::BOLD)
    }

    /// The tab bar's active tab.
    pub fn tab_active(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        if self.color {
            s.fg(rgb(self.scheme.palette().accent))
        } else {
            s
        }
    }

    /// An event that was retracted.
    pub fn retracted(&self) -> Style {
        self.dim().add_modifier(Modifier::CROSSED_OUT)
    }
}
