//! One integration-test binary: the real `handbook` binary run on fixture handbooks
//! and on the sample handbook of this repository.

mod cli;
mod diagnostics;
mod exports;
mod faults;
mod live;
mod load;
mod lsp;
mod mutation;
mod print;
mod sample;
mod support;
