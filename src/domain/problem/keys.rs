//! People's SSH keys: a key line that sshd would not read, a key given to two people, a
//! key that is not there.

use crate::i18n::Lang;

/// What registering an SSH key may not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keys {
    Empty,
    /// Not a type sshd accepts (options such as `command="…"` before the type land here).
    UnknownType {
        kind: String,
    },
    /// The body is not base64, or not a key of the type named.
    BadBody {
        kind: String,
    },
    LongComment,
    /// The key is already another person's (or this person's).
    Taken {
        fingerprint: String,
        login: String,
    },
    /// `key remove`: the person has no such key.
    UnknownKey {
        login: String,
        wanted: String,
    },
}

impl Keys {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Keys::Empty => pick(
                "ingen nyckel angiven (klistra in raden ur .pub-filen: ssh-ed25519 AAAA… namn@dator)".into(),
                "no key given (paste the line of the .pub file: ssh-ed25519 AAAA… name@machine)".into(),
            ),
            Keys::UnknownType { kind } => pick(
                format!(
                    "'{kind}' är ingen nyckeltyp som sshd tar emot (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …); klistra in raden ur .pub-filen, utan tillval"
                ),
                format!(
                    "'{kind}' is not a key type sshd accepts (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …); paste the line of the .pub file, without options"
                ),
            ),
            Keys::BadBody { kind } => pick(
                format!(
                    "nyckeln är inte en {kind}-nyckel: det som följer är inte en sådan nyckel i base64 (klistra in hela raden ur .pub-filen)"
                ),
                format!(
                    "the key is not a {kind} key: what follows is not such a key in base64 (paste the whole line of the .pub file)"
                ),
            ),
            Keys::LongComment => pick(
                "nyckelns kommentar är längre än 200 tecken".into(),
                "the key's comment is longer than 200 characters".into(),
            ),
            Keys::Taken { fingerprint, login } => pick(
                format!("nyckeln {fingerprint} är redan {login}s; en nyckel hör till en person"),
                format!("the key {fingerprint} is already {login}'s; a key belongs to one person"),
            ),
            Keys::UnknownKey { login, wanted } => pick(
                format!(
                    "{login} har ingen nyckel '{wanted}' (spridning user key list {login} visar dem)"
                ),
                format!(
                    "{login} has no key '{wanted}' (spridning user key list {login} shows them)"
                ),
            ),
        }
    }
}
