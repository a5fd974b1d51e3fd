//! ASCII drawing, for terminals and fonts without the app's symbols (`--ascii`,
//! `SPRIDNING_ASCII=1`, and on its own when the locale's character set is not UTF-8).
//!
//! The screens are drawn as always; then every cell's symbol is given an ASCII stand-in of
//! the same meaning, one cell for one cell, so nothing moves. One table below says which:
//! frames become `+ - |`, each stage keeps a character of its own (`?` exploring, `o`
//! preparing, `%` pilot, `#` in ordinary use, `*` sustained, `=` paused, `x` discontinued;
//! the legends are drawn from the same glyphs, so they say which), the stale mark `°`
//! becomes `'`, a cut `…` becomes `~`, the selection `▶` becomes `>`, the slides' big letters
//! and the curves' blocks become `#`.
//!
//! Letters are data text (names of methods, units, people). Decision: under a UTF-8 locale
//! (`--ascii` by choice) they are kept; under a Latin-1 locale (ISO-8859-1 or -15, the
//! Swedish legacy sets) the letters that set holds are kept and the terminal writer encodes
//! them in it (`crate::locale::Encoder`); under any other set (`C`, `POSIX`) they are
//! transliterated (`å` → `a`, `ö` → `o`).

use ratatui::buffer::Buffer;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// What becomes of letters (data text) when the screens are drawn in ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Letters {
    /// Kept as they are (a UTF-8 terminal asked for ASCII symbols).
    #[default]
    Keep,
    /// Kept where Latin-1 has them (U+00A0 to U+00FF), transliterated otherwise.
    Latin1,
    /// Transliterated to ASCII.
    Ascii,
}

/// The ASCII stand-in of a symbol the app draws, or of a mark in data text; `None` for
/// letters, digits and marks that belong to words (they follow `Letters`).
pub fn stand_in(c: char) -> Option<char> {
    Some(match c {
        // The stages' glyphs (`Stage::glyph`): each its own character.
        '○' => 'o',
        '◐' => '%',
        '●' => '#',
        '★' => '*',
        '‖' => '=',
        '×' => 'x',
        // Marks.
        '°' => '\'',
        '…' => '~',
        '▶' | '▸' | '►' | '→' | '»' => '>',
        '◀' | '◂' | '◄' | '←' | '↶' | '«' => '<',
        '▲' | '↑' => '^',
        '▼' | '↓' => 'v',
        '⏲' => '@',
        '✱' | '✗' | '≠' => '!',
        '✓' | 'Σ' => '+',
        '✎' => '/',
        '∅' => '-',
        '■' => '=',
        '•' => '*',
        '·' => '-',
        '–' | '—' | '‐' | '‑' | '−' => '-',
        '“' | '”' | '„' => '"',
        '‘' | '’' | '‚' | '´' => '\'',
        '€' => 'E',
        '\u{a0}' => ' ',
        // Frames.
        '─' | '━' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' | '╴' | '╶' | '╸' | '╺' | '╼' | '╾' => {
            '-'
        }
        '═' => '=',
        '│' | '┃' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' | '║' | '╵' | '╷' | '╹' | '╻' | '╽' | '╿' => {
            '|'
        }
        '╱' => '/',
        '╲' => '\\',
        '╳' => 'X',
        '\u{2500}'..='\u{257f}' => '+',
        // Blocks: the slides' big letters, the curves' bars, thin rules.
        '░' => '.',
        '▒' => ':',
        '▏' | '▎' | '▕' => '|',
        '▁' | '▂' => '_',
        '▔' => '-',
        '\u{2580}'..='\u{259f}' => '#',
        // Braille dots (charts): a dot where any is raised.
        '\u{2800}' => ' ',
        '\u{2801}'..='\u{28ff}' => '.',
        _ => return None,
    })
}

