//! The key figures as an Excel workbook (`data/metrics.xlsx`), for people whose Excel
//! reads a CSV file's decimal points as text (Swedish Excel does). One sheet, one row per
//! metric: id, label, unit, one column per year with the values as numbers (shown with
//! the metric's decimals; Excel writes them the reader's way, `1 234,5` in Swedish), one
//! column per target year, then programme, source and note. Built the same to the byte
//! every time: the zip entries carry a fixed date in rust_xlsxwriter, and the document's
//! creation date is fixed here ([`CREATED`]). Written row by row in rust_xlsxwriter's
//! constant-memory mode (rows go to a temporary file as they are written), because a
//! million metrics held as cells took 700 MB; so the column widths are measured here as
//! the cells are written, the way `autofit` measures them.

use std::collections::BTreeSet;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError, cell_autofit_width,
};

use crate::i18n;
use crate::metrics::{Metric, Years};
use crate::model::Site;

/// The most metrics one sheet holds: Excel's 1,048,576 rows less the heading row.
pub const XLSX_ROWS_MAX: usize = 1_048_575;

/// The longest text a cell holds, in UTF-16 units.
const CELL_TEXT_MAX: usize = 32_767;

/// The most decimals a number format shows for a metric without `decimals:`.
const DECIMALS_MAX: usize = 10;

/// The widest a column is made, in pixels, as `autofit` would with this limit.
const WIDTH_MAX: u32 = 300;

/// The extra width of a heading cell, for the autofilter's drop-down arrow.
const FILTER_ARROW: u32 = 16;

/// The document's creation date: the same fixed moment as the zip entries' (the DOS
/// epoch), so that nothing in the file depends on the day it was built.
const CREATED: (u16, u8, u8) = (1980, 1, 1);

/// The column of each year, values first and then targets.
struct Columns {
    values: Vec<i32>,
    targets: Vec<i32>,
}

impl Columns {
    fn of(site: &Site) -> Columns {
        let mut values = BTreeSet::new();
        let mut targets = BTreeSet::new();
        for m in site.metrics.values().take(XLSX_ROWS_MAX) {
            values.extend(m.values.keys().copied());
            targets.extend(m.target.keys().copied());
        }
        Columns {
            values: values.into_iter().collect(),
            targets: targets.into_iter().collect(),
        }
    }

    /// The first column after the fixed ones (id, label, unit).
    const FIRST_YEAR: u16 = 3;

    fn after_years(&self) -> u16 {
        Self::FIRST_YEAR + col(self.values.len() + self.targets.len())
    }
}

/// A column number; the years are at most 2 × 201 columns, far below Excel's 16,384.
fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// The workbook of every metric (the first [`XLSX_ROWS_MAX`] of them, in id order).
pub fn metrics_xlsx(site: &Site) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Level 1 instead of 6: a third of the time for a file a tenth larger (100,000 metrics:
    // 0.8 s and 3.3 MB at level 6), and readers' spreadsheets open either alike.
    book.set_zip_compression_level(1);
    let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(cell_text(&site.config.title))
            .set_creation_datetime(&created),
    );
    let texts = i18n::texts(site.config.lang);
    let columns = Columns::of(site);
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(texts.key_figures)?;
    let mut sheet = Fitted::new(sheet);
    headings(&mut sheet, site, &columns)?;
    let mut formats = NumberFormats::default();
    let mut rows = 0;
    for (row, m) in (1..).zip(site.metrics.values().take(XLSX_ROWS_MAX)) {
        metric_row(&mut sheet, site, &columns, &mut formats, row, m)?;
        rows = row;
    }
    let sheet = sheet.fit()?;
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofilter(0, 0, rows, columns.after_years() + 2)?;
    book.save_to_buffer()
}

/// A worksheet with the width of the widest cell written in each column so far.
struct Fitted<'a> {
    sheet: &'a mut Worksheet,
    widths: Vec<u32>,
}

impl<'a> Fitted<'a> {
    fn new(sheet: &'a mut Worksheet) -> Self {
        Fitted {
            sheet,
            widths: Vec::new(),
        }
    }

    fn widen(&mut self, c: u16, width: u32) {
        let c = usize::from(c);
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        if let Some(w) = self.widths.get_mut(c) {
            *w = (*w).max(width.min(WIDTH_MAX));
        }
    }

    fn text(&mut self, row: u32, c: u16, text: &str, f: Option<&Format>) -> Result<(), XlsxError> {
        let widest = text.lines().map(cell_autofit_width).max().unwrap_or(0);
        let arrow = if row == 0 { FILTER_ARROW } else { 0 };
        self.widen(c, widest + arrow);
        match f {
            Some(f) => self.sheet.write_string_with_format(row, c, text, f)?,
            None => self.sheet.write_string(row, c, text)?,
        };
        Ok(())
    }

