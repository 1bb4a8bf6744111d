//! The language diagnostics and the command line speak, and texts held in both.
//!
//! Why every diagnostic carries its text in both languages (a [`Text`]) rather than
//! a variant per message with its arguments, rendered later: a message is written
//! where the problem is found, with the facts at hand (a link's reason, an id's
//! problem, a code's length) formatted straight into it, and the English and the
//! Chinese sit side by side in the source, so whoever changes one sees the other. The
//! language is chosen only when printing ([`Lang::chosen`]): `handbook.yaml`, which
//! says the handbook's language, may itself be what failed to load. What a tool
//! relies on is the stable [`super::Code`], not the wording; a run makes a few dozen
//! diagnostics, so holding two strings each costs nothing worth a second design.

use std::sync::OnceLock;

/// A language the messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Lang {
    En,
    Zh,
}

/// `--lang`, when given: set once by the command line, read when printing.
static FLAG: OnceLock<Lang> = OnceLock::new();

impl Lang {
    /// `zh`, `zh-CN`, `zh_Hans`, … are Chinese; `en`, `en-US`, … English; anything
    /// else is not a language this knows.
    pub(crate) fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "zh" || tag.starts_with("zh-") || tag.starts_with("zh_") {
            Some(Lang::Zh)
        } else if tag == "en" || tag.starts_with("en-") || tag.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of a handbook whose `language:` is `tag`: Chinese for `zh*`,
    /// English for everything else.
    pub(crate) fn of_handbook(tag: &str) -> Lang {
        match Lang::parse(tag) {
            Some(Lang::Zh) => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// Records `--lang` for the whole run (the first call wins).
    pub(crate) fn set_flag(lang: Lang) {
        let _ = FLAG.set(lang);
    }

    /// The language to print in: `--lang`, else `HANDBOOK_LANG`, else the handbook's
    /// `language:` (`None` when it is not known, e.g. no handbook was found), else
    /// English.
    pub(crate) fn chosen(handbook_language: Option<&str>) -> Lang {
        if let Some(&flag) = FLAG.get() {
            return flag;
        }
        if let Some(lang) = std::env::var("HANDBOOK_LANG")
            .ok()
            .and_then(|v| Lang::parse(&v))
        {
            return lang;
        }
        handbook_language.map_or(Lang::En, Lang::of_handbook)
    }
}

/// A text in English and in Simplified Chinese; [`tr!`](crate::diag::tr) makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Text {
    // Boxed strings: a diagnostic travels in `Result`s, and stays small.
    en: Box<str>,
    zh: Box<str>,
}

impl Text {
    pub(crate) fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            en: en.into().into_boxed_str(),
            zh: zh.into().into_boxed_str(),
        }
    }

    /// A text that reads the same in both languages: what another program said (a
    /// YAML parser's or a template engine's message), which is only in English.
    pub(crate) fn same(text: impl Into<String>) -> Self {
        let text: Box<str> = text.into().into_boxed_str();
        Text {
            zh: text.clone(),
            en: text,
        }
    }

    /// The Chinese text as the start of a sentence that goes on in Chinese: a space
    /// after it when it ends in a Latin letter or code (`条目 `a` 缺少…`,
    /// `handbook.yaml 缺少…`), as Chinese typesetting spaces mixed text.
    pub(crate) fn zh_lead(&self) -> String {
        match self.zh.chars().last() {
            Some(c) if c.is_ascii() => format!("{} ", self.zh),
            _ => self.zh.to_string(),
        }
    }

    pub(crate) fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// `tr!("unknown key `{}`", "未知的键 `{}`", name)`: a [`Text`] formatted in both
/// languages from the same arguments (each is formatted twice, so keep them cheap).
macro_rules! tr {
    ($en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        $crate::diag::Text::new(format!($en $(, $arg)*), format!($zh $(, $arg)*))
    };
}
pub(crate) use tr;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH_hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::of_handbook("zh-TW"), Lang::Zh);
        assert_eq!(Lang::of_handbook("ja"), Lang::En);
    }

    #[test]
    fn a_text_is_formatted_in_both_languages() {
        let name = "kindd";
        let text = tr!("unknown key `{}`", "未知的键 `{}`", name);
        assert_eq!(text.get(Lang::En), "unknown key `kindd`");
        assert_eq!(text.get(Lang::Zh), "未知的键 `kindd`");
    }
}
