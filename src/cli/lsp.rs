//! `handbook lsp`: the language server an editor starts; see `crate::lsp`.

use super::LspArgs;
use crate::load::LoadOptions;
use crate::pipeline::Fatal;

pub(crate) fn run(args: LspArgs) -> Result<u8, Fatal> {
    let options = LoadOptions {
        drafts: args.drafts,
        without_history: true,
    };
    crate::lsp::run(args.root.as_deref(), options)
}
