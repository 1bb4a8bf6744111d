//! `handbook`: a static site generator for customer-service training handbooks.
//!
//! The pipeline, one module per stage, each a function over plain values:
//! [`load`] reads `content/` into a [`model::Handbook`], [`resolve`] checks ids,
//! links and navigation across the handbook, [`render`] turns it into files in
//! memory, [`output`] swaps them into the output folder. [`build`] strings them
//! together; the CLI in [`cli`] only parses arguments and prints.

pub mod cli;
pub(crate) mod diag;
pub(crate) mod ignore;
pub(crate) mod live;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod pipeline;
pub(crate) mod render;
pub(crate) mod resolve;
pub(crate) mod search;
pub(crate) mod text;
pub(crate) mod theme;
pub(crate) mod trace;
pub(crate) mod yaml;
