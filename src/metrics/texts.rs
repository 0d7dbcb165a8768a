//! The words of a metric (`label`, `unit`, `source`, `note`) as written: one text in the
//! site's language, or a map of texts by language (`label: {sv: Elever, en: Pupils}`) for
//! a site with editions in other languages. Checked here: the languages named must be
//! known and the site's own must be there.

use serde::Deserialize;

use crate::diag::{Diagnostics, Pos};
use crate::i18n::Lang;

/// A text as written: plain, or by language code in the order written.
#[derive(Debug, Clone)]
pub enum Localised {
    One(String),
    /// A plain scalar the YAML reader typed as a number or yes/no (`unit: 1.50`), as it
    /// prints it: the caller puts back the text as written where it can.
    Typed(String),
    ByLang(Vec<(String, String)>),
}

impl Localised {
    /// A typed scalar as written in `text` (the text the value was read from), where the
    /// position allows.
    pub fn into_written(self, at: &serde_saphyr::Location, text: Option<&str>) -> Localised {
        let Localised::Typed(typed) = self else {
            return self;
        };
        let span = at.span();
        let written = text
            .zip(span.byte_offset().zip(span.byte_len()))
            .and_then(|(t, (o, l))| {
                let start = usize::try_from(o).ok()?;
                t.get(start..start.checked_add(usize::try_from(l).ok()?)?)
            });
        Localised::One(written.map_or(typed, |w| w.trim().to_string()))
    }
}

impl<'de> Deserialize<'de> for Localised {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Localised;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or texts by language (`{sv: …, en: …}`)")
            }
            fn visit_str<E>(self, v: &str) -> Result<Localised, E> {
                Ok(Localised::One(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Localised, E> {
                Ok(Localised::One(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Localised, E> {
                Ok(Localised::Typed(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Localised, E> {
                Ok(Localised::Typed(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Localised, E> {
                Ok(Localised::Typed(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Localised, E> {
                Ok(Localised::Typed(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Localised, A::Error> {
                let mut texts = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    texts.push((k, v));
                }
                Ok(Localised::ByLang(texts))
            }
        }
        d.deserialize_any(V)
    }
}

/// A metric's words in one language other than the site's own, where given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Translation {
    pub lang: Lang,
    pub label: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// Which of a metric's words a text is.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    Label,
    Unit,
    Source,
    Note,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Label => "label",
            Field::Unit => "unit",
            Field::Source => "source",
            Field::Note => "note",
        }
    }
}

/// Splits `text` into the site language's text and the others, which go to
/// `translations`. An unknown language, or a map without the site's own, is an error at
/// `pos`.
pub fn split(
    text: Localised,
    field: Field,
    default: Lang,
    translations: &mut Vec<Translation>,
    at: (&std::path::Path, Pos),
    diags: &mut Diagnostics,
) -> Option<String> {
    let texts = match text {
        Localised::One(t) | Localised::Typed(t) => return Some(t),
        Localised::ByLang(texts) => texts,
    };
    let mut own = None;
    for (code, t) in texts {
        match Lang::parse(code.trim()) {
            Some(lang) if lang == default => own = Some(t),
            Some(lang) => {
                let i = match translations.iter().position(|x| x.lang == lang) {
                    Some(i) => i,
                    None => {
                        translations.push(Translation {
                            lang,
                            ..Translation::default()
                        });
                        translations.len() - 1
                    }
                };
                if let Some(x) = translations.get_mut(i) {
                    let slot = match field {
                        Field::Label => &mut x.label,
                        Field::Unit => &mut x.unit,
                        Field::Source => &mut x.source,
                        Field::Note => &mut x.note,
                    };
                    *slot = Some(t);
                }
            }
            None => diags.error(
                at.0,
                at.1,
                format!(
                    "`{}` names the language `{code}`; write `sv` (Swedish) or `en` (English)",
                    field.key()
                ),
            ),
        }
    }
    if own.is_none() {
        diags.error(
            at.0,
            at.1,
            format!(
                "`{0}` has no text in the site's language; add `{1}: …` to it, e.g. `{0}: {{{1}: …, {2}: …}}`",
                field.key(),
                default.code(),
                if default == Lang::En { "sv" } else { "en" }
            ),
        );
    }
    own
}
