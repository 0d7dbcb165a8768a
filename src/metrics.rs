//! Metrics: the report's figures, read from the YAML files under `content/` and checked
//! (ids, years, numbers, decimals, duplicates). Pure: gets the files' text from `load`;
//! uses the YAML reader and front matter's GRI-code check.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostics, Pos};
use crate::frontmatter::gri_codes;
use crate::i18n::Lang;
use crate::load::SourceFile;
use crate::yaml::{self, Block};
use values::{Number, decimals, years};

mod entries;
mod texts;
mod values;

pub use texts::Translation;
use texts::{Field, Localised};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    label: Option<Spanned<Localised>>,
    unit: Option<Spanned<Localised>>,
    values: Option<Spanned<BTreeMap<i64, Spanned<Number>>>>,
    target: Option<BTreeMap<i64, Spanned<Number>>>,
    program: Option<Spanned<String>>,
    source: Option<Spanned<Localised>>,
    decimals: Option<Spanned<i64>>,
    gri: Option<Vec<Spanned<String>>>,
    gri_omissions: Option<crate::gri::RawOmissions>,
    note: Option<Spanned<Localised>>,
}

/// Numbers by year, in year order: a map of a handful of entries, kept as a short list
/// (a site may have a million metrics).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Years(Vec<(i32, f64)>);

