//! The UI strings the browser scripts show, put on the page as JSON under the
//! names the scripts know them by. The strings themselves, and their keys, are
//! the model's ([`crate::model::strings`]).

use std::collections::BTreeMap;

/// UI strings the browser scripts show, by the name the scripts know them by:
/// (script name, key), for those the templates do not carry as data- attributes.
/// Every page carries the first group; the practice page the second.
pub(crate) const CLIENT_STRINGS: &[(&str, &str)] = &[
    ("copyFailed", "copy_failed"),
    ("results", "search_results"),
    ("showing", "search_showing"),
    ("more", "search_more"),
    ("partial", "search_partial"),
    ("matchedOnly", "search_matched_only"),
    ("searchFailed", "search_failed"),
    ("colon", "colon"),
];
pub(crate) const PRACTICE_STRINGS: &[(&str, &str)] = &[
    ("chooseTables", "practice_choose_tables"),
    ("all", "practice_all"),
    ("none", "practice_none"),
    ("question", "practice_question"),
    ("lastScore", "practice_last_score"),
    ("cleared", "practice_cleared"),
    ("noQuestions", "practice_no_questions"),
    ("correctIs", "practice_correct_is"),
    ("review", "practice_review"),
    ("rightOption", "practice_right_option"),
    ("yourChoice", "practice_your_choice"),
    ("chooseTablesAgain", "practice_choose_again"),
    ("progress", "practice_progress"),
    ("stepsPrompt", "practice_steps_prompt"),
    ("stepsOrder", "practice_steps_order"),
    ("stepsUndo", "practice_steps_undo"),
    ("stepsCheck", "practice_steps_check"),
    ("stepsPicked", "practice_steps_picked"),
    ("stepsUndone", "practice_steps_undone"),
    ("stepsRightOrder", "practice_steps_right_order"),
    ("stepsPlaced", "practice_steps_placed"),
    ("stepsYours", "practice_steps_yours"),
    ("stepsCount", "practice_steps_count"),
    ("tacticsPrompt", "practice_tactics_prompt"),
    ("tacticHidden", "practice_tactic_hidden"),
    ("correctTactic", "practice_correct_tactic"),
    ("rightTactic", "practice_right_tactic"),
    ("goal", "goal"),
    ("when", "when"),
    ("how", "how"),
    ("risk", "risk"),
    ("example", "example"),
    ("kindScript", "kind_script"),
    ("kindSteps", "kind_steps"),
    ("kindTactics", "kind_tactics"),
];

/// The strings of `names` as a JSON object keyed by their script names, safe inside
/// a `<script type="application/json">` element.
pub(crate) fn client_json(strings: &BTreeMap<String, String>, names: &[(&str, &str)]) -> String {
    let object: BTreeMap<&str, &str> = names
        .iter()
        .filter_map(|&(name, key)| strings.get(key).map(|text| (name, text.as_str())))
        .collect();
    crate::text::script_json::to_script_json(&object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::strings::ui_strings;

    #[test]
    fn the_script_gets_its_strings_by_its_own_names() {
        let zh = ui_strings("zh-CN", &BTreeMap::new());
        let json: serde_json::Value =
            serde_json::from_str(&client_json(&zh, PRACTICE_STRINGS)).unwrap();
        assert_eq!(json["question"], "第 {n} / {total} 题");
        assert_eq!(json.as_object().unwrap().len(), PRACTICE_STRINGS.len());
        for (_, key) in CLIENT_STRINGS.iter().chain(PRACTICE_STRINGS) {
            assert!(zh.contains_key(*key), "{key}");
        }
    }
}
