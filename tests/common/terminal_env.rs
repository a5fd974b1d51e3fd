//! The one environment every harness gives the app in a pseudo-terminal (the pty tests,
//! `examples/term_bench.rs`, `examples/load.rs`): a colour terminal, a UTF-8 locale whatever
//! the machine's, no ASCII mode, and the palette named — the harness's terminal answers no
//! questions, so asking for the background colour would wait 300 ms. Included by path in
//! the examples, so the three stay alike.

use portable_pty::CommandBuilder;

/// Sets `cmd`'s environment as a person's colour terminal would have it.
pub fn as_a_colour_terminal(cmd: &mut CommandBuilder) {
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    cmd.env("LANG", "C.UTF-8");
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_CTYPE");
    cmd.env_remove("SPRIDNING_ASCII");
    cmd.env("SPRIDNING_THEME", "dark");
}
