//! "Did you mean …?" for mistyped ids, anchors and keys.

/// The candidate closest to `wanted`, if it is close enough to be a plausible typo:
/// a normalised Damerau-Levenshtein similarity of at least 0.6, or one candidate that
/// contains the other.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let mut score = strsim::normalized_damerau_levenshtein(wanted, candidate);
        if !wanted.is_empty() && (candidate.contains(wanted) || wanted.contains(candidate)) {
            score = score.max(0.6);
        }
        if score >= 0.6 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        let ids = ["complaints", "complaint-steps", "returns"];
        assert_eq!(closest("complaint", ids), Some("complaints"));
        assert_eq!(closest("retuns", ids), Some("returns"));
        assert_eq!(closest("bargaining", ids), None);
        assert_eq!(closest("诚恳道谦", ["诚恳道歉", "倾听"]), Some("诚恳道歉"));
    }
}
