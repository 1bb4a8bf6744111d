//! The UI strings: every key handbook.yaml's `strings:` may name, with its text in
//! Simplified Chinese and English. Part of the model because loading checks the
//! keys a handbook overrides and rendering shows the texts: both read them here.

use std::collections::BTreeMap;

/// (key, Simplified Chinese, English)
const STRINGS: &[(&str, &str, &str)] = &[
    ("contents", "目录", "Contents"),
    ("all_chapters", "全书章节", "All chapters"),
    ("home", "首页", "Home"),
    ("previous", "上一页", "Previous"),
    ("next", "下一页", "Next"),
    ("on_this_page", "本页内容", "On this page"),
    ("referenced_from", "引用本页的页面", "Referenced from"),
    ("phrase_tables", "话术表", "Phrase tables"),
    ("say", "可以说", "Say"),
    ("never_say", "切忌说", "Never say"),
    ("code", "快捷编码", "Code"),
    ("why", "原因", "Why"),
    ("situation", "情境", "Situation"),
    ("see_also", "参见", "See also"),
    ("step", "第 {n} 步", "Step {n}"),
    ("goal", "目标", "Goal"),
    ("do", "要做", "Do"),
    ("dont", "不要做", "Don't"),
    ("when", "适用情况", "When"),
    ("how", "做法", "How"),
    ("example", "示例对话", "Example"),
    ("risk", "注意", "Watch out"),
    ("kind_script", "话术", "Script"),
    ("kind_steps", "流程", "Procedure"),
    ("kind_tactics", "技巧", "Tactics"),
    ("entries", "条", "entries"),
    ("view_table", "查看整张表", "View the whole table"),
    ("search_placeholder", "搜索手册…", "Search the handbook…"),
    ("menu", "菜单", "Menu"),
    ("skip_to_content", "跳到正文", "Skip to content"),
    ("not_found_title", "页面不存在", "Page not found"),
    (
        "not_found_text",
        "您要找的页面不存在，可能已被移动或删除。",
        "The page you are looking for does not exist. It may have moved.",
    ),
    ("back_home", "返回首页", "Back to the start"),
    ("chapters", "章", "chapters"),
    ("copy", "复制", "Copy"),
    ("copied", "已复制", "Copied"),
    ("phrase_finder", "话术查找", "Phrase finder"),
    (
        "finder_filter",
        "输入关键词或快捷编码筛选话术…",
        "Filter lines by words or code…",
    ),
    ("all_tables", "全部话术表", "All tables"),
    ("all_tags", "全部标签", "All tags"),
    ("finder_filters", "筛选话术", "Filter the lines"),
    ("no_matches", "没有找到匹配的话术。", "No matching lines."),
    ("practice", "话术练习", "Practice"),
    (
        "practice_intro",
        "话术题选出最合适的说法，流程题把步骤排好顺序，技巧题为情境选出合适的技巧。",
        "Scripts: pick the best reply. Procedures: put the steps in order. Tactics: pick the tactic that fits.",
    ),
    ("practice_start", "开始练习", "Start"),
    ("practice_next", "下一题", "Next"),
    ("practice_right", "答对了！", "Right!"),
    ("practice_wrong", "不对。", "Not quite."),
    ("practice_score", "得分", "Score"),
    ("practice_again", "再练一次", "Practise again"),
    ("practice_reset", "清除记录", "Clear progress"),
    (
        "practice_needs_js",
        "练习需要在浏览器中启用 JavaScript。",
        "The drill needs JavaScript enabled in the browser.",
    ),
    ("print", "打印版", "Print version"),
    ("print_volumes", "分卷打印", "Print volumes"),
    (
        "print_volumes_note",
        "本手册篇幅较大，打印版按部分分卷：请逐卷打开并打印。",
        "This handbook is large, so its print version comes in volumes, one per part: open and print each.",
    ),
    ("print_volume_pages", "{n} 页", "{n} pages"),
    ("search", "搜索", "Search"),
    ("search_no_results", "没有找到结果。", "No results."),
    ("search_loading", "正在加载索引…", "Loading the index…"),
    ("tools", "工具", "Tools"),
    ("copy_failed", "复制失败", "Copy failed"),
    ("search_results", "找到 {n} 条结果", "{n} results"),
    (
        "search_showing",
        "显示前 {shown} 条，共 {n} 条",
        "Showing the first {shown} of {n}",
    ),
    ("search_more", "再显示 {n} 条", "Show {n} more"),
    (
        "search_partial",
        "没有同时包含所有词的结果，以下是部分匹配。",
        "No result has every word; these have some of them.",
    ),
    ("search_matched_only", "只含：{terms}", "Has only: {terms}"),
    (
        "search_failed",
        "索引加载失败。",
        "The search index could not be loaded.",
    ),
    (
        "practice_choose_tables",
        "选择要练习的话术表",
        "Tables to practise",
    ),
    ("practice_all", "全选", "All"),
    ("practice_none", "全不选", "None"),
    (
        "practice_question",
        "第 {n} / {total} 题",
        "Question {n} of {total}",
    ),
    ("practice_last_score", "上次得分", "Last score"),
    ("practice_cleared", "练习记录已清除。", "Progress cleared."),
    (
        "practice_no_questions",
        "所选话术表里没有可练习的题目，请至少选择一张表。",
        "The chosen tables have no questions: choose at least one table.",
    ),
    ("practice_correct_is", "正确的说法", "The right reply"),
    ("practice_review", "答错的题目", "To review"),
    (
        "practice_right_option",
        "（正确的说法）",
        "(the right reply)",
    ),
    ("practice_your_choice", "（你的选择）", "(your choice)"),
    ("practice_choose_again", "重新选择话术表", "Choose tables"),
    (
        "practice_progress",
        "答对 {right} / {seen}",
        "{right} / {seen} right",
    ),
    (
        "practice_steps_prompt",
        "按正确的顺序依次点选下面的步骤。",
        "Pick the steps in the right order.",
    ),
    ("practice_steps_order", "你排的顺序", "Your order"),
    ("practice_steps_undo", "撤销上一步", "Undo the last pick"),
    ("practice_steps_check", "核对顺序", "Check the order"),
    (
        "practice_steps_picked",
        "第 {n} 步：{title}",
        "Step {n}: {title}",
    ),
    (
        "practice_steps_undone",
        "已撤销：{title}",
        "Taken back: {title}",
    ),
    ("practice_steps_right_order", "正确的顺序", "The right order"),
    (
        "practice_steps_placed",
        "{right} / {total} 步位置正确",
        "{right} of {total} steps in the right place",
    ),
    (
        "practice_steps_yours",
        "（你排在第 {n} 步）",
        "(you put it at {n})",
    ),
    ("practice_steps_count", "{n} 步", "{n} steps"),
    (
        "practice_tactics_prompt",
        "这时该用哪种技巧？",
        "Which tactic fits?",
    ),
    ("practice_tactic_hidden", "（某技巧）", "(a tactic)"),
    ("practice_correct_tactic", "正确的技巧", "The right tactic"),
    (
        "practice_right_tactic",
        "（正确的技巧）",
        "(the right tactic)",
    ),
    ("downloads", "下载，导入聊天工具", "Download for…"),
    (
        "import_qianniu",
        "在千牛的快捷短语设置中选择导入，选中此文件（GBK 编码的 CSV，只有可以说的话术）。",
        "In 千牛's quick phrases (快捷短语), choose import and pick this file (CSV in GBK, lines to say only).",
    ),
    (
        "import_xlsx",
        "Excel 工作簿：第一张表是全部话术，之后每张话术表一张，切忌说的话标红并划掉，可以筛选。",
        "An Excel workbook: every line on the first sheet, then a sheet per table; never-say lines red and struck through; filters on.",
    ),
    (
        "import_csv",
        "Excel 可以直接打开，每行一句话术，可以说和切忌说都在，带类型和编码。",
        "Opens in Excel as it is: one row per line, say and never-say, with kind and code.",
    ),
    (
        "import_zendesk",
        "由管理员通过 Zendesk 的宏接口（POST /api/v2/macros）导入，每个对象建一个宏。",
        "An admin imports it through Zendesk's macros API (POST /api/v2/macros), one macro per object.",
    ),
    (
        "import_chatwoot",
        "由管理员通过 Chatwoot 的预设回复接口（canned_responses）导入，每个对象建一条。",
        "An admin imports it through Chatwoot's canned responses API, one response per object.",
    ),
    (
        "import_zammad",
        "在 Zammad 的 设置 → 文本模块 中选择导入，选中此文件。",
        "In Zammad, Settings → Text modules → Import, pick this file.",
    ),
    (
        "import_json",
        "所有话术（含切忌说）的 JSON，供自己的脚本使用。",
        "Every line, say and never-say, as JSON for your own scripts.",
    ),
    // "Updated since you last read" (marks.js) and the git dates.
    ("mark_updated", "有更新", "Updated"),
    ("mark_new", "新", "New"),
    ("updated_since", "上次阅读后有更新", "Updated since you last read"),
    ("last_updated", "最后更新", "Last updated"),
    ("recent_changes", "最近更改", "Recent changes"),
    (
        "recent_changes_intro",
        "手册最近的修改，最新的在前：日期、修改说明和改动的页面。",
        "The handbook's latest changes, newest first: the date, what was changed and the pages.",
    ),
    // Between a label and what it labels ("得分：3 / 10"), in the scripts.
    ("colon", "：", ": "),
];

/// Every UI string's key, as handbook.yaml's `strings:` may name it.
pub(crate) fn string_keys() -> impl Iterator<Item = &'static str> + Clone {
    STRINGS.iter().map(|&(key, _, _)| key)
}

/// The strings for a language (anything starting with `zh` is Chinese, the rest
/// English), with the handbook's overrides applied.
pub(crate) fn ui_strings(
    language: &str,
    overrides: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let chinese = language.to_ascii_lowercase().starts_with("zh");
    STRINGS
        .iter()
        .map(|&(key, zh, en)| {
            let text = overrides
                .get(key)
                .cloned()
                .unwrap_or_else(|| if chinese { zh } else { en }.to_string());
            (key.to_string(), text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_overrides_win() {
        let keys: Vec<&str> = string_keys().collect();
        let unique: std::collections::BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(keys.len(), unique.len(), "a key is listed twice");
        let mut overrides = BTreeMap::new();
        overrides.insert("never_say".to_string(), "禁用语".to_string());
        let zh = ui_strings("zh-CN", &overrides);
        assert_eq!(zh["never_say"], "禁用语");
        assert_eq!(zh["next"], "下一页");
        assert_eq!(ui_strings("en", &BTreeMap::new())["next"], "Next");
    }
}
