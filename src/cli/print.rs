//! What every subcommand prints the same way: diagnostics on standard error, in
//! colour only on a terminal that has not asked for none (`NO_COLOR`).

use std::io::IsTerminal;

use crate::diag::{render_human, Diagnostics, Lang, Sources};

/// True when standard error is a terminal and `NO_COLOR` is not set.
pub(super) fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints the diagnostics as a compiler would, in `lang`, if there are any.
pub(super) fn print_human(diagnostics: &Diagnostics, sources: &Sources, lang: Lang) {
    if diagnostics.is_empty() {
        return;
    }
    eprint!("{}", render_human(diagnostics, sources, color(), lang));
}
