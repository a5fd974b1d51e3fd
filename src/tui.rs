//! The terminal loop: set up the terminal, read keys, poll for other processes' changes,
//! draw once per burst of events, and always restore the terminal — on quit, on Ctrl-C and on
//! panic (ratatui's `init` installs a panic hook that restores it first).

use std::time::Duration;

use anyhow::Result;
use ratatui::crossterm::event::{self, Event};

use crate::app::App;
use crate::i18n::Lang;
use crate::store::Store;
use crate::ui::{self, theme::Theme};

pub fn run(store: Store, lang: Lang) -> Result<()> {
    let mut terminal = ratatui::try_init()?;
    // ratatui's hook restores raw mode and the screen on a panic; this one also turns off
    // bracketed paste, which we turn on.
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            ratatui::crossterm::event::DisableBracketedPaste
        );
        restore(info);
    }));
    let result = (|| -> Result<()> {
        let size = terminal.size()?;
        let mut app = App::new(store, lang, (size.width, size.height))?;
        let theme = Theme::from_env();
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            ratatui::crossterm::event::EnableBracketedPaste
        );
        loop {
            terminal.draw(|frame| ui::draw(frame, &app, &theme))?;
            // Wait for input, but wake to look for other processes' changes.
            if event::poll(Duration::from_millis(250))? {
                // Take the whole burst before drawing again.
                loop {
                    match event::read()? {
                        Event::Key(key) => app.handle_key(key),
                        Event::Paste(text) => app.handle_paste(&text),
                        Event::Resize(w, h) => app.resize(w, h),
                        _ => {}
                    }
                    if app.should_quit || !event::poll(Duration::ZERO)? {
                        break;
                    }
                }
            }
            if app.should_quit {
                return Ok(());
            }
            app.tick();
        }
    })();
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste
    );
    ratatui::restore();
    result
}
