//! YAML with positions.
//!
//! serde_yaml checks the syntax and reports a syntax error with its location. The
//! document is then read into a [`Node`] tree whose every node knows its byte range in
//! the file (yaml-rust2's event parser gives the marks), so that schema errors, of
//! which a file may have several, can all be reported with file, line and column.

mod cause;
mod node;
mod schema;

pub(crate) use cause::{opened_before, Opened};
pub(crate) use node::{parse, Node, NodeValue};
pub(crate) use schema::{did_you_mean, found, Fields, Spanned};