    fn number(&mut self, row: u32, c: u16, v: f64, f: &Format) -> Result<(), XlsxError> {
        // As `autofit` measures a number: 7 pixels a character as Rust writes it, padded.
        let chars = u32::try_from(v.to_string().len()).unwrap_or(u32::MAX / 8);
        self.widen(c, 7 * chars + 7);
        self.sheet.write_number_with_format(row, c, v, f)?;
        Ok(())
    }

    /// The worksheet, with each column as wide as its widest cell.
    fn fit(self) -> Result<&'a mut Worksheet, XlsxError> {
        for (c, w) in (0..).zip(self.widths) {
            if w > 0 {
                self.sheet.set_column_autofit_width(c, w)?;
            }
        }
        Ok(self.sheet)
    }
}

fn headings(sheet: &mut Fitted, site: &Site, columns: &Columns) -> Result<(), XlsxError> {
    let lang = site.config.lang;
    let (figure, words) = (i18n::figure_words(lang), i18n::sheet_words(lang));
    let bold = Format::new().set_bold();
    let fixed = [words.id, figure.metric, figure.unit];
    let years = columns.values.iter().map(ToString::to_string);
    let targets = columns
        .targets
        .iter()
        .map(|y| format!("{} {y}", figure.target));
    let last = [words.program, words.source, words.note];
    let all = fixed
        .into_iter()
        .map(str::to_string)
        .chain(years)
        .chain(targets)
        .chain(last.into_iter().map(str::to_string));
    for (c, text) in (0..).zip(all) {
        sheet.text(0, c, &text, Some(&bold))?;
    }
    Ok(())
}

fn metric_row(
    sheet: &mut Fitted,
    site: &Site,
    columns: &Columns,
    formats: &mut NumberFormats,
    row: u32,
    m: &Metric,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, cell_text(&m.id), None)?;
    sheet.text(row, 1, cell_text(&m.label), None)?;
    sheet.text(row, 2, cell_text(&m.unit), None)?;
    let format = formats.get(m);
    let year_cells = [(&m.values, &columns.values), (&m.target, &columns.targets)];
    let mut first = Columns::FIRST_YEAR;
    for (years, cols) in year_cells {
        for (y, v) in years.iter() {
            if let Ok(i) = cols.binary_search(y) {
                sheet.number(row, first + col(i), *v, format)?;
            }
        }
        first += col(cols.len());
    }
    let program = m.program.as_ref().map(|(rel, _)| {
        site.page_by_rel(rel)
            .map_or(rel.as_str(), |p| p.meta.title.as_str())
    });
    let after = columns.after_years();
    let texts = [program, m.source.as_deref(), m.note.as_deref()];
    for (c, text) in (after..).zip(texts) {
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            sheet.text(row, c, cell_text(text), None)?;
        }
    }
    Ok(())
}

/// One number format for each count of decimals, made once: `#,##0` and `#,##0.0` to
/// `#,##0.0000000000`, which Excel shows with the reader's separators.
#[derive(Default)]
struct NumberFormats(Vec<Format>);

impl NumberFormats {
    fn get(&mut self, m: &Metric) -> &Format {
        if self.0.is_empty() {
            self.0 = (0..=DECIMALS_MAX)
                .map(|d| {
                    let frac = if d == 0 {
                        String::new()
                    } else {
                        format!(".{}", "0".repeat(d))
                    };
                    Format::new().set_num_format(format!("#,##0{frac}"))
                })
                .collect();
        }
        let d = m
            .decimals
            .map_or_else(|| written_decimals(m), usize::from)
            .min(DECIMALS_MAX);
        &self.0[d]
    }
}

/// The most decimals any of a metric's numbers is written with, for a metric without
/// `decimals:` (the site shows its numbers as written).
fn written_decimals(m: &Metric) -> usize {
    let decimals = |ys: &Years| {
        ys.values()
            .map(|v| v.to_string().split_once('.').map_or(0, |(_, f)| f.len()))
            .max()
            .unwrap_or(0)
    };
    decimals(&m.values).max(decimals(&m.target))
}

/// `text`, cut to what one cell holds.
fn cell_text(text: &str) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > CELL_TEXT_MAX {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_to_a_cell() {
        assert_eq!(cell_text("kort"), "kort");
        let long = "å".repeat(CELL_TEXT_MAX + 5);
        assert_eq!(cell_text(&long).chars().count(), CELL_TEXT_MAX);
        let wide = "😀".repeat(CELL_TEXT_MAX);
        assert_eq!(cell_text(&wide).chars().count(), CELL_TEXT_MAX / 2);
    }
}
