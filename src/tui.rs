//! The terminal loop: set up the terminal, read keys, look for other processes' changes,
//! draw once per burst of events — and never lose typed text or leave the terminal broken.
//!
//! - The terminal is restored on quit, on Ctrl-C, on an error and on a panic (ratatui's `init`
//!   installs a hook that restores it; ours also turns bracketed paste off).
//! - A hang-up (SIGHUP, a dropped SSH connection), SIGTERM, SIGINT or SIGQUIT is caught by a
//!   dedicated thread: crossterm's poll does not wake on a hang-up, so the thread itself keeps
//!   the unsaved form as a draft (through its own connection) and exits within a second.
//! - Whatever ends the session while a form holds typed text — Ctrl-C, a signal, an error, a
//!   panic — that text is kept as a draft and offered the next time.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::app::App;
use crate::i18n::Lang;
use crate::store::{Draft, Store};
use crate::ui::{self, theme::Theme};

/// The latest unsaved form, shared with the signal thread and the panic hook.
#[derive(Clone)]
struct DraftKeeper {
    db: PathBuf,
    login: String,
    latest: Arc<Mutex<Option<Draft>>>,
}

impl DraftKeeper {
    fn set(&self, draft: Option<Draft>) {
        if let Ok(mut latest) = self.latest.lock() {
            *latest = draft;
        }
    }

    /// Writes the latest draft through a connection of its own; never blocks for long.
    fn persist(&self) {
        let draft = match self.latest.try_lock() {
            Ok(mut latest) => latest.take(),
            Err(_) => None,
        };
        if let Some(draft) = draft
            && let Ok(mut store) = Store::open(&self.db, &self.login)
        {
            let _ = store.save_draft_quickly(&draft);
        }
    }
}

fn restore_terminal() {
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
}

/// How the terminal app starts: the slides' palette, and the presentation when `--present`
/// asked for it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--theme`; `None` asks the terminal for its background (`Scheme::of_terminal`).
    pub scheme: Option<crate::ui::theme::Scheme>,
    /// `--ascii` (`SPRIDNING_ASCII=1` and a locale not in UTF-8 also turn it on).
    pub ascii: bool,
    pub deck: Option<crate::app::DeckOptions>,
    /// `--a11y` (the environment's `SPRIDNING_A11Y=1` also turns it on).
    pub a11y: bool,
}

/// Runs the terminal app on `store` until the person quits (see the module notes).
pub fn run(store: Store, lang: Lang, options: Options) -> Result<()> {
    use std::io::IsTerminal;
    // Without a terminal (`ssh -T`, a pipe, cron) the app cannot draw; say so and name the
    // commands that work there, instead of the terminal library's "No such device".
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the app needs a terminal (over SSH: ssh -t); for scripts use a command, e.g. `spridning matrix`, `spridning history`, `spridning adopt` (`spridning --help` lists them)"
        );
    }
    let keeper = DraftKeeper {
        db: store.path().to_path_buf(),
        login: store.user().to_string(),
        latest: Arc::new(Mutex::new(None)),
    };
    let from_env = Theme::from_env();
    let charset = crate::locale::charset();
    let theme = Theme {
        // Asked before the terminal is set up: the answer must not reach the key reader.
        scheme: options.scheme.unwrap_or_else(|| {
            if from_env.color {
                crate::ui::theme::Scheme::of_terminal()
            } else {
                crate::ui::theme::Scheme::Dark
            }
        }),
        a11y: options.a11y || from_env.a11y,
        ascii: options.ascii || from_env.ascii || charset != crate::locale::Charset::Utf8,
        letters: match charset {
            crate::locale::Charset::Utf8 => crate::ui::ascii::Letters::Keep,
            crate::locale::Charset::Latin1 => crate::ui::ascii::Letters::Latin1,
            crate::locale::Charset::Ascii => crate::ui::ascii::Letters::Ascii,
        },
        ..from_env
    };
    // ratatui's `try_init` sets the terminal up (raw mode, the alternate screen, a panic hook
    // that restores it); the screen is then written through the locale's encoder.
    drop(ratatui::try_init()?);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(
        crate::locale::Encoder::new(std::io::stdout(), charset),
    ))?;
    let previous = std::panic::take_hook();
    let on_panic = keeper.clone();
    std::panic::set_hook(Box::new(move |info| {
        on_panic.persist();
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        previous(info);
    }));
    let mut signals = Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])?;
    let on_signal = keeper.clone();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            on_signal.persist();
            restore_terminal();
            std::process::exit(128 + signal);
        }
    });

    let result = (|| -> Result<()> {
        let size = terminal.size()?;
        let mut app = App::new(store, lang, (size.width, size.height))?;
        if let Some(deck) = &options.deck {
            app.present(deck)?;
        }
        let _ = execute!(std::io::stdout(), EnableBracketedPaste);
        let outcome = (|| -> Result<()> {
            // Drawn after input, and when a tick says the screen may look different
            // (another process's commit, a count done, the presentation): an app nobody
            // touches draws nothing and reads only `PRAGMA data_version`.
            let mut draw = true;
            let mut last_size = size;
            loop {
                if draw {
                    terminal.draw(|frame| ui::draw(frame, &app, &theme))?;
                }
                // Wait for input, but wake to look for other processes' changes.
                let wait = if app.busy() { 10 } else { 250 };
                draw = false;
                if event::poll(Duration::from_millis(wait))? {
                    draw = true;
                    // Take the whole burst before drawing again.
                    loop {
                        match event::read()? {
                            Event::Key(key) => app.handle_key(key),
                            Event::Paste(text) => app.handle_paste(&text),
                            Event::Resize(w, h) => {
                                last_size = ratatui::layout::Size::new(w, h);
                                app.resize(w, h);
                            }
                            _ => {}
                        }
                        if app.should_quit || !event::poll(Duration::ZERO)? {
                            break;
                        }
                    }
                    keeper.set(app.draft());
                }
                if app.should_quit {
                    return Ok(());
                }
                draw |= app.tick();
                // A resize whose signal came before crossterm listened for it (right after
                // start) sends no event, and an idle app draws nothing by itself: the size
                // is looked at on every wake (one ioctl) so the screen follows it anyway.
                let now = terminal.size()?;
                if now != last_size {
                    last_size = now;
                    app.resize(now.width, now.height);
                    draw = true;
                }
            }
        })();
        // Quitting with text in a form (Ctrl-C), or a broken terminal: keep it as a draft.
        keeper.set(None);
        let kept = app.keep_draft();
        outcome.and(kept)
    })();
    restore_terminal();
    result
}
