//! Quick-reply codes: the short code an agent types in a chat tool to pick a reply.
//! Each `say` line of a `script` or `steps` entry gets one: the entry's `code:` when
//! it sets one, else a code derived from the table's id and the entry's id alone, so
//! that no edit elsewhere changes it. An entry's second and later `say` lines get
//! `-2`, `-3`, … after it. The rule is in README ("Quick-reply codes").
//!
//! Codes are checked here one entry at a time ([`code_problem`]); that they are
//! unique across the handbook is checked in `resolve`.

use super::Table;
use crate::diag::{tr, Text};

/// The longest code a chat tool is given.
pub(crate) const MAX_LEN: usize = 16;

/// Gives every entry of `table` one code per `say` line.
pub(crate) fn assign(table: &mut Table) {
    let table_id = table.id.value.clone();
    for entry in &mut table.entries {
        let count = entry.say().len();
        let base = match &entry.code {
            Some(code) => code.value.clone(),
            None => derive(&table_id, &entry.id.value, count),
        };
        entry.codes = (1..=count).map(|n| alternative(&base, n)).collect();
    }
}

/// The code of an entry's `n`th `say` line (from 1) when its first one is `base`.
pub(crate) fn alternative(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}-{n}")
    }
}

/// What is wrong with a code written as `code:` on an entry with `say_count` say
/// lines, if anything.
pub(crate) fn code_problem(code: &str, say_count: usize) -> Option<Text> {
    if code.is_empty() {
        return Some(tr!("a code must not be empty", "编码不能为空"));
    }
    if let Some(bad) = code
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        return Some(if bad.is_ascii_uppercase() {
            tr!(
                "a code holds only lower-case ASCII letters, digits and `-`, not an upper-case letter",
                "编码只能用小写英文字母、数字和 `-`，不能有大写字母"
            )
        } else {
            tr!(
                "a code holds only lower-case ASCII letters, digits and `-`, not `{}`",
                "编码只能用小写英文字母、数字和 `-`，不能有 `{}`",
                bad
            )
        });
    }
    if code.starts_with('-') || code.ends_with('-') {
        return Some(tr!(
            "a code must not start or end with `-`",
            "编码不能以 `-` 开头或结尾"
        ));
    }
    let chars = code.chars().count();
    if chars > MAX_LEN {
        return Some(tr!(
            "a code is at most {} characters; this one has {}",
            "编码最多 {} 个字符，这个有 {} 个",
            MAX_LEN,
            chars
        ));
    }
    let last = alternative(code, say_count.max(1));
    if last.len() > MAX_LEN {
        let room = MAX_LEN - (last.len() - code.len());
        return Some(tr!(
            "with {} `say` lines the last code would be `{}`, {} characters \
             (at most {}): use at most {} characters here",
            "有 {} 句 `say` 话术，最后一句的编码会是 `{}`，共 {} 个字符\
             （最多 {} 个）：这里最多只能写 {} 个字符",
            say_count,
            last,
            last.len(),
            MAX_LEN,
            room
        ));
    }
    None
}

/// The code derived for an entry that sets none, from the table's id and the
/// entry's id: `{table}-{entry}` (the table's id abbreviated), or, when the entry's
/// id is not plain ASCII or that does not fit, as much of the entry's id as fits
/// and a short hash of both ids. At most 14 characters, so that the `-2` … `-9` of
/// the alternatives fit in 16 (13 for an entry with ten or more `say` lines).
pub(crate) fn derive(table_id: &str, entry_id: &str, say_count: usize) -> String {
    let limit = MAX_LEN - alternative("", say_count.max(1)).len().max(2);
    let table = abbreviate(table_id);
    let entry = slug(entry_id);
    let plain = entry_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let whole = format!("{table}-{entry}");
    if plain && !entry.is_empty() && whole.len() <= limit {
        return whole;
    }
    let hash = base36(fnv1a(&format!("{table_id}\n{entry_id}")));
    if entry.is_empty() {
        // Nothing of the id to show: a longer hash instead.
        return format!("{table}-{}", &hash[..6]);
    }
    let room = limit - table.len() - 1 - 1 - 4;
    let prefix = entry[..room.min(entry.len())].trim_end_matches('-');
    if prefix.is_empty() {
        format!("{table}-{}", &hash[..6])
    } else {
        format!("{table}-{prefix}-{}", &hash[..4])
    }
}

/// A table's id made short: each word (a run of ASCII letters and digits) gives its
/// first letter and its digits; a one-word id gives its first three letters and its
/// digits. `greetings` -> `gre`, `complaint-steps` -> `cs`, `t00012` -> `t00012`,
/// `returns-2024` -> `r2024`. At most 6 characters; an id with no ASCII letter or
/// digit gives 3 characters of its hash.
fn abbreviate(table_id: &str) -> String {
    let lower = table_id.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return base36(fnv1a(table_id))[..3].to_string();
    }
    let letters = if words.len() == 1 { 3 } else { 1 };
    let mut abbr = String::new();
    for word in words {
        abbr.extend(word.chars().filter(char::is_ascii_lowercase).take(letters));
        abbr.extend(word.chars().filter(char::is_ascii_digit));
    }
    abbr.truncate(6);
    abbr
}