impl Years {
    pub fn get(&self, year: &i32) -> Option<&f64> {
        self.0
            .binary_search_by_key(year, |(y, _)| *y)
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&i32, &f64)> + Clone {
        self.0.iter().map(|(y, v)| (y, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &i32> + Clone {
        self.0.iter().map(|(y, _)| y)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &f64> + Clone {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(i32, f64)> for Years {
    /// Sorted by year; of two values for one year, the last one counts (as in a map).
    fn from_iter<I: IntoIterator<Item = (i32, f64)>>(iter: I) -> Self {
        let map: BTreeMap<i32, f64> = iter.into_iter().collect();
        let mut list: Vec<(i32, f64)> = map.into_iter().collect();
        list.shrink_to_fit();
        Years(list)
    }
}

impl<'a> IntoIterator for &'a Years {
    type Item = (&'a i32, &'a f64);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (i32, f64)>, fn(&(i32, f64)) -> (&i32, &f64)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(y, v)| (y, v))
    }
}

/// Every metric of the site, looked up by id like a map. The metrics stay in the lists
/// their files were read into, and an index of 8 bytes each keeps them in id order: no
/// second copy of each id, no tree's half-empty nodes, and no moving of a million
/// metrics into one list (a site may have that many).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    /// Each file's metrics, shared, so that a copy with one file read again is cheap.
    files: Vec<Arc<Vec<Metric>>>,
    /// The file each list came from.
    paths: Vec<Arc<Path>>,
    /// (file, position in it), sorted by id.
    order: Vec<(u32, u32)>,
    /// Metrics whose id an earlier one has, in id order.
    duplicates: Vec<(u32, u32)>,
}

impl Metrics {
    /// Sorts by id. Of metrics with one id, the first in file order is kept and the
    /// others are handed back.
    fn new(files: Vec<Vec<Metric>>, paths: Vec<Arc<Path>>) -> Metrics {
        let files: Vec<Arc<Vec<Metric>>> = files.into_iter().map(Arc::new).collect();
        let mut all: Vec<(u32, u32)> = files
            .iter()
            .enumerate()
            .flat_map(|(f, list)| (0..list.len()).map(move |i| (f as u32, i as u32)))
            .collect();
        let mut m = Metrics {
            files,
            paths,
            order: Vec::with_capacity(all.len()),
            duplicates: Vec::new(),
        };
        // Stable: among equal ids, file order stays, so the first defined comes first.
        all.sort_by(|a, b| m.at(*a).id.cmp(&m.at(*b).id));
        for k in all {
            match m.order.last() {
                Some(&first) if m.at(first).id == m.at(k).id => m.duplicates.push(k),
                _ => m.order.push(k),
            }
        }
        m.order.shrink_to_fit();
        m
    }

    /// The same metrics, each changed by `f` (which must keep its id): for an edition in
    /// another language.
    pub fn map(&self, f: impl Fn(&Metric) -> Metric + Sync) -> Metrics {
        use rayon::prelude::*;
        Metrics {
            files: self
                .files
                .iter()
                .map(|list| Arc::new(list.par_iter().map(&f).collect()))
                .collect(),
            ..self.clone()
        }
    }

    /// Metrics that came after another of the same id; they are not in the site.
    pub fn duplicates(&self) -> impl Iterator<Item = &Metric> {
        self.duplicates.iter().map(|&k| self.at(k))
    }

    fn at(&self, (file, i): (u32, u32)) -> &Metric {
        &self.files[file as usize][i as usize]
    }

    /// Where `id` is in id order: the metric's number, for marking it used.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.order
            .binary_search_by(|&k| self.at(k).id.as_str().cmp(id))
            .ok()
    }

    pub fn get(&self, id: &str) -> Option<&Metric> {
        self.position(id).map(|i| self.at(self.order[i]))
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.position(id).is_some()
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> + Clone {
        self.values().map(|m| &m.id)
    }

    /// In id order.
    pub fn values(&self) -> impl Iterator<Item = &Metric> + Clone {
        self.order.iter().map(|&k| self.at(k))
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// The same metrics with those of `file` (relative to the site root) read again, when
    /// the file still defines the same ids, in the same order, for the same pages: then
    /// every metric keeps its place. Also gives the places of the metrics that changed.
    /// `None` when anything else changed; the site must then be built again.
    pub fn with_file_read_again(
        &self,
        file: &Path,
        new: Vec<Metric>,
    ) -> Option<(Metrics, Vec<u32>)> {
        let k = self.paths.iter().position(|p| &**p == file)?;
        let old = self.files.get(k)?;
        let same_shape = old.len() == new.len()
            && old
                .iter()
                .zip(&new)
                .all(|(a, b)| a.id == b.id && program(a) == program(b));
        if !same_shape || self.duplicates.iter().any(|&(f, _)| f as usize == k) {
            return None;
        }
        let mut changed = Vec::new();
        for (a, b) in old.iter().zip(&new) {
            if a != b {
                changed.push(u32::try_from(self.position(&a.id)?).ok()?);
            }
        }
        let mut copy = self.clone();
        *copy.files.get_mut(k)? = Arc::new(new);
        Some((copy, changed))
    }
}

impl FromIterator<Metric> for Metrics {
    /// Sorted by id; of two metrics with one id, the first is kept.
    fn from_iter<I: IntoIterator<Item = Metric>>(iter: I) -> Self {
        Metrics::new(
            vec![iter.into_iter().collect()],
            vec![Arc::from(Path::new(""))],
        )
    }
}

/// The page a metric belongs to, wherever in its file that is written.
fn program(m: &Metric) -> Option<&str> {
    m.program.as_ref().map(|(p, _)| p.as_str())
}

/// One figure of the report, with its values by year.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub values: Years,
    pub target: Years,
    /// The page it belongs to, relative to `content/`, and where that was written.
    pub program: Option<(String, Pos)>,
    pub source: Option<String>,
    pub decimals: Option<u8>,
    pub gri: Vec<String>,
    /// What the metric leaves out of the disclosures in `gri` (`gri_omissions:`).
    pub gri_omissions: crate::gri::Omissions,
    pub note: Option<String>,
    /// The words in other languages, for a site with editions in them (`label: {sv: …,
    /// en: …}`); `None` for most metrics.
    pub translations: Option<Box<[Translation]>>,
    /// Where the metric is defined (shared by the metrics of one file).
    pub file: Arc<Path>,
    pub pos: Pos,
}

impl Metric {
    /// Its words in `lang`, where any are given.
    pub fn translation(&self, lang: Lang) -> Option<&Translation> {
        self.translations.as_ref()?.iter().find(|t| t.lang == lang)
    }

    /// The metric as the edition in `lang` shows it: its words in that language where
    /// they are given, the default language's otherwise.
    pub fn in_lang(&self, lang: Lang) -> Metric {
        let mut m = Metric {
            translations: None,
            ..self.clone()
        };
        let Some(t) = self.translation(lang) else {
            return m;
        };
        if let Some(l) = &t.label {
            m.label = l.clone();
        }
        if let Some(u) = &t.unit {
            m.unit = u.clone();
        }
        if t.source.is_some() {
            m.source = t.source.clone();
        }
        if t.note.is_some() {
            m.note = t.note.clone();
        }
        m
    }
}

impl Metric {
    /// The latest year and its value.
    pub fn latest(&self) -> Option<(i32, f64)> {
        self.values.iter().next_back().map(|(y, v)| (*y, *v))
    }

    /// The years with values, for messages: "2019, 2020".
    pub fn years_list(&self) -> String {
        let years: Vec<String> = self.values.keys().map(ToString::to_string).collect();
        years.join(", ")
    }
}

fn is_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Reads every metrics file; problems go to `diags`, good metrics are kept.
pub fn read(files: &[SourceFile], lang: Lang, diags: &mut Diagnostics) -> Metrics {
    use rayon::prelude::*;
    let parsed: Vec<(Vec<Metric>, Diagnostics)> = files
        .par_iter()
        .map(|file| {
            let mut d = Diagnostics::default();
            (read_file(file, lang, &mut d), d)
        })
        .collect();
    let mut lists = Vec::with_capacity(parsed.len());
    for (metrics, d) in parsed {
        diags.extend(d);
        lists.push(metrics);
    }
    let paths = files.iter().map(|f| Arc::from(f.path.as_path())).collect();
    let metrics = Metrics::new(lists, paths);
    for m in metrics.duplicates() {
        let first = metrics.get(&m.id).unwrap_or(m);
        diags.error(
            &m.file,
            m.pos,
            format!(
                "metric `{}` is already defined at {}:{}:{}; give one of them another id",
                m.id,
                first.file.to_string_lossy().replace('\\', "/"),
                first.pos.line,
                first.pos.col
            ),
        );
    }
    metrics
}

/// The metrics of one file, in the order they are written. A file that cannot be read
/// whole is read one metric at a time, so that a mistake in one metric is an error about
/// it alone: the file's other metrics are defined, and so is the broken one.
/// `lang` is the site's language: a text given by language must have it.
pub fn read_file(file: &SourceFile, lang: Lang, diags: &mut Diagnostics) -> Vec<Metric> {
    let block = Block {
        path: &file.path,
        first_line: 1,
        key_noun: "metric key",
    };
    if file.text.trim().is_empty() {
        return Vec::new();
    }
    let origin: Arc<Path> = Arc::from(file.path.as_path());
    let raw: HashMap<Spanned<String>, Spanned<Raw>> = match yaml::parse_once(&file.text, block) {
        Ok(r) => r,
        Err(whole) => {
            let (entries, errors) = entries::one_by_one(&file.path, &file.text, whole);
            diags.extend(errors.into_iter().collect());
            return entries
                .into_iter()
                .map(|e| {
                    let written = Written {
                        id: e.id,
                        pos: e.pos,
                        block: e.block,
                        broken: e.broken,
                        lang,
                        source: None,
                    };
                    metric(&origin, written, e.raw, diags)
                })
                .collect();
        }
    };
    // The order in the file, so messages come in reading order.
    let mut entries: Vec<_> = raw.into_iter().collect();
    entries.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    let mut metrics: Vec<Metric> = entries
        .into_iter()
        .map(|(id, raw)| {
            let written = Written {
                pos: block.pos(&id.referenced),
                id: id.value,
                block,
                broken: false,
                lang,
                source: Some(&file.text),
            };
            metric(&origin, written, raw.value, diags)
        })
        .collect();
    // Collected in the place of the parsed entries, which are twice the size: give the
    // rest back (a million metrics would otherwise hold 300 MB more).
    metrics.shrink_to_fit();
    metrics
}

/// Where a metric is written: its id, its place, the block read, and whether reading
/// it already found mistakes.
struct Written<'a> {
    id: String,
    pos: Pos,
    block: Block<'a>,
    broken: bool,
    /// The site's language.
    lang: Lang,
    /// The text the entry was read from, when positions in it are the reader's: for
    /// texts the reader typed as numbers, to keep them as written.
    source: Option<&'a str>,
}

/// One metric entry checked. Its errors go to `diags`, and the metric is kept all the
/// same, so that its uses are not errors too (the build fails on its errors anyway). A
/// metric whose reading found mistakes is not also said to lack its label or values:
/// they were most likely in what could not be read.
fn metric(origin: &Arc<Path>, w: Written, raw: Raw, diags: &mut Diagnostics) -> Metric {
    let Written {
        id,
        pos,
        block,
        broken,
        lang,
        source,
    } = w;
    let mut translations = Vec::new();
    let mut words = |text: Option<Spanned<Localised>>, field: Field, diags: &mut Diagnostics| {
        let text = text?;
        let at = (block.path, block.pos(&text.referenced));
        let value = text.value.into_written(&text.referenced, source);
        texts::split(value, field, lang, &mut translations, at, diags)
    };
    // A label by language without the site's own is one error, said by `words`.
    let label_written = raw.label.is_some();
    let label = words(raw.label, Field::Label, diags);
    let unit = words(raw.unit, Field::Unit, diags);
    let source = words(raw.source, Field::Source, diags);
    let note = words(raw.note, Field::Note, diags);
    if !is_id(&id) {
        diags.error(
            block.path,
            pos,
            format!("metric id `{id}` may only use a-z, 0-9, `.`, `_` and `-`, starting with a letter or digit, e.g. efg-familjer"),
        );
    }
    let label = match label {
        Some(l) if !l.trim().is_empty() => l,
        None if label_written => String::new(),
        _ if broken => String::new(),
        _ => {
            diags.error(
                block.path,
                pos,
                format!("metric `{id}` has no `label`; add e.g. `label: Deltagande familjer`"),
            );
            String::new()
        }
    };
    let values = match raw.values {
        Some(v) if !v.value.is_empty() => years(block, &id, "values", v.value, broken, diags),
        _ if broken => Years::default(),
        _ => {
            diags.error(
                block.path,
                pos,
                format!("metric `{id}` has no `values`; add e.g. `values: {{2020: 17}}`"),
            );
            Years::default()
        }
    };
    let target = years(
        block,
        &id,
        "target",
        raw.target.unwrap_or_default(),
        broken,
        diags,
    );
    let decimals = raw.decimals.and_then(|d| decimals(block, d, diags));
    let gri = gri_codes(block, raw.gri.unwrap_or_default(), diags);
    let gri_omissions = crate::gri::omissions(block, raw.gri_omissions, &gri, diags);
    let program = raw
        .program
        .map(|p| (p.value.trim().to_string(), block.pos(&p.referenced)));
    Metric {
        id,
        label,
        unit: unit.unwrap_or_default(),
        values,
        target,
        program,
        source,
        decimals,
        gri,
        gri_omissions,
        note,
        translations: (!translations.is_empty()).then(|| translations.into_boxed_slice()),
        file: Arc::clone(origin),
        pos,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn run(text: &str) -> (Metrics, Vec<String>) {
        let f = SourceFile {
            path: PathBuf::from("content/m.yaml"),
            text: text.into(),
        };
        let mut d = Diagnostics::default();
        let m = read(&[f], Lang::Sv, &mut d);
        (m, d.into_sorted().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn reads_a_metric() {
        let (m, e) = run(
            "efg-familjer:\n  label: Familjer\n  unit: familjer\n  values:\n    2019: 14\n    2020: 17\n",
        );
        assert!(e.is_empty(), "{e:?}");
        let f = m.get("efg-familjer").unwrap();
        assert_eq!(f.latest(), Some((2020, 17.0)));
        assert_eq!(f.years_list(), "2019, 2020");
        assert_eq!(f.pos, Pos::new(1, 1));
    }

    #[test]
    fn words_typed_as_numbers_stay_as_written() {
        let (m, e) = run("a:\n  label: 1e3\n  unit: 1.50\n  note: 0x10\n  values: {2020: 1}\n");
        assert!(e.is_empty(), "{e:?}");
        let a = m.get("a").unwrap();
        assert_eq!((a.label.as_str(), a.unit.as_str()), ("1e3", "1.50"));
        assert_eq!(a.note.as_deref(), Some("0x10"));
    }

    #[test]
    fn words_by_language() {
        let (m, e) = run(
            "a:\n  label: {sv: Elever, en: Pupils}\n  unit: {sv: elever, en: pupils}\n  note: Räknat per termin.\n  values: {2020: 1}\n",
        );
        assert!(e.is_empty(), "{e:?}");
        let a = m.get("a").unwrap();
        assert_eq!((a.label.as_str(), a.unit.as_str()), ("Elever", "elever"));
        let en = a.in_lang(Lang::En);
        assert!(a.translation(Lang::En).is_some_and(|t| t.label.is_some()));
        assert_eq!((en.label.as_str(), en.unit.as_str()), ("Pupils", "pupils"));
        // Not given in English: the Swedish note stays.
        assert_eq!(en.note.as_deref(), Some("Räknat per termin."));
        let (_, e) = run("a:\n  label: {en: Pupils, fi: Oppilaat}\n  values: {2020: 1}\n");
        assert_eq!(
            e,
            vec![
                "content/m.yaml:2:10: error: `label` has no text in the site's language; add `sv: …` to it, e.g. `label: {sv: …, en: …}`",
                "content/m.yaml:2:10: error: `label` names the language `fi`; write `sv` (Swedish) or `en` (English)",
            ]
        );
    }

    #[test]
    fn reports_bad_metrics_in_place() {
        let (m, e) = run(
            "Bad Id:\n  label: x\n  values: {2020: 1}\nb:\n  label: y\n  values: {1800: 1, 2020: .nan}\n  decimals: 9\n",
        );
        // Kept, so that their uses are not errors as well.
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("b").unwrap().values, Years::default());
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].starts_with("content/m.yaml:1:1: error: metric id `Bad Id`"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("content/m.yaml:6:18: error: 1800 in the values of `b` is not a year"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with(
                "content/m.yaml:6:27: error: 2020 in the values of `b` is not a number a report can show"
            ),
            "{e:?}"
        );
        assert!(
            e[3].starts_with("content/m.yaml:7:13: error: decimals"),
            "{e:?}"
        );
    }

    #[test]
    fn a_value_that_is_no_number_is_one_error_and_the_rest_is_read() {
        let (m, e) = run(
            "a:\n  label: A\n  values:\n    2023: 60\n    2024: 61,5\nb:\n  label: B\n  values: {2024: 1}\n",
        );
        assert_eq!(
            e,
            vec![
                "content/m.yaml:5:11: error: expected a number here; write decimals with a point, e.g. 99.5 (the site shows 99,5)"
            ]
        );
        assert_eq!(m.len(), 2);
        let a = m.get("a").unwrap();
        assert_eq!(a.values.get(&2023), Some(&60.0));
        assert_eq!(a.values.get(&2024), Some(&values::REFUSED));
    }

    #[test]
    fn duplicate_ids_name_both_places() {
        let a = SourceFile {
            path: "content/a.yaml".into(),
            text: "x:\n  label: a\n  values: {2020: 1}\n".into(),
        };
        let b = SourceFile {
            path: "content/b.yaml".into(),
            text: "\nx:\n  label: b\n  values: {2020: 2}\n".into(),
        };
        let mut d = Diagnostics::default();
        read(&[a, b], Lang::Sv, &mut d);
        let e: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            e,
            vec![
                "content/b.yaml:2:1: error: metric `x` is already defined at content/a.yaml:1:1; give one of them another id"
            ]
        );
    }

    #[test]
    fn a_metric_that_cannot_be_read_is_one_error_and_still_defined() {
        let (m, e) = run("a: 17\nb:\n  label: B\n  values: {2024: 1}\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("content/m.yaml:1:4: error: "), "{e:?}");
        assert!(m.contains_key("a") && m.contains_key("b"));
    }

    #[test]
    fn a_key_written_twice_is_one_error() {
        let (m, e) =
            run("a:\n  label: A\n  values: {2024: 1}\na:\n  label: B\n  values: {2024: 2}\n");
        assert_eq!(
            e,
            vec![
                "content/m.yaml:4:1: error: metric `a` is already defined at content/m.yaml:1:1; give one of them another id"
            ]
        );
        assert_eq!(m.get("a").unwrap().label, "A");
    }

    #[test]
    fn a_year_whose_value_cannot_be_read_is_still_a_year() {
        let (m, e) = run("a:\n  label: A\n  values:\n    2023: 1\n    2024: %\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("content/m.yaml:5:11: error: `%`"), "{e:?}");
        let a = m.get("a").unwrap();
        assert_eq!(a.values.get(&2024), Some(&values::REFUSED));
        assert_eq!(a.values.get(&2023), Some(&1.0));
    }

    #[test]
    fn an_anchor_of_an_earlier_metric_is_found_when_the_file_is_read_in_parts() {
        let (m, e) = run(
            "a:\n  label: A\n  values: &v {2024: 1}\nb:\n  label: B\n  values: *v\nc:\n  label: C\n  unit: %\n  values: {2024: 2}\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("content/m.yaml:9:9: error: `%`"), "{e:?}");
        assert_eq!(m.get("b").unwrap().values.get(&2024), Some(&1.0));
        assert_eq!(m.get("c").unwrap().values.get(&2024), Some(&2.0));
    }
}
