//! Site settings: `site.yaml` as written (unknown keys refused) resolved into a validated
//! [`Config`]. Pure: gets the file's text from `load`.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostics, Pos};
use crate::i18n::{self, Lang};
use crate::load::SourceFile;
use crate::yaml::{self, Block};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<String>,
    language: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    organisation: Option<String>,
    description: Option<String>,
    report_year: Option<i64>,
    extra: Option<Spanned<serde_json::Value>>,
}

/// The validated settings of a site.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub lang: Lang,
    /// Absolute, ending in `/`; only used for sitemap.xml and canonical links.
    pub base_url: Option<String>,
    pub theme: String,
    /// Where `theme` was set, for messages about it.
    pub theme_pos: Pos,
    pub organisation: Option<String>,
    pub description: Option<String>,
    pub report_year: Option<i64>,
    pub extra: serde_json::Value,
}

/// Settings given on the command line, which win over `site.yaml`.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub base_url: Option<String>,
}

pub fn resolve(
    file: Option<&SourceFile>,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Config {
    let path = Path::new("site.yaml");
    let block = Block {
        path,
        first_line: 1,
        key_noun: "setting",
    };
    let raw: Raw = match file {
        Some(f) if !f.text.trim().is_empty() => match yaml::parse(&f.text, block) {
            Ok(raw) => raw,
            Err(d) => {
                diags.push(d);
                Raw::default()
            }
        },
        _ => Raw::default(),
    };
    let lang = match &raw.language {
        None => Lang::Sv,
        Some(l) => Lang::parse(l.value.trim()).unwrap_or_else(|| {
            diags.push(block.error(
                &l.referenced,
                format!(
                    "unknown language `{}`; write `sv` (Swedish) or `en` (English)",
                    l.value
                ),
            ));
            Lang::Sv
        }),
    };
    let base_url = match overrides.base_url.as_deref() {
        Some(cli) => check_base_url(cli)
            .map_err(|m| diags.error(Path::new("--base-url"), Pos::START, m))
            .ok(),
        None => raw.base_url.as_ref().and_then(|b| {
            check_base_url(&b.value)
                .map_err(|m| diags.push(block.error(&b.referenced, m)))
                .ok()
        }),
    };
    let theme_pos = raw
        .theme
        .as_ref()
        .map_or(Pos::START, |t| block.pos(&t.referenced));
    let theme = match &raw.theme {
        None => "default".to_string(),
        Some(t) => {
            let ok = !t.value.is_empty()
                && t.value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                diags.push(block.error(
                    &t.referenced,
                    format!(
                        "theme `{}` is not a folder name; use letters, digits, - and _ (the folder under themes/)",
                        t.value
                    ),
                ));
            }
            t.value.clone()
        }
    };
    let extra = match raw.extra {
        None => serde_json::Value::Object(Default::default()),
        Some(e) if e.value.is_object() => e.value,
        Some(e) => {
            diags.push(block.error(&e.referenced, "`extra` must be a map of `key: value` lines"));
            serde_json::Value::Object(Default::default())
        }
    };
    Config {
        title: raw
            .title
            .unwrap_or_else(|| i18n::texts(lang).report_year.to_string()),
        lang,
        base_url,
        theme,
        theme_pos,
        organisation: raw.organisation,
        description: raw.description,
        report_year: raw.report_year,
        extra,
    }
}

fn check_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("base_url `{url}` must start with https:// or http://, e.g. https://www.mimer.nu/hallbarhet/")
        })?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(format!("base_url `{url}` is not a web address"));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn run(text: &str) -> (Config, Vec<String>) {
        let f = SourceFile {
            path: PathBuf::from("site.yaml"),
            text: text.into(),
        };
        let mut d = Diagnostics::default();
        let c = resolve(Some(&f), &Overrides::default(), &mut d);
        (c, d.into_sorted().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn defaults_and_values() {
        let (c, e) = run("title: R\nlanguage: en\nbase_url: https://x.se/r\n");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(c.lang, Lang::En);
        assert_eq!(c.base_url.as_deref(), Some("https://x.se/r/"));
        assert_eq!(c.theme, "default");
    }

    #[test]
    fn errors_are_located() {
        let (_, e) = run("title: R\nlanguage: fi\n");
        assert_eq!(
            e,
            vec![
                "site.yaml:2:11: error: unknown language `fi`; write `sv` (Swedish) or `en` (English)"
            ]
        );
        let (_, e) = run("titel: R\n");
        assert_eq!(
            e,
            vec!["site.yaml:1:1: error: unknown setting `titel`; did you mean `title`?"]
        );
    }
}