/// The character `c` is drawn as in ASCII mode: a stand-in for a symbol; a letter as
/// `letters` says; `None` to leave it out (a combining mark once its letter is plain).
fn ascii_of(c: char, letters: Letters) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    if let Some(s) = stand_in(c) {
        return Some(s);
    }
    let group = c.general_category_group();
    let word = matches!(
        group,
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number | GeneralCategoryGroup::Mark
    );
    match letters {
        Letters::Keep if word => return Some(c),
        Letters::Latin1 if word && ('\u{a0}'..='\u{ff}').contains(&c) => return Some(c),
        _ => {}
    }
    if group == GeneralCategoryGroup::Mark {
        return None;
    }
    // The nearest ASCII (`deunicode`): its first printable character, else `?`.
    Some(
        deunicode::deunicode_char(c)
            .and_then(|s| s.chars().find(|c| c.is_ascii_graphic()))
            .unwrap_or('?'),
    )
}

/// Gives every cell of a drawn screen its ASCII stand-in (see the module notes). A wide
/// character becomes one cell; the cell it covered is already blank.
pub fn to_ascii(buffer: &mut Buffer, letters: Letters) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let mut plain: String = symbol
            .chars()
            .filter_map(|c| ascii_of(c, letters))
            .collect();
        if plain.is_empty() {
            plain.push(' ');
        }
        cell.set_symbol(&plain);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stage;
    use unicode_width::UnicodeWidthChar;

    #[test]
    fn every_stage_keeps_a_character_of_its_own() {
        let ascii: Vec<char> = Stage::ALL
            .iter()
            .map(|s| {
                let c = s.glyph().chars().next().unwrap();
                if c.is_ascii() {
                    c
                } else {
                    stand_in(c).unwrap()
                }
            })
            .collect();
        assert_eq!(ascii, ['?', 'o', '%', '#', '*', '=', 'x']);
        let mut distinct = ascii.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), Stage::ALL.len());
    }

    #[test]
    fn every_stand_in_is_one_printable_ascii_cell() {
        let symbols = (0x80..0x3000u32)
            .filter_map(char::from_u32)
            .filter_map(stand_in);
        let mut seen = 0;
        for s in symbols {
            assert!(s.is_ascii() && (s.is_ascii_graphic() || s == ' '), "{s:?}");
            assert_eq!(s.width(), Some(1));
            seen += 1;
        }
        assert!(seen > 150, "frames, blocks and braille are all covered");
    }

    #[test]
    fn letters_are_kept_encoded_or_transliterated_as_the_locale_allows() {
        let of = |text: &str, letters| -> String {
            text.chars().filter_map(|c| ascii_of(c, letters)).collect()
        };
        let name = "Södermalm · Bjärka–Säby ◐° …漢";
        assert_eq!(of(name, Letters::Keep), "Södermalm - Bjärka-Säby %' ~漢");
        assert_eq!(of(name, Letters::Latin1), "Södermalm - Bjärka-Säby %' ~H");
        assert_eq!(of(name, Letters::Ascii), "Sodermalm - Bjarka-Saby %' ~H");
        // A combining accent goes with its letter's plain form.
        assert_eq!(of("e\u{301}", Letters::Ascii), "e");
        assert_eq!(of("e\u{301}", Letters::Keep), "e\u{301}");
    }

    #[test]
    fn a_drawn_screen_keeps_its_layout_cell_for_cell() {
        use ratatui::layout::Rect;
        use ratatui::widgets::{Block, Borders, Widget};
        let area = Rect::new(0, 0, 12, 3);
        let mut buffer = Buffer::empty(area);
        Block::default()
            .borders(Borders::ALL)
            .render(area, &mut buffer);
        buffer.set_string(1, 1, "漢◐Å…", ratatui::style::Style::new());
        to_ascii(&mut buffer, Letters::Ascii);
        let lines: Vec<String> = (0..3)
            .map(|y| {
                (0..12)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect()
            })
            .collect();
        assert_eq!(lines, ["+----------+", "|H %A~     |", "+----------+"]);
    }
}
