//! Site settings: `site.yaml` as written (unknown keys refused) resolved into a validated
//! [`Config`]. Pure: gets the file's text from `load`; uses the YAML reader, the colour
//! contrast checks and the language's default title.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::colour::{Rgb, contrast, tint_for};
use crate::diag::{Diagnostics, Pos};
use crate::frontmatter::At;
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
    accent: Option<Spanned<String>>,
    accent_dark: Option<Spanned<String>>,
    accessibility: Option<RawAccessibility>,
    gri: Option<RawGri>,
    logo: Option<Spanned<String>>,
    headline: Option<Vec<Spanned<String>>>,
    languages: Option<Spanned<std::collections::HashMap<Spanned<String>, Option<RawEdition>>>>,
    search: Option<bool>,
}

/// One entry of `languages:`, an edition in another language: the site texts that differ.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    title: Option<String>,
    description: Option<String>,
    organisation: Option<String>,
    untranslated: Option<Spanned<String>>,
    gri: Option<RawGri>,
    accessibility: Option<RawEditionAccessibility>,
}

/// An edition's `accessibility:`: the texts of the statement in its language (the status,
/// method, contact and date are the site's).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEditionAccessibility {
    gaps: Option<Vec<String>>,
}

/// `gri:`, how the report uses the GRI Standards.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGri {
    statement: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessibility {
    status: Option<Spanned<String>>,
    contact: Option<String>,
    assessed: Option<String>,
    method: Option<Spanned<String>>,
    gaps: Option<Vec<String>>,
}

/// How well the site meets the accessibility law (DOS-lagen), as its statement says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    Full,
    Partial,
    None,
}

/// The facts behind the accessibility statement.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Accessibility {
    pub status: Compliance,
    /// An e-mail address or web address for reporting problems.
    pub contact: Option<String>,
    pub contact_is_email: bool,
    pub assessed: Option<String>,
    /// `self` (the organisation's own assessment) or `external`.
    pub method: String,
    pub gaps: Vec<String>,
}

/// The theme's accent colour for light and dark mode.
#[derive(Debug, Clone)]
pub struct Accent {
    pub light: Rgb,
    pub dark: Rgb,
}

/// The backgrounds the default theme puts text on, light and dark (page and cards).
pub const LIGHT_BACKGROUNDS: [Rgb; 2] = [Rgb(0xff, 0xff, 0xff), Rgb(0xf3, 0xf6, 0xf4)];
pub const DARK_BACKGROUNDS: [Rgb; 2] = [Rgb(0x12, 0x16, 0x14), Rgb(0x1c, 0x23, 0x20)];

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
    /// `None` keeps the theme's own colours.
    pub accent: Option<Accent>,
    pub accessibility: Accessibility,
    /// The GRI statement of use (`gri: {statement: …}`), at the top of the GRI index.
    pub gri_statement: Option<String>,
    /// The organisation's logo: an image under `content/`, by its path there.
    pub logo: Option<At<String>>,
    /// The metrics of the home page's band of headline figures; empty: chosen from the
    /// programmes' key metrics.
    pub headline: Vec<At<String>>,
    /// The editions in other languages (`languages:`), in the order written; empty for a
    /// site in one language.
    pub editions: Vec<Edition>,
    /// The year of the edition being frozen (`hallbar archive`); `None` in a usual build.
    pub frozen: Option<i64>,
    /// Whether the site has search (`search: false` leaves it out): the search page, its
    /// link in the header, and the index in `pagefind/`.
    pub search: bool,
}

/// An edition of the site in another language than the default one, published under
/// `<code>/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    pub lang: Lang,
    pub title: Option<String>,
    pub description: Option<String>,
    pub organisation: Option<String>,
    pub untranslated: Untranslated,
    /// The GRI statement of use in the edition's language.
    pub gri_statement: Option<String>,
    /// The known accessibility problems in the edition's language.
    pub accessibility_gaps: Option<Vec<String>>,
}

/// What an edition does with a page that has no translation into its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Untranslated {
    /// The page is not in the edition (a note names it).
    #[default]
    LeaveOut,
    /// The default-language page is published in the edition, marked as such.
    Publish,
}

