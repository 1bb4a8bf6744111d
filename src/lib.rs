//! `handbook`: a static site generator for customer-service training handbooks.
//!
//! The pipeline, one module per stage, each a function over plain values:
//! [`load`] reads `content/` into a [`model::Handbook`], [`resolve`] checks ids,
//! links and navigation across the handbook, [`render`] turns it into files in
//! memory, [`output`] swaps them into the output folder. [`build`] strings them
//! together; the CLI in [`cli`] only parses arguments and prints.

pub mod build;
pub mod cli;
pub mod diag;
pub mod dialogue;
pub mod ids;
pub mod ignore;
pub mod init;
pub mod links;
pub mod lint;
pub mod live;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod resolve;
pub mod script_json;
pub mod search;
pub mod serve;
pub mod session;
pub mod suggest;
pub mod theme;
pub mod trace;
pub mod watch;
pub mod yaml;
