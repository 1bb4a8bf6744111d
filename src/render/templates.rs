//! The templates' side of rendering: the globals every template sees (site, UI
//! strings), the renderer made with them, and the helpers that render a template
//! with a typed context into a string or a page's bytes.

use std::collections::BTreeMap;

use super::context::SiteInfo;
use super::links::Links;
use super::pages::PageRenderer;
use super::strings;
use crate::diag::Diagnostic;
use crate::model::Handbook;
use crate::resolve::Site;
use crate::theme::Theme;

/// Runs `work` with a renderer for this handbook, the templates' globals set.
pub(super) fn with_renderer<R>(
    handbook: &Handbook,
    site: &Site,
    theme: &mut Theme,
    work: impl FnOnce(&PageRenderer) -> R,
) -> R {
    let t = crate::trace::span("render: links");
    let strings = set_globals(handbook, theme);
    let links = Links::new(handbook, site);
    let renderer = PageRenderer::new(handbook, site, theme, &links, &strings);
    drop(t);
    work(&renderer)
}

/// The UI strings, and the values every template sees.
fn set_globals(handbook: &Handbook, theme: &mut Theme) -> BTreeMap<String, String> {
    let config = &handbook.config;
    let strings = crate::model::strings::ui_strings(&config.language, &config.strings);
    {
        let globals = theme.tera.global_context();
        globals.insert(
            "site",
            &SiteInfo {
                title: &config.title,
                description: config.description.as_deref(),
                language: &config.language,
            },
        );
        globals.insert("strings", &strings);
        globals.insert(
            "client_strings_json",
            &strings::client_json(&strings, strings::CLIENT_STRINGS),
        );
        globals.insert(
            "practice_strings_json",
            &strings::client_json(&strings, strings::PRACTICE_STRINGS),
        );
    }
    strings
}

impl PageRenderer<'_> {
    pub(super) fn render_template<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
    ) -> Result<String, Diagnostic> {
        self.render_context(template, &self.template_context(template, context)?)
    }

    /// A typed context made into template values.
    pub(super) fn template_context<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
    ) -> Result<tera::Context, Diagnostic> {
        tera::Context::from_serialize(context).map_err(|e| self.theme.template_error(&e, template))
    }

    pub(super) fn render_context(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<String, Diagnostic> {
        Ok(utf8_string(self.render_bytes(template, context, 0)?))
    }

    /// A whole page's bytes: written as they come, with no second pass to check
    /// they are UTF-8 (they are: every piece is a `str`).
    pub(super) fn render_template_bytes<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        self.render_bytes(
            template,
            &self.template_context(template, context)?,
            size_hint,
        )
    }

    /// What `template` writes with `context`, into a buffer of `size_hint` bytes.
    pub(super) fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut bytes = Vec::with_capacity(size_hint);
        self.theme
            .tera
            .render_to(template, context, &mut bytes)
            .map_err(|e| self.theme.template_error(&e, template))?;
        Ok(bytes)
    }
}

/// What a template wrote, as a string. The bytes are checked a block at a time:
/// `String::from_utf8` checks a byte at a time, slow on Chinese text (1% of a
/// build, for the tables and pages rendered to strings).
fn utf8_string(bytes: Vec<u8>) -> String {
    match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: the bytes were checked to be UTF-8 just above.
        Ok(_) => unsafe { String::from_utf8_unchecked(bytes) },
        // Templates write `str` pieces only; kept whole should that ever change.
        Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::utf8_string;

    #[test]
    fn template_bytes_come_back_as_text() {
        assert_eq!(utf8_string("话术表".as_bytes().to_vec()), "话术表");
        // Cut inside a character: kept whole, the broken end replaced.
        let cut = "话术".as_bytes()[..4].to_vec();
        assert_eq!(utf8_string(cut), "话\u{FFFD}");
    }
}
