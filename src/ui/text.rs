//! Text helpers for drawing: cutting to a width and wrapping at spaces, by display width
//! (å and ä are one column, a CJK character two).

use crate::domain::text::printable;

/// Cuts text to `width` columns with an ellipsis.
pub fn truncate(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            out.pop();
            out.push('…');
            return out;
        }
        used += w;
        out.push(c);
    }
    out
}

/// Splits text into lines of at most `width` columns at spaces (a word longer than a line is
/// cut). Detail views wrap here, once, so drawing only has to show the visible lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(8);
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let (mut line, mut used) = (String::new(), 0);
        for word in printable(paragraph).split(' ') {
            let mut word = word.to_string();
            let mut w = word.width();
            loop {
                let sep = usize::from(!line.is_empty());
                if used + sep + w <= width {
                    if sep == 1 {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    used += sep + w;
                    break;
                }
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                    continue;
                }
                // A word wider than the line: cut it.
                let cut = truncate(&word, width.saturating_sub(1));
                let kept = cut.trim_end_matches('…').chars().count();
                out.push(word.chars().take(kept).collect());
                word = word.chars().skip(kept).collect();
                w = word.width();
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;
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
}
