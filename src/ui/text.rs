//! Text helpers for drawing, by display width (å and ä are one column, a CJK character two):
//! cutting to a width (`unicode-truncate`) and wrapping at spaces (`textwrap`, first fit, no
//! hyphenation; `layout::wrap`, as the app measures by it too). Every view cuts and wraps
//! here.

use unicode_truncate::UnicodeTruncateStr;
use unicode_width::UnicodeWidthStr;

use crate::layout::at_spaces;
pub use crate::layout::wrap;

/// Cuts text to `width` columns, "…" as its last character when anything is cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let (kept, _) = s.unicode_truncate(width.saturating_sub(1));
    format!("{kept}…")
}

/// `text` in at most `width` columns: whole, or cut at the last word that fits, with "…"
/// (a single word longer than the line is the only thing cut inside a word).
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let (head, _) = text.unicode_truncate(width - 1);
    let cut = match head.rfind(' ') {
        Some(end) if end > 0 => text[..end].trim_end(),
        _ => head,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '·', ' ']))
}

/// Lines of `text` wrapped at words to `width`, at most `max` of them (the last shortened
/// with "…" when more would be needed). Line breaks and runs of spaces count as one space.
pub fn wrap_at_most(text: &str, width: usize, max: usize) -> Vec<String> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        return Vec::new();
    }
    let lines: Vec<String> = textwrap::wrap(&words, at_spaces(width.max(1)).break_words(false))
        .iter()
        .map(|l| fit(l, width))
        .collect();
    if lines.len() <= max {
        return lines;
    }
    let mut kept: Vec<String> = lines[..max].to_vec();
    if let Some(last) = kept.last_mut() {
        let marked = format!("{last}…");
        *last = if marked.width() <= width {
            marked
        } else {
            // Too long with the mark: its last word gives way.
            fit(&format!("{last} …"), width)
        };
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::{fit, truncate, wrap, wrap_at_most};
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wrap_keeps_words_and_width() {
        let text = "Två socialsekreterare har gått utbildningen och börjat använda metoden.";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("a\nb", 20), ["a", "b"], "line breaks stay");
        let long = wrap("Försörjningsstödsenhetsutvecklingsprojektet", 10);
        assert!(long.iter().all(|l| l.width() <= 10), "{long:?}");
        assert_eq!(long.concat(), "Försörjningsstödsenhetsutvecklingsprojektet");
    }

    #[test]
    fn fit_shortens_at_a_word() {
        assert_eq!(
            fit("Enskede-Årsta-Vantör Pilot", 40),
            "Enskede-Årsta-Vantör Pilot"
        );
        assert_eq!(fit("i ordinarie verksamhet i fem", 20), "i ordinarie…");
        assert_eq!(fit("Supercalifragilistic", 8), "Superca…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn wrap_keeps_words_whole_and_marks_what_is_left_out() {
        let lines = wrap_at_most("Ett två tre fyra fem sex sju", 9, 2);
        assert_eq!(lines, vec!["Ett två", "tre fyra…"]);
        assert!(lines.iter().all(|l| l.width() <= 9));
        assert_eq!(wrap_at_most("kort", 10, 3), vec!["kort"]);
    }

    #[test]
    fn a_cut_ends_in_an_ellipsis_within_the_width_also_for_wide_characters() {
        assert_eq!(truncate("Kungsholmen", 6), "Kungs…");
        assert_eq!(truncate("Kista", 5), "Kista");
        // Two columns a character: the cut never splits one, and stays within the width.
        let cut = truncate("社会福祉事務所", 6);
        assert_eq!(cut, "社会…");
        assert!(cut.width() <= 6);
        assert!(fit("社会 福祉事務所", 6).width() <= 6);
        assert!(
            wrap("社会福祉事務所の方法", 8)
                .iter()
                .all(|l| l.width() <= 8)
        );
    }
}
