//! A person's SSH public key, as `authorized_keys` and `ssh-keygen` write it: its type, its
//! base64 body and an optional comment (`ssh-ed25519 AAAAC3Nz… bertil@laptop`).
//!
//! A key is checked the way sshd reads it: a type sshd accepts, a body that is base64 and
//! whose first field (a length-prefixed string) names that same type. Options before the
//! type (`command="…",restrict`) are refused: spridning writes its own.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

use super::Problem;
use super::problem::Keys;

/// The key types OpenSSH accepts for a login (its `PubkeyAcceptedAlgorithms` minus the
/// certificates).
pub const KEY_TYPES: [&str; 8] = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-dss",
];

/// The longest key body accepted (an RSA key of 16 384 bits is about 2 800 characters).
const MAX_BODY: usize = 8192;

/// A public key, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// `ssh-ed25519`, `ssh-rsa`, …
    pub kind: String,
    /// The base64 body, as given.
    pub body: String,
    /// What follows the body (`bertil@laptop`), if anything.
    pub comment: Option<String>,
}

impl PublicKey {
    /// Reads one key line: `TYPE BASE64 [COMMENT]`.
    pub fn parse(text: &str) -> Result<PublicKey, Problem> {
        let text = text.trim();
        let mut parts = text.splitn(3, char::is_whitespace);
        let kind = parts.next().unwrap_or("").to_string();
        let body = parts.next().unwrap_or("").trim().to_string();
        let comment = parts
            .next()
            .map(|c| super::text::clean_line(c.trim()))
            .filter(|c| !c.is_empty());
        if text.is_empty() {
            return Err(Keys::Empty.into());
        }
        if !KEY_TYPES.contains(&kind.as_str()) {
            return Err(Keys::UnknownType {
                kind: super::text::clean_line(&kind).chars().take(40).collect(),
            }
            .into());
        }
        if body.is_empty() || body.len() > MAX_BODY {
            return Err(Keys::BadBody { kind }.into());
        }
        let Ok(bytes) = STANDARD.decode(&body) else {
            return Err(Keys::BadBody { kind }.into());
        };
        // The body's first field is the type again: a length (4 bytes, big-endian) and
        // that many bytes.
        let named = bytes
            .get(..4)
            .map(|n| u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize)
            .and_then(|n| bytes.get(4..4 + n));
        if named != Some(kind.as_bytes()) {
            return Err(Keys::BadBody { kind }.into());
        }
        if comment.as_ref().is_some_and(|c| c.chars().count() > 200) {
            return Err(Keys::LongComment.into());
        }
        Ok(PublicKey {
            kind,
            body,
            comment,
        })
    }

    /// The fingerprint `ssh-keygen -l` shows: `SHA256:` and the base64 of the SHA-256 of
    /// the key's bytes, without padding.
    pub fn fingerprint(&self) -> String {
        let bytes = STANDARD.decode(&self.body).unwrap_or_default();
        format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&bytes)))
    }
}

impl fmt::Display for PublicKey {
    /// The key line, as `authorized_keys` holds it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.comment {
            Some(c) => write!(f, "{} {} {c}", self.kind, self.body),
            None => write!(f, "{} {}", self.kind, self.body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key `ssh-keygen -t ed25519` made, and its fingerprint as `ssh-keygen -l` says it.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGT4xpNGUaSCf1tA1Hs61sbt9Q8MaHRRaeYPuV0JUmJ bertil@laptop";

    #[test]
    fn a_key_line_is_read_with_its_comment_and_fingerprint() {
        let key = PublicKey::parse(&format!("  {ED25519}\n")).unwrap();
        assert_eq!(key.kind, "ssh-ed25519");
        assert_eq!(key.comment.as_deref(), Some("bertil@laptop"));
        assert_eq!(key.to_string(), ED25519);
        // As `ssh-keygen -lf` says it.
        assert_eq!(
            key.fingerprint(),
            "SHA256:ulF3KGdrbWQ9/rrLWSxWIStQ7aTphbCwJhYY15sQ05k"
        );
        let bare = PublicKey::parse(ED25519.rsplit_once(' ').unwrap().0).unwrap();
        assert_eq!(bare.comment, None);
        assert_eq!(bare.fingerprint(), key.fingerprint());
    }

    #[test]
    fn a_broken_key_is_refused_and_says_why() {
        let body = ED25519.split(' ').nth(1).unwrap();
        for (line, said) in [
            ("", "no key"),
            ("ssh-ed25519 AAAA", "not a"),
            ("ssh-foo AAAA", "ssh-foo"),
            ("command=\"x\" ssh-ed25519 AAAA", "command="),
            ("ssh-ed25519", "not a"),
            ("ssh-ed25519 !!!notbase64!!!", "not a"),
            // A body of another type: the declared type does not match.
            (&format!("ssh-rsa {body}") as &str, "not a"),
        ] {
            let e = PublicKey::parse(line).unwrap_err();
            let text = e.to_string();
            assert!(text.contains(said), "{line:?}: {text}");
        }
    }
}
