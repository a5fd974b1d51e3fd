//! Drawing. Each screen has its own module and draws from `&App`; nothing here changes state.
//! All text from the database passes through `text::printable` before it reaches a cell.

mod activity;
pub mod ascii;
mod curve;
pub mod deck;
mod detail;
mod dialogs;
mod form;
mod help;
mod matrix;
mod methods;
mod rounds;
mod spread;
mod table;
pub mod text;
pub mod theme;
mod units;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::keymap::{self, Context};
use crate::app::{App, Body, Popup, Tab, Tabs};
use crate::domain::text::printable;
use crate::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use crate::store::Role;
use theme::Theme;

/// Marks the selected row, so selection does not rest on colour.
pub const SELECTED: &str = "▶ ";

/// How a tab draws itself, in the `ui` module of the same name. Drawing reads the tab's
/// state and the app and never changes them.
pub trait TabScreen {
    /// Draws the tab in `area`.
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect);
}

/// Writes `tab_screen` from the app's one list of tabs: every tab's state must implement
/// `TabScreen`, or this does not compile.
macro_rules! tab_screens {
    ($($variant:ident => $field:ident: $state:ty),+ $(,)?) => {
        /// How the tab `tab` draws itself.
        fn tab_screen(tabs: &Tabs, tab: Tab) -> &dyn TabScreen {
            match tab {
                $(Tab::$variant => &tabs.$field),+
            }
        }
    };
}

crate::app::tabs::for_every_tab!(tab_screens);

/// Draws the whole screen from the app's state; what it left in the terminal's colours then
/// takes the palette's (`Theme::paint`), and in ASCII mode every symbol its ASCII stand-in
/// (`ascii`).
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    draw_screen(frame, app, theme);
    theme.paint(frame.buffer_mut());
    if theme.ascii {
        ascii::to_ascii(frame.buffer_mut(), theme.letters);
    }
}

fn draw_screen(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if layout::too_small((area.width, area.height)) {
        draw_too_small(frame, app, area);
        return;
    }
    // The presentation fills the screen: no tab bar, no status line; help lists its keys.
    if let Some(d) = &app.deck {
        deck::draw(frame, app, d, theme);
        if let Some(Popup::Help { scroll }) = &app.popup {
            help::draw(
                frame,
                app.lang,
                *scroll,
                (&[Context::Present], &|a| app.can(a)),
                theme,
                area,
            );
        }
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, theme, tabs);
    match app.body() {
        Body::Form(f) => form::draw(frame, app.lang, f, theme, body),
        Body::Detail(d) => detail::draw(frame, (app.lang, &app.moment), d, theme, body),
        Body::Tab(_) => tab_screen(&app.tabs, app.tab).draw(frame, app, theme, body),
    }
    draw_status(frame, app, theme, status);
    match &app.popup {
        Some(Popup::Help { scroll }) => help::draw(
            frame,
            app.lang,
            *scroll,
            (&keymap::CONTEXT_ORDER, &|a| app.can(a)),
            theme,
            body,
        ),
        Some(Popup::Draft { draft }) => dialogs::draw_draft(frame, app, draft, theme, body),
        Some(Popup::CloseRound { name }) => {
            dialogs::draw_close_round(frame, app.lang, name, theme, body)
        }
        Some(Popup::ConfirmAll { code, count, .. }) => {
            dialogs::draw_confirm_all(frame, app.lang, (code, *count), theme, body)
        }
        Some(Popup::Retract {
            event,
            confirmation,
            reason,
            error,
            confirm_discard,
        }) => {
            dialogs::draw_retract(
                frame,
                (app.lang, *confirmation),
                event,
                reason,
                error.as_deref(),
                theme,
                body,
            );
            if *confirm_discard {
                dialogs::draw_discard(frame, app.lang, theme, body);
            }
        }
        Some(Popup::Report {
            title,
            lines,
            scroll,
        }) => dialogs::draw_report(frame, title, lines, *scroll, theme, body),
        Some(Popup::AsOf { input, error }) => {
            dialogs::draw_as_of(frame, app.lang, input, error.as_deref(), theme, body)
        }
        None => {}
    }
}

