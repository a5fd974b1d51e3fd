//! The terminal's character set, from the locale, and a writer that encodes the screen in it.
//!
//! The locale is read as the C library reads it: the first of `LC_ALL`, `LC_CTYPE` and
//! `LANG` that is set and not empty; none at all is the `C` locale. Its character set is the
//! part after the dot (`sv_SE.ISO-8859-1`, `en_US.UTF-8@euro`); a locale named without one
//! (`sv_SE`) is asked of the system (`locale charmap`), and is plain ASCII if the system does
//! not have it. Decision: the name wins over what the system has installed, because it says
//! what the person's terminal shows.

use std::io::{self, Write};

/// The character sets the app draws for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    /// ISO-8859-1 or ISO-8859-15 (and Windows-1252, their superset for letters).
    Latin1,
    /// Anything else, `C` and `POSIX` among them: ASCII only.
    Ascii,
}

/// The character set of the locale in the environment.
pub fn charset() -> Charset {
    let name = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "C".to_string());
    charset_of_locale(&name).unwrap_or_else(|| charset_named(&codeset_of_system(&name)))
}

/// The character set a locale's name says, or `None` when the name has no character set
/// (`sv_SE`) and the system must be asked.
pub fn charset_of_locale(name: &str) -> Option<Charset> {
    let name = name.split('@').next().unwrap_or("");
    if name == "C" || name == "POSIX" {
        return Some(Charset::Ascii);
    }
    name.split_once('.').map(|(_, set)| charset_named(set))
}

/// A character set by its name, however it is spelled (`UTF-8`, `utf8`, `ISO8859-1`, …).
pub fn charset_named(set: &str) -> Charset {
    let plain: String = set
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    match plain.as_str() {
        "utf8" => Charset::Utf8,
        "iso88591" | "iso885915" | "latin1" | "latin9" | "cp1252" | "windows1252" => {
            Charset::Latin1
        }
        _ => Charset::Ascii,
    }
}

/// What the system says the character set of the locale `name` is (`locale charmap`, the
/// C library's answer; `ANSI_X3.4-1968` when the system does not have the locale, nothing
/// when it has no `locale` command). Only for a name without a character set, which is rare.
fn codeset_of_system(name: &str) -> String {
    std::process::Command::new("locale")
        .arg("charmap")
        .env("LC_ALL", name)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// A writer that passes UTF-8 through, or encodes it in Latin-1 for a Latin-1 terminal: a
/// character Latin-1 has becomes its byte (`€` its ISO-8859-15 byte), anything else `?`
/// (the screens are drawn in ASCII on such a terminal, so only data text's letters are left).
/// A character split across two writes is held until its last byte comes.
pub struct Encoder<W: Write> {
    inner: W,
    latin1: bool,
    held: Vec<u8>,
}

impl<W: Write> Encoder<W> {
    pub fn new(inner: W, charset: Charset) -> Encoder<W> {
        Encoder {
            inner,
            latin1: charset == Charset::Latin1,
            held: Vec::new(),
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.latin1 {
            return self.inner.write(buf);
        }
        self.held.extend_from_slice(buf);
        let mut out = Vec::with_capacity(self.held.len());
        let mut rest: &[u8] = &self.held;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    encode(text, &mut out);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, after) = rest.split_at(e.valid_up_to());
                    encode(std::str::from_utf8(good).unwrap_or_default(), &mut out);
                    match e.error_len() {
                        // A broken sequence: one `?` for it, and on.
                        Some(n) => {
                            out.push(b'?');
                            rest = &after[n..];
                        }
                        // A character cut at the end: wait for the rest of it.
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        let rest = rest.to_vec();
        self.inner.write_all(&out)?;
        self.held = rest;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `text` in Latin-1 bytes, `?` for what it has not.
fn encode(text: &str, out: &mut Vec<u8>) {
    for c in text.chars() {
        out.push(match c {
            '€' => 0xA4,
            c if u32::from(c) <= 0xFF => u32::from(c) as u8,
            _ => b'?',
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locale_name_says_its_character_set_however_it_is_spelled() {
        for (name, set) in [
            ("sv_SE.UTF-8", Some(Charset::Utf8)),
            ("C.utf8", Some(Charset::Utf8)),
            ("en_US.UTF-8@euro", Some(Charset::Utf8)),
            ("sv_SE.ISO-8859-1", Some(Charset::Latin1)),
            ("sv_SE.ISO8859-15@euro", Some(Charset::Latin1)),
            ("sv_SE.CP1252", Some(Charset::Latin1)),
            ("ru_RU.KOI8-R", Some(Charset::Ascii)),
            ("C", Some(Charset::Ascii)),
            ("POSIX", Some(Charset::Ascii)),
            ("sv_SE", None),
        ] {
            assert_eq!(charset_of_locale(name), set, "{name}");
        }
        // Without a character set in the name, the system answers; one it lacks is ASCII.
        assert_eq!(
            charset_named(&codeset_of_system("xx_NOWHERE")),
            Charset::Ascii
        );
    }

    #[test]
    fn the_encoder_writes_latin1_bytes_even_for_a_character_split_between_writes() {
        let mut out = Encoder::new(Vec::new(), Charset::Latin1);
        let text = "Söder\u{1b}[1m å €◐".as_bytes();
        // Split inside `ö` (two bytes) and inside `◐` (three).
        let cut = text.iter().position(|b| *b == 0xC3).unwrap() + 1;
        out.write_all(&text[..cut]).unwrap();
        out.write_all(&text[cut..text.len() - 1]).unwrap();
        out.write_all(&text[text.len() - 1..]).unwrap();
        assert_eq!(out.inner, b"S\xF6der\x1b[1m \xE5 \xA4?".to_vec());
        assert!(out.held.is_empty());
        // UTF-8 passes as it is.
        let mut same = Encoder::new(Vec::new(), Charset::Utf8);
        same.write_all("Söder◐".as_bytes()).unwrap();
        assert_eq!(same.inner, "Söder◐".as_bytes());
    }
}
