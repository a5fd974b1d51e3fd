//! Who is using spridning: the operating-system login of the process, from its user id (not
//! from `$USER`, which anyone can set), and whether it owns a file. The one place that asks
//! the system for the user id, through `nix`'s safe wrappers.

#![warn(missing_docs)]

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use nix::unistd::{Uid, User};

/// The real user id of this process.
fn user_id() -> u32 {
    Uid::current().as_raw()
}

/// The login name of the real user id, or `uid<N>` when the system has no name for it.
pub fn os_login() -> String {
    let uid = Uid::current();
    match User::from_uid(uid) {
        Ok(Some(user)) if !user.name.is_empty() => user.name,
        _ => format!("uid{uid}"),
    }
}

/// Whether this process's user owns the file at `path` (the database, for `--as` and for
/// the owner's coordinator rights).
pub fn owns(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.uid() == user_id())
}

/// The login name of the account that owns the file at `path`, if the system has one.
pub fn owner_login(path: &Path) -> Option<String> {
    let uid = std::fs::metadata(path).ok()?.uid();
    User::from_uid(Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|u| u.name)
}
