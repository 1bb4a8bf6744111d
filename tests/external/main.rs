//! Tests that need what the repository does not hold: a browser, git, the seed texts.
//!
//! They run under a runner of their own (`harness = false`, libtest-mimic) rather
//! than libtest, which can only skip a test by returning early and then counts it as
//! passed: here a test whose needs are missing is reported as `ignored (why, and the
//! command that installs what is missing)`, and `cargo test` counts it as ignored.

mod browser;
mod faults;
mod history;
#[path = "../../src/search/query.rs"]
#[allow(dead_code)] // its unit tests come along, compiled but not run here
mod query;
mod query_split;
mod seeds;
#[path = "../integration/support.rs"]
mod support;

use libtest_mimic::{Arguments, Trial};

fn main() {
    let trials = vec![
        Trial::ignorable_test(
            "browser::reader_features_work_in_chromium",
            browser::reader_features_work_in_chromium,
        ),
        Trial::ignorable_test(
            "history::pages_show_their_last_change_and_changes_html_lists_the_commits",
            history::pages_show_their_last_change_and_changes_html_lists_the_commits,
        ),
        Trial::ignorable_test(
            "history::without_a_usable_history_the_site_is_the_same_as_outside_git",
            history::without_a_usable_history_the_site_is_the_same_as_outside_git,
        ),
        Trial::ignorable_test(
            "faults::a_full_disk_mid_build_keeps_the_previous_site",
            faults::a_full_disk_mid_build_keeps_the_previous_site,
        ),
        Trial::ignorable_test(
            "faults::an_output_made_unwritable_mid_build_keeps_the_previous_site",
            faults::an_output_made_unwritable_mid_build_keeps_the_previous_site,
        ),
        Trial::ignorable_test(
            "query_split::the_rust_twin_splits_queries_as_search_js_does",
            query_split::the_rust_twin_splits_queries_as_search_js_does,
        ),
        Trial::ignorable_test(
            "seeds::sample_copies_no_run_of_twenty_characters_from_the_seeds",
            seeds::sample_copies_no_run_of_twenty_characters_from_the_seeds,
        ),
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// Whether this is a CI run, where a missing browser is a failure, not a reason to
/// ignore the browser test.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}
