//! `handbook`: a static site generator for customer-service training handbooks.
//!
//! The pipeline, one folder per stage, each owning its types; dependencies point one
//! way (ARCHITECTURE.md has the whole map):
//!
//! - `load` reads `content/` into a `model::Handbook`, checking each file;
//! - `resolve` checks ids, links and navigation across the handbook;
//! - `render` turns it into files in memory (using `search` for the index);
//! - `output` writes them into a staging folder and swaps it into place.
//!
//! `pipeline` strings the stages together; `cli` (one file per subcommand) and
//! `live` (watch, serve and the rebuild session) sit on top and call in. Shared by
//! the stages: `diag` (diagnostics and their reports), `model`, `text` (the
//! handbook's syntax, the lint, suggestions), `yaml` (YAML with positions),
//! `theme`, `trace`, `memory`. Only [`cli::main`] is public: the binary needs nothing else,
//! and the compiler reports whatever else nobody uses.

pub mod cli;
pub(crate) mod diag;
pub(crate) mod export;
#[cfg(test)]
mod fuzz;
pub(crate) mod ignore;
pub(crate) mod live;
pub(crate) mod load;
pub(crate) mod lsp;
pub(crate) mod memory;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod patch;
pub(crate) mod pipeline;
pub(crate) mod render;
pub(crate) mod resolve;
pub(crate) mod search;
pub(crate) mod text;
pub(crate) mod theme;
pub(crate) mod trace;
pub(crate) mod yaml;
