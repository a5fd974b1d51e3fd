//! Cleaning of text that comes from people, files or the database before it is stored, drawn
//! or written: control characters (C0 incl. ESC and BEL, DEL, C1) and bidi/zero-width
//! characters never pass; tabs become spaces; notes keep their line breaks.

/// Longest accepted texts, in characters. Generous for the documents we know, small enough
/// that one record cannot flood a screen or an export.
pub const MAX_NAME: usize = 120;
pub const MAX_SHORT: usize = 16;
pub const MAX_NOTE: usize = 2000;
pub const MAX_SOURCE: usize = 300;
pub const MAX_FIELD: usize = 2000;

fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{061C}'              // Arabic letter mark
        | '\u{FEFF}'              // zero-width no-break space / BOM
    )
}

fn clean(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push_str("    "),
            '\r' => {
                // \r\n and a lone \r are both one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if keep_newlines { '\n' } else { ' ' });
            }
            '\n' => out.push(if keep_newlines { '\n' } else { ' ' }),
            c if c.is_control() || is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// For names, codes, sources: one line, no control or invisible characters, trimmed.
pub fn clean_line(s: &str) -> String {
    clean(s, false).trim().to_string()
}

/// For notes and descriptions: keeps line breaks, trims the ends.
pub fn clean_text(s: &str) -> String {
    clean(s, true).trim().to_string()
}

/// For drawing: like `clean_line`, without trimming (spacing may matter in a table cell).
pub fn printable(s: &str) -> String {
    clean(s, false)
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

    #[test]
    fn escapes_and_bidi_never_pass() {
        let nasty = "a\x1b]0;pwned\x07b\x1b[2Jc\u{9b}d\u{202e}e\u{200b}f\x7f";
        let cleaned = clean_text(nasty);
        assert_eq!(cleaned, "a]0;pwnedb[2Jcdef");
        assert!(
            !cleaned
                .chars()
                .any(|c| c.is_control() || is_invisible_format(c))
        );
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
