//! Text helpers shared by the stages: the handbook's own syntax (ids and anchors,
//! link destinations, dialogue blocks, the Markdown dialect), the forbidden-phrase
//! lint, "did you mean" suggestions, and JSON safe inside a `<script>`. Each is used
//! by more than one stage (loading checks what rendering writes), so none belongs to
//! one of them.

pub(crate) mod dialogue;
pub(crate) mod ids;
pub(crate) mod links;
pub(crate) mod lint;
pub(crate) mod markdown;
pub(crate) mod script_json;
pub(crate) mod suggest;
