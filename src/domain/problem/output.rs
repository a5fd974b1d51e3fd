//! Files spridning writes (`--out`, `backup`): where they may not be written, and what goes
//! wrong while writing them, always said about the file the person gave.

use crate::i18n::Lang;

/// Why a file may not be written where asked, or could not be written whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    NoFile,
    DanglingLink {
        path: String,
    },
    Folder {
        path: String,
    },
    NotRegular {
        path: String,
    },
    NamesFolder {
        path: String,
    },
    NoFolder {
        path: String,
    },
    IsTheDatabase {
        path: String,
    },
    /// An existing file; `force` says whether asking to replace it would do.
    Exists {
        path: String,
        force: bool,
    },
    CannotLock {
        path: String,
    },
    /// Larger than this process may write (`ulimit -f`); `during`: the write failed under it.
    TooLarge {
        path: String,
        during: bool,
    },
    Quota {
        path: String,
    },
    Appeared {
        path: String,
    },
}

impl Output {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Output::NoFile => pick("ingen fil angiven".into(), "no output file given".into()),
            Output::DanglingLink { path } => pick(
                format!("{path} är en länk till en fil som inte finns; ange filens egen sökväg"),
                format!("{path} is a link to a file that does not exist; give the file's own path"),
            ),
            Output::Folder { path } => pick(
                format!("{path} är en mapp, ingen fil"),
                format!("{path} is a folder, not a file"),
            ),
            Output::NotRegular { path } => pick(
                format!(
                    "{path} är ingen vanlig fil (en enhet, en rörledning eller en sockel); spridning skriver bara vanliga filer"
                ),
                format!(
                    "{path} is not a regular file (a device, pipe or socket); spridning writes only regular files"
                ),
            ),
            Output::NamesFolder { path } => pick(
                format!("{path} anger en mapp, ingen fil"),
                format!("{path} names a folder, not a file"),
            ),
            Output::NoFolder { path } => pick(
                format!("kan inte skriva {path}: dess mapp finns inte"),
                format!("cannot write {path}: its folder does not exist"),
            ),
            Output::IsTheDatabase { path } => pick(
                format!(
                    "{path} är den öppna databasen eller en av dess egna filer; välj en annan fil"
                ),
                format!("{path} is the open database or one of its own files; choose another file"),
            ),
            Output::Exists { path, force: true } => pick(
                format!("{path} finns redan; lägg till --force för att ersätta den"),
                format!("{path} already exists; add --force to replace it"),
            ),
            Output::Exists { path, force: false } => pick(
                format!("{path} finns redan; här skrivs bara nya filer"),
                format!("{path} already exists; this writes only new files"),
            ),
            Output::CannotLock { path } => pick(
                format!("kan inte låsa en tillfällig fil bredvid {path}"),
                format!("cannot lock a temporary file beside {path}"),
            ),
            Output::TooLarge {
                path,
                during: false,
            } => pick(
                format!(
                    "kan inte skriva {path}: den skulle bli större än processen får skriva (en gräns för filstorlek, se `ulimit -f`); inget skrevs"
                ),
                format!(
                    "cannot write {path}: it would be larger than this process may write (a file-size limit, see `ulimit -f`); nothing was written"
                ),
            ),
            Output::TooLarge { path, during: true } => pick(
                format!(
                    "kan inte skriva {path}: skrivningen misslyckades under en gräns för filstorlek (se `ulimit -f`); inget skrevs"
                ),
                format!(
                    "cannot write {path}: the write failed under a file-size limit (see `ulimit -f`); nothing was written"
                ),
            ),
            Output::Quota { path } => pick(
                format!(
                    "kan inte skriva {path}: din diskkvot på dess filsystem är slut; inget skrevs"
                ),
                format!(
                    "cannot write {path}: your disk quota on its file system is used up; nothing was written"
                ),
            ),
            Output::Appeared { path } => pick(
                format!("{path} dök upp under tiden; inget skrevs över den"),
                format!("{path} appeared meanwhile; nothing was written over it"),
            ),
        }
    }
}