/// Short lines, each centred, the block in the middle: it reads at 20×5 as well as 59×11.
/// Only quitting works until the terminal is large enough again (see `App::handle_key`).
fn draw_too_small(frame: &mut Frame, app: &App, area: Rect) {
    let lang = app.lang;
    let texts = [
        lang.pick("Terminalen är för liten:", "The terminal is too small:")
            .to_string(),
        format!(
            "{} {MIN_WIDTH}×{MIN_HEIGHT}, {} {}×{}.",
            lang.pick("minst", "at least"),
            lang.pick("nu", "now"),
            area.width,
            area.height
        ),
        lang.pick("Gör fönstret större,", "Make the window larger,")
            .to_string(),
        lang.pick("eller q för att avsluta.", "or q to quit.")
            .to_string(),
    ];
    let width = area.width as usize;
    let lines: Vec<Line> = texts
        .iter()
        .take(area.height as usize)
        .map(|t| Line::from(text::fit(t, width)))
        .collect();
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let block = Rect {
        y: area.y + top,
        height: (lines.len() as u16).min(area.height),
        ..area
    };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), block);
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    // In the past, the day takes the name's place, so it shows on the narrowest screen.
    let past = !app.moment.is_today();
    let head = if past {
        format!(" ⏲ {} ", app.moment.day)
    } else {
        " spridning ".to_string()
    };
    let titles: Vec<&str> = Tab::ALL
        .iter()
        .map(|&t| app.tabs.get(t).title(app.lang))
        .collect();
    let width = |head: &str, short: bool| {
        let tabs: usize = Tab::ALL
            .iter()
            .zip(&titles)
            .map(|(&t, title)| {
                let w = if short && t != app.tab {
                    3
                } else {
                    title.width()
                };
                w + 4
            })
            .sum();
        head.width() + 1 + tabs
    };
    // On a narrow terminal the name goes first, then the other tabs are cut to three letters.
    let room = area.width as usize;
    let head = if width(&head, false) <= room || past {
        head
    } else {
        String::new()
    };
    let short = width(&head, false) > room;
    let mut spans = Vec::new();
    if !head.is_empty() {
        spans.push(Span::styled(
            head,
            if past { theme.focus() } else { theme.header() },
        ));
        spans.push(Span::raw(theme.bar()));
    }
    for (&tab, title) in Tab::ALL.iter().zip(&titles) {
        let style = if tab == app.tab && app.detail.is_none() {
            theme.tab_active()
        } else if tab == app.tab {
            theme.header()
        } else {
            Style::new()
        };
        let marker = if tab == app.tab { "▸" } else { " " };
        let title: String = if short && tab != app.tab {
            title.chars().take(3).collect()
        } else {
            title.to_string()
        };
        spans.push(Span::raw(format!(" {marker}")));
        spans.push(Span::styled(title, style));
        spans.push(Span::raw(format!(" {}", theme.bar())));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let lang = app.lang;
    let role = match app.access.role {
        Role::Coordinator => lang.pick("samordnare", "coordinator").to_string(),
        Role::Member => lang.pick("medlem", "member").to_string(),
        Role::Viewer => lang.pick("läsare", "viewer").to_string(),
        Role::Unregistered => lang
            .pick(
                "ej registrerad: läser bara, be en samordnare om behörighet",
                "not registered: read only, ask a coordinator for access",
            )
            .to_string(),
    };
    let live = match &app.last_change {
        Some(t) => format!("● {} {t}", app.lang.pick("live, ändrat", "live, changed")),
        None => format!("● {}", app.lang.pick("live", "live")),
    };
    let when = if app.moment.is_today() {
        String::new()
    } else {
        format!(" {} {} ·", lang.pick("läget", "as of"), app.moment.day)
    };
    let mut left = format!(
        "{when} {} · {} ({role}) · {live} ",
        printable(&app.db_name),
        printable(&app.user)
    );
    // Where who and where would leave the keys less than three fifths of the line (at 80
    // columns), the file and the role give way: the keys say what can be done here.
    if left.width() * 5 > area.width as usize * 2 && app.message.is_none() {
        left = format!("{when} {} · {live} ", printable(&app.user));
    }
    // A message (saved, refused, a round's progress, …) comes first, so it is never cut
    // off; who and where take what is left, the file giving way first, cut at a word.
    if let Some(m) = &app.message {
        // On a line narrower than the message itself, it too is shortened at a word.
        let message = text::fit(&printable(m), area.width as usize);
        let bar = format!(" {}", theme.bar());
        let room = (area.width as usize).saturating_sub(message.width() + bar.width());
        if left.width() > room {
            left = format!(" {} · {live}", printable(&app.user));
        }
        // Too little room for a name: none.
        let left = if room < 8 {
            String::new()
        } else {
            text::fit(left.trim_end(), room)
        };
        let mut spans = vec![Span::styled(message, theme.focus())];
        if !left.is_empty() {
            spans.extend([Span::raw(bar), Span::styled(left, theme.dim())]);
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let bar = format!("{} ", theme.bar());
    let hints = keymap::hints(&app.contexts(), app.lang, |a| app.can(a));
    let help_width = hints
        .iter()
        .find(|h| h.action == crate::app::action::Action::Help)
        .map_or(0, |h| hint_text(h).width());
    // Who and where give way to the keys when the line is short, cut at a word.
    let left_room = (area.width as usize).saturating_sub(bar.width() + help_width);
    let left = if left.width() > left_room {
        format!(
            "{} ",
            text::fit(left.trim_end(), left_room.saturating_sub(1))
        )
    } else {
        left
    };
    let room = (area.width as usize).saturating_sub(left.width() + bar.width());
    let mut spans = vec![Span::styled(left, theme.dim()), Span::raw(bar)];
    spans.extend(fitting_hints(&hints, room).into_iter().flat_map(|h| {
        [
            Span::styled(h.key.clone(), theme.header()),
            Span::raw(format!(" {}  ", h.describe)),
        ]
    }));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A hint as the status line writes it: the key, its words, two spaces.
fn hint_text(h: &keymap::Hint) -> String {
    format!("{} {}  ", h.key, h.describe)
}

/// The hints that fit in `room` columns, whole, in the order of importance the key map
/// gives (`keymap::hints`): each that fits in what is left, and `? help` last whenever it is
/// a key here, so a left-out key is one keystroke away. The last hint's two trailing spaces need not fit.
fn fitting_hints(hints: &[keymap::Hint], room: usize) -> Vec<&keymap::Hint> {
    let help = hints
        .iter()
        .find(|h| h.action == crate::app::action::Action::Help);
    let help_width = help.map_or(0, |h| hint_text(h).trim_end().width() + 2);
    let mut used = 0;
    let mut out = Vec::new();
    for h in hints.iter().filter(|h| Some(*h) != help) {
        let width = hint_text(h).width();
        // One too long for what is left is passed over; a shorter one after it may fit.
        if used + width.saturating_sub(2) + help_width > room {
            continue;
        }
        used += width;
        out.push(h);
    }
    if let Some(help) = help
        && used + hint_text(help).trim_end().width() <= room
    {
        out.push(help);
    }
    out
}

/// For screen readers and magnifiers, while a filter in a frame's `title` is being typed
/// (its end marked `▏`), the terminal cursor goes there rather than to the first match.
fn cursor_at_typed_filter(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) {
    let Some(end) = title.find('▏') else {
        return;
    };
    if !theme.a11y {
        return;
    }
    let x = area.x + 1 + title[..end].width() as u16;
    if x < area.right().saturating_sub(1) {
        frame.set_cursor_position((x, area.y));
    }
}

/// A block with a border and a title, the frame of every body view.
fn framed(title: String, theme: &Theme) -> Block<'static> {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.header()));
    // For screen readers the frame is spaces: it keeps its place, and is not read out.
    if theme.a11y {
        block.border_set(ratatui::symbols::border::EMPTY)
    } else {
        block
    }
}

/// A centred rectangle of at most `width` × `height` inside `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn clear(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
}

#[cfg(test)]
mod tests;