impl Config {
    /// The settings of the edition in `e`'s language: its texts where it gives them, its
    /// base URL under `<code>/`.
    pub fn for_edition(&self, e: &Edition) -> Config {
        Config {
            lang: e.lang,
            title: e
                .title
                .clone()
                .unwrap_or_else(|| i18n::texts(e.lang).report_year.to_string()),
            // Not the default language's: a description is read in the page's language.
            description: e.description.clone(),
            organisation: e.organisation.clone().or_else(|| self.organisation.clone()),
            gri_statement: e
                .gri_statement
                .clone()
                .or_else(|| self.gri_statement.clone()),
            accessibility: Accessibility {
                gaps: e
                    .accessibility_gaps
                    .clone()
                    .unwrap_or_else(|| self.accessibility.gaps.clone()),
                ..self.accessibility.clone()
            },
            base_url: self
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}/", e.lang.code())),
            ..self.clone()
        }
    }
}

/// Settings given on the command line, which win over `site.yaml`.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub base_url: Option<String>,
    /// Build the edition to freeze (`hallbar archive`): each page says which year's
    /// report it is and links to the latest.
    pub frozen: bool,
}

/// `site.yaml` (or no file: every default) and the command line, checked and resolved;
/// every problem is reported and a usable default put in its place.
pub fn resolve(
    file: Option<&SourceFile>,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Config {
    let block = Block {
        path: Path::new("site.yaml"),
        first_line: 1,
        key_noun: "setting",
    };
    let mut raw = read(file, block, diags);
    let lang = language(&raw, block, diags);
    let base_url = base_url(&raw, overrides, block, diags);
    let theme_pos = raw
        .theme
        .as_ref()
        .map_or(Pos::START, |t| block.pos(&t.referenced));
    let theme = theme(&raw, block, diags);
    let accent = accent(&raw, block, diags);
    let accessibility = accessibility(raw.accessibility.take().unwrap_or_default(), block, diags);
    let extra = extra(raw.extra, block, diags);
    let editions = editions(raw.languages.take(), lang, block, diags);
    let gri_statement = gri_statement(raw.gri.take(), block, diags);
    let at = |s: Spanned<String>| At {
        pos: block.pos(&s.referenced),
        value: s.value.trim().trim_start_matches("content/").to_string(),
    };
    let logo = raw.logo.take().map(at);
    let headline = raw
        .headline
        .take()
        .unwrap_or_default()
        .into_iter()
        .map(at)
        .collect();
    let frozen = overrides.frozen.then_some(raw.report_year).flatten();
    // A frozen edition is published under its year: so are its canonical addresses.
    let base_url = match frozen {
        Some(year) => base_url.map(|b| format!("{b}{year}/")),
        None => base_url,
    };
    Config {
        frozen,
        search: raw.search.unwrap_or(true),
        editions,
        gri_statement,
        logo,
        headline,
        accent,
        accessibility,
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

/// The settings as written; all defaults when there is no file, it is empty, or it
/// cannot be read (the error is reported).
fn read(file: Option<&SourceFile>, block: Block, diags: &mut Diagnostics) -> Raw {
    match file {
        Some(f) if !f.text.trim().is_empty() => match yaml::parse(&f.text, block) {
            Ok(raw) => raw,
            Err(all) => {
                diags.extend(all.into_iter().collect());
                Raw::default()
            }
        },
        _ => Raw::default(),
    }
}

/// `language:`, Swedish when it is missing or unknown.
fn language(raw: &Raw, block: Block, diags: &mut Diagnostics) -> Lang {
    match &raw.language {
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
    }
}

/// `languages:`, the editions besides the default language's, in the order written.
fn editions(
    raw: Option<Spanned<std::collections::HashMap<Spanned<String>, Option<RawEdition>>>>,
    default: Lang,
    block: Block,
    diags: &mut Diagnostics,
) -> Vec<Edition> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    let mut written: Vec<(Spanned<String>, RawEdition)> = raw
        .value
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    written.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    let mut editions = Vec::new();
    for (code, raw) in written {
        let Some(lang) = Lang::parse(code.value.trim()) else {
            let other = if default == Lang::En {
                "`sv` (Swedish)"
            } else {
                "`en` (English)"
            };
            diags.push(block.error(
                &code.referenced,
                format!(
                    "unknown language `{}` under `languages`; write {other}",
                    code.value
                ),
            ));
            continue;
        };
        if editions.iter().any(|e: &Edition| e.lang == lang) {
            diags.push(block.error(
                &code.referenced,
                format!(
                    "the language `{}` is listed twice under `languages`; keep one",
                    code.value.trim()
                ),
            ));
            continue;
        }
        if lang == default {
            diags.push(block.error(
                &code.referenced,
                format!(
                    "`{}` is the site's own language (`language: {}`); `languages` lists the other editions, so remove it here",
                    code.value,
                    default.code()
                ),
            ));
            continue;
        }
        let untranslated = match raw.untranslated.as_ref().map(|u| u.value.trim()) {
            None | Some("leave_out") => Untranslated::LeaveOut,
            Some("publish") => Untranslated::Publish,
            Some(other) => {
                if let Some(u) = &raw.untranslated {
                    diags.push(block.error(
                        &u.referenced,
                        format!(
                            "`untranslated: {other}` is not a choice; write `leave_out` (pages without a translation are not in this edition) or `publish` (they are, in the default language)"
                        ),
                    ));
                }
                Untranslated::LeaveOut
            }
        };
        editions.push(Edition {
            lang,
            title: raw.title,
            description: raw.description,
            organisation: raw.organisation,
            untranslated,
            gri_statement: gri_statement(raw.gri, block, diags),
            accessibility_gaps: raw.accessibility.and_then(|a| a.gaps),
        });
    }
    editions
}

/// `--base-url`, or else `base_url:`; `None` when neither is given or it is not valid.
fn base_url(
    raw: &Raw,
    overrides: &Overrides,
    block: Block,
    diags: &mut Diagnostics,
) -> Option<String> {
    match overrides.base_url.as_deref() {
        Some(cli) => check_base_url(cli)
            .map_err(|m| diags.error(Path::new("--base-url"), Pos::START, m))
            .ok(),
        None => raw.base_url.as_ref().and_then(|b| {
            check_base_url(&b.value)
                .map_err(|m| diags.push(block.error(&b.referenced, m)))
                .ok()
        }),
    }
}

/// `theme:`, the folder name under themes/ (`default` when not given).
fn theme(raw: &Raw, block: Block, diags: &mut Diagnostics) -> String {
    match &raw.theme {
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
    }
}

/// `extra:`, free values for the templates; it must be a map.
fn extra(
    extra: Option<Spanned<serde_json::Value>>,
    block: Block,
    diags: &mut Diagnostics,
) -> serde_json::Value {
    match extra {
        None => serde_json::Value::Object(Default::default()),
        Some(e) if e.value.is_object() => e.value,
        Some(e) => {
            diags.push(block.error(&e.referenced, "`extra` must be a map of `key: value` lines"));
            serde_json::Value::Object(Default::default())
        }
    }
}

/// The lowest contrast of `c` against any of `backgrounds`.
fn worst_contrast(c: Rgb, backgrounds: &[Rgb]) -> f64 {
    backgrounds
        .iter()
        .map(|b| contrast(c, *b))
        .fold(f64::INFINITY, f64::min)
}

fn accent(raw: &Raw, block: Block, diags: &mut Diagnostics) -> Option<Accent> {
    let parse = |s: &Spanned<String>, diags: &mut Diagnostics| {
        let c = Rgb::parse(&s.value);
        if c.is_none() {
            diags.push(block.error(
                &s.referenced,
                format!("`{}` is not a colour; write it as \"#0a6b50\"", s.value),
            ));
        }
        c
    };
    let light = parse(raw.accent.as_ref()?, diags)?;
    let ratio = worst_contrast(light, &LIGHT_BACKGROUNDS);
    if ratio < 4.5 {
        diags.push(block.error(
            &raw.accent.as_ref()?.referenced,
            format!(
                "the accent {} has a contrast of {ratio:.2}:1 against the light background; text needs at least 4.5:1 (WCAG 2.1 AA), so choose a darker colour",
                light.hex()
            ),
        ));
    }
    let dark = match &raw.accent_dark {
        Some(s) => {
            let dark = parse(s, diags)?;
            let ratio = worst_contrast(dark, &DARK_BACKGROUNDS);
            if ratio < 4.5 {
                diags.push(block.error(
                    &s.referenced,
                    format!(
                        "accent_dark {} has a contrast of {ratio:.2}:1 against the dark background; text needs at least 4.5:1 (WCAG 2.1 AA), so choose a lighter colour",
                        dark.hex()
                    ),
                ));
            }
            dark
        }
        // The least lightened accent that reads on every dark background.
        None => {
            let darkest = DARK_BACKGROUNDS
                .iter()
                .copied()
                .max_by(|a, b| a.luminance().total_cmp(&b.luminance()))
                .unwrap_or(Rgb(0, 0, 0));
            tint_for(light, darkest, 4.6)
        }
    };
    Some(Accent { light, dark })
}

fn accessibility(raw: RawAccessibility, block: Block, diags: &mut Diagnostics) -> Accessibility {
    let status = match raw.status.as_ref().map(|s| s.value.as_str()) {
        None | Some("partial") => Compliance::Partial,
        Some("full") => Compliance::Full,
        Some("none") => Compliance::None,
        Some(other) => {
            if let Some(s) = &raw.status {
                diags.push(block.error(
                    &s.referenced,
                    format!("unknown accessibility status `{other}`; write full, partial or none"),
                ));
            }
            Compliance::Partial
        }
    };
    let method = match raw.method.as_ref().map(|s| s.value.as_str()) {
        None | Some("self") => "self",
        Some("external") => "external",
        Some(other) => {
            if let Some(s) = &raw.method {
                diags.push(block.error(
                    &s.referenced,
                    format!("unknown accessibility method `{other}`; write self (your own assessment) or external"),
                ));
            }
            "self"
        }
    };
    let contact = raw
        .contact
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if let Some(c) = &contact {
        let spaced = c.contains(char::is_whitespace);
        let email = c.contains('@') && !spaced && !c.contains("://");
        let web = (c.starts_with("https://") || c.starts_with("http://")) && !spaced;
        if !email && !web {
            diags.push(block.error(
                &Location::UNKNOWN,
                format!("accessibility contact `{c}` is neither an e-mail address nor a web address; write e.g. tillganglighet@example.se or https://www.example.se/kontakt/"),
            ));
        }
    }
    Accessibility {
        status,
        contact_is_email: contact
            .as_ref()
            .is_some_and(|c| c.contains('@') && !c.contains("://")),
        contact,
        assessed: raw.assessed,
        method: method.to_string(),
        gaps: raw.gaps.unwrap_or_default(),
    }
}

/// `gri: {statement: …}`: one or more sentences; an empty one is an error.
fn gri_statement(raw: Option<RawGri>, block: Block, diags: &mut Diagnostics) -> Option<String> {
    let s = raw?.statement?;
    let text = s.value.trim();
    if text.is_empty() {
        diags.push(block.error(
            &s.referenced,
            "the GRI statement of use is empty; write e.g. `statement: \"Mimer har rapporterat enligt GRI Standards för perioden 2020-01-01–2020-12-31.\"` or remove `gri:`",
        ));
        return None;
    }
    Some(text.to_string())
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
        assert_eq!(c.gri_statement, None);
        let (c, e) = run("gri:\n  statement: Mimer har rapporterat enligt GRI Standards.\n");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            c.gri_statement.as_deref(),
            Some("Mimer har rapporterat enligt GRI Standards.")
        );
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
        let (_, e) = run("gri:\n  statment: x\n");
        assert_eq!(
            e,
            vec!["site.yaml:2:3: error: unknown setting `statment`; did you mean `statement`?"]
        );
        let (_, e) = run("gri: {statement: \" \"}\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("site.yaml:1:18: error: the GRI statement of use is empty"));
        let (c, e) =
            run("languages:\n  fi: {title: R}\n  sv: {}\n  en:\n    untranslated: maybe\n");
        assert_eq!(
            e,
            vec![
                "site.yaml:2:3: error: unknown language `fi` under `languages`; write `en` (English)",
                "site.yaml:3:3: error: `sv` is the site's own language (`language: sv`); `languages` lists the other editions, so remove it here",
                "site.yaml:5:19: error: `untranslated: maybe` is not a choice; write `leave_out` (pages without a translation are not in this edition) or `publish` (they are, in the default language)",
            ]
        );
        assert_eq!(c.editions.len(), 1);
        let (c, e) = run(
            "base_url: https://x.se/r\nlanguages:\n  en: {title: Report, untranslated: publish}\n",
        );
        assert!(e.is_empty(), "{e:?}");
        let en = c.for_edition(&c.editions[0]);
        assert_eq!((en.lang, en.title.as_str()), (Lang::En, "Report"));
        assert_eq!(en.base_url.as_deref(), Some("https://x.se/r/en/"));
        assert_eq!(c.editions[0].untranslated, Untranslated::Publish);
        let (c, e) = run("languages:\n  en: {}\n  \"en \": {}\n");
        assert_eq!(
            e,
            vec![
                "site.yaml:3:3: error: the language `en` is listed twice under `languages`; keep one"
            ]
        );
        assert_eq!(c.editions.len(), 1);
        let (_, e) = run("titel: R\n");
        assert_eq!(
            e,
            vec!["site.yaml:1:1: error: unknown setting `titel`; did you mean `title`?"]
        );
    }
}
