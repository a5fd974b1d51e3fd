//! Cleaning of text that comes from people, files or the database before it is stored, drawn
//! or written. One rule, applied everywhere: no character of the Unicode general categories
//! Cc (controls: C0 incl. ESC and BEL, DEL, C1), Cf (format: bidi controls, zero-width
//! characters, soft hyphen, tag characters, the byte-order mark, …), Zl and Zp (line and
//! paragraph separators), nor U+034F (combining grapheme joiner, invisible but a mark) ever
//! passes. Tabs become four spaces. Line breaks (`\n`, `\r\n`, a lone `\r`, and U+2028/U+2029,
//! which are line breaks in meaning) become `\n` where text keeps lines (notes) and a space
//! elsewhere. The categories come from `unicode-properties`, not from hand-listed ranges.

use std::borrow::Cow;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Longest accepted texts, in characters. Generous for the documents we know, small enough
/// that one record cannot flood a screen or an export.
pub const MAX_NAME: usize = 120;
/// The longest short name, in characters.
pub const MAX_SHORT: usize = 16;
/// The longest note, in characters.
pub const MAX_NOTE: usize = 2000;
/// The longest source or retraction reason, in characters.
pub const MAX_SOURCE: usize = 300;
/// The longest other long field (description, target group, …), in characters.
pub const MAX_FIELD: usize = 2000;

/// Whether `c` may never be stored, drawn or written (see the module notes). Tabs and line
/// breaks are forbidden too: the cleaning turns them into spaces or `\n` first.
pub fn is_forbidden(c: char) -> bool {
    // Latin-1 is most of what is drawn; its controls and the soft hyphen are all it forbids
    // (a test holds this equal to the categories).
    if c <= '\u{FF}' {
        return c < ' ' || ('\u{7F}'..='\u{9F}').contains(&c) || c == '\u{AD}';
    }
    by_category(c)
}

fn by_category(c: char) -> bool {
    c == '\u{034F}'
        || matches!(
            c.general_category(),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

fn clean(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let line_break = if keep_newlines { '\n' } else { ' ' };
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push_str("    "),
            '\r' => {
                // \r\n and a lone \r are both one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(line_break);
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push(line_break),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether two texts are the same ignoring case (`Å` = `å`), as `to_lowercase` compares
/// them, without making either: uniqueness checks compare one name with every other.
pub fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// For names, codes, sources: one line, no control or invisible characters, trimmed.
pub fn clean_line(s: &str) -> String {
    clean(s, false).trim().to_string()
}

/// For notes and descriptions: keeps line breaks, trims the ends.
pub fn clean_text(s: &str) -> String {
    clean(s, true).trim().to_string()
}

/// Whether `clean` would give the text back as it is (no tab, line break or forbidden
/// character; with `keep_newlines`, `\n` is kept).
fn already_clean(s: &str, keep_newlines: bool) -> bool {
    s.chars().all(|c| {
        (keep_newlines && c == '\n')
            || !(matches!(c, '\t' | '\r' | '\n' | '\u{2028}' | '\u{2029}') || is_forbidden(c))
    })
}

/// `clean_text` without a copy when the text is clean already (most cells of a CSV).
pub fn clean_text_cow(s: &str) -> Cow<'_, str> {
    if s.trim() == s && already_clean(s, true) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(clean_text(s))
    }
}

/// `printable` without a copy when the text is printable already (a workbook's million
/// history rows).
pub fn printable_cow(s: &str) -> Cow<'_, str> {
    if already_clean(s, false) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(printable(s))
    }
}

/// Forbidden characters removed, line breaks kept, nothing trimmed.
pub fn strip(s: &str) -> String {
    clean(s, true)
}

/// For drawing: like `clean_line`, without trimming (spacing may matter in a table cell).
pub fn printable(s: &str) -> String {
    clean(s, false)
}

/// Cleans every string in a JSON value as notes are cleaned (`clean_text`).
pub fn clean_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = clean_text(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(clean_json),
        serde_json::Value::Object(o) => o.values_mut().for_each(clean_json),
        _ => {}
    }
}

/// Refuses text over `max` characters with a message naming the field.
pub fn check_len(field: &str, s: &str, max: usize) -> Result<(), String> {
    let n = s.chars().count();
    if n > max {
        Err(format!(
            "{field} is too long ({n} characters, at most {max})"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_cow_forms_are_the_copying_ones(s in "\\PC*|[ \t\r\n\u{ad}\u{2028}a-z\u{1b}]*") {
            let (fast, slow) = (clean_text_cow(&s).into_owned(), clean_text(&s));
            proptest::prop_assert_eq!(fast, slow);
            let (fast, slow) = (printable_cow(&s).into_owned(), printable(&s));
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn same_ignoring_case_is_lowercase_equality() {
        for (a, b) in [
            ("Farsta", "FARSTA"),
            ("Älvsjö", "ÄLVSJÖ"),
            ("Ab", "abc"),
            ("", "x"),
        ] {
            assert_eq!(
                same_ignoring_case(a, b),
                a.to_lowercase() == b.to_lowercase(),
                "{a} {b}"
            );
        }
        assert!(same_ignoring_case("Ångström", "åNGSTRÖM"));
        assert!(!same_ignoring_case("Farsta", "Farst"));
    }

    #[test]
    fn escapes_and_bidi_never_pass() {
        let nasty = "a\x1b]0;pwned\x07b\x1b[2Jc\u{9b}d\u{202e}e\u{200b}f\x7f";
        let cleaned = clean_text(nasty);
        assert_eq!(cleaned, "a]0;pwnedb[2Jcdef");
        assert!(!cleaned.chars().any(is_forbidden));
    }

    #[test]
    fn the_latin1_shortcut_agrees_with_the_categories() {
        for c in '\0'..='\u{FF}' {
            assert_eq!(is_forbidden(c), by_category(c), "U+{:04X}", c as u32);
        }
        for c in [
            '\u{ad}',
            '\u{2028}',
            '\u{2029}',
            '\u{e0041}',
            '\u{180e}',
            '\u{34f}',
            '\u{feff}',
        ] {
            assert!(is_forbidden(c), "U+{:04X}", c as u32);
        }
        for c in ['å', 'Ä', 'ö', '€', '–', '→', '●', '✗'] {
            assert!(!is_forbidden(c), "{c}");
        }
    }

    #[test]
    fn notes_keep_lines_and_tabs_become_spaces() {
        assert_eq!(clean_text("rad 1\r\nrad\t2\n"), "rad 1\nrad    2");
        assert_eq!(clean_line("rad 1\nrad 2"), "rad 1 rad 2");
    }

    #[test]
    fn length_limit_names_field() {
        assert!(check_len("note", &"å".repeat(10), 10).is_ok());
        let err = check_len("note", &"å".repeat(11), 10).unwrap_err();
        assert_eq!(err, "note is too long (11 characters, at most 10)");
    }
}
