//! Quick-reply codes: the short code an agent types in a chat tool to pick a reply.
//! Each `say` line of a table gets one.
//!
//! PROVISIONAL: the derivation below is a placeholder to be replaced.

use super::Table;

/// Gives every entry of `table` one code per `say` line.
pub(crate) fn assign(table: &mut Table) {
    let table_id = table.id.value.clone();
    for entry in &mut table.entries {
        let base = format!("{table_id}-{}", entry.id.value);
        entry.codes = (0..entry.say().len())
            .map(|i| {
                if i == 0 {
                    base.clone()
                } else {
                    format!("{base}-{}", i + 1)
                }
            })
            .collect();
    }
}