/// An id as a code's characters: ASCII letters lower-cased, digits kept, every run
/// of anything else one `-`, no `-` at either end.
fn slug(id: &str) -> String {
    let mut slug = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// FNV-1a, 64 bits: fixed by its definition, so codes stay the same whatever the
/// Rust version or platform.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `n` in base 36 (digits, then lower-case letters), least significant digit first,
/// padded to 13 digits: every prefix is as good a hash as any other.
fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut text = String::with_capacity(13);
    for _ in 0..13 {
        text.push(char::from(DIGITS[(n % 36) as usize]));
        n /= 36;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(code: &str) -> bool {
        code_problem(code, 1).is_none()
    }

    #[test]
    fn plain_ids_give_the_table_abbreviation_and_the_entry_id() {
        assert_eq!(derive("greetings", "returning", 1), "gre-returning");
        assert_eq!(derive("complaint-steps", "listen", 1), "cs-listen");
        assert_eq!(derive("t00012", "e3", 2), "t00012-e3");
        assert_eq!(derive("returns-2024", "ask_Size", 1), "r2024-ask-size");
    }

    #[test]
    fn long_ids_are_cut_and_hashed_to_fit() {
        let code = derive("greetings", "first-visit", 2);
        assert!(code.starts_with("gre-first-"), "{code}");
        assert_eq!(code.len(), 14);
        assert!(valid(&code));
        let other = derive("greetings", "first-visitor", 2);
        assert_ne!(code, other, "ids sharing their start still differ");
    }

    #[test]
    fn non_ascii_ids_give_a_hash() {
        let code = derive("greetings", "首次接待", 1);
        assert_eq!(code.len(), "gre-".len() + 6);
        assert!(code.starts_with("gre-"));
        assert_ne!(code, derive("greetings", "老顾客", 1));
        // Part ASCII: what there is shows, and the hash keeps `退款-2` and `换货-2` apart.
        let a = derive("售后", "退款-2", 1);
        let b = derive("售后", "换货-2", 1);
        assert!(a.contains("-2-"), "{a}");
        assert_ne!(a, b);
        for code in [code, a, b] {
            assert!(valid(&code), "{code}");
        }
    }

    #[test]
    fn derived_codes_depend_on_the_two_ids_alone() {
        assert_eq!(
            derive("greetings", "first-visit", 2),
            derive("greetings", "first-visit", 3)
        );
        assert_eq!(derive("a", "b", 1), "a-b");
        // Fixed values, the README's examples among them: a change to the rule or
        // the hash shows here.
        assert_eq!(derive("greetings", "first-visit", 1), "gre-first-tr58");
        assert_eq!(
            derive("chat-greetings", "returning-customer", 2),
            "cg-return-5ief"
        );
        assert_eq!(derive("chat-greetings", "use-name", 1), "cg-use-name");
        assert_eq!(derive("greetings", "首次接待", 1), "gre-wo9q0y");
        assert_eq!(derive("t00012", "e3", 1), "t00012-e3");
    }

    #[test]
    fn every_derived_code_is_valid_with_its_alternatives() {
        let ids = [
            "a",
            "x-y-z",
            "售后",
            "a-very-long-table-id-with-many-words",
            "UPPER_case",
            "--",
            "0",
            "a1b2c3d4e5f6g7h8i9",
        ];
        for table in ids {
            for entry in ids {
                for count in [1, 2, 9, 10, 12] {
                    let base = derive(table, entry, count);
                    for n in 1..=count {
                        let code = alternative(&base, n);
                        assert!(valid(&code), "{table}/{entry}: {code}");
                    }
                    assert!(code_problem(&base, count).is_none(), "{base} x{count}");
                }
            }
        }
    }

    #[test]
    fn written_codes_are_checked() {
        assert!(valid("hi"));
        assert!(valid("ret-2024-q3"));
        assert!(code_problem("", 1)
            .unwrap()
            .get(crate::diag::Lang::En)
            .contains("empty"));
        assert!(code_problem("Hi", 1)
            .unwrap()
            .get(crate::diag::Lang::En)
            .contains("upper-case"));
        assert!(code_problem("hi there", 1)
            .unwrap()
            .get(crate::diag::Lang::En)
            .contains("not ` `"));
        assert!(code_problem("你好", 1)
            .unwrap()
            .get(crate::diag::Lang::En)
            .contains("not `你`"));
        assert!(code_problem("-hi", 1)
            .unwrap()
            .get(crate::diag::Lang::En)
            .contains("start or end"));
        assert!(code_problem("abcdefghijklmnopq", 1)
            .unwrap()
            .get(crate::diag::Lang::En)
            .contains("this one has 17"));
        assert!(valid("abcdefghijklmnop"));
        let problem = code_problem("abcdefghijklmnop", 2).unwrap();
        let problem = problem.get(crate::diag::Lang::En);
        assert!(
            problem.contains("`abcdefghijklmnop-2`, 18 characters"),
            "{problem}"
        );
        assert!(problem.contains("use at most 14"), "{problem}");
        assert!(code_problem("abcdefghijklmn", 2).is_none());
    }
}
