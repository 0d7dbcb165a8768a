//! Every word that depends on the site language: numbers written the Swedish or English
//! way, small numbers in words, the theme's interface texts, the key-figure table headings,
//! the names of the UN goals and the fallback heading id. Pure functions and tables; uses
//! nothing from the crate.

use serde::Serialize;

/// The languages a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "sv")]
    Sv,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The Open Graph locale: `sv_SE`, `en_GB`.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::Sv => "sv_SE",
            Lang::En => "en_GB",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl Lang {
    /// The language's name in itself, for the language switch: `Svenska`, `English`.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::En => "English",
        }
    }
}

/// The note on each page of a frozen edition: which year's report it is.
pub fn frozen_note(year: i64, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("Det här är rapporten för {year}, som den publicerades."),
        Lang::En => format!("This is the report for {year}, as it was published."),
    }
}

/// The text of a page at this year's permanent address, `2024/…`, that leads to the page.
pub fn year_page(year: i64, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("Till den här sidan i rapporten för {year}"),
        Lang::En => format!("To this page of the report for {year}"),
    }
}

/// "Only in Swedish", written in `shown`, for a page in `lang` published in an edition
/// in another language.
pub fn only_in(lang: Lang, shown: Lang) -> &'static str {
    match (lang, shown) {
        (Lang::Sv, Lang::Sv) => "Endast på svenska",
        (Lang::Sv, Lang::En) => "Only in Swedish",
        (Lang::En, Lang::Sv) => "Endast på engelska",
        (Lang::En, Lang::En) => "Only in English",
    }
}

/// The language's name in English, for the build's messages: `Swedish`.
pub fn language_name_in_english(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "Swedish",
        Lang::En => "English",
    }
}

const NBSP: char = '\u{a0}';
const MINUS: char = '\u{2212}';

/// `value` in the language's format: `decimals` fixes the number of decimals shown,
/// otherwise the shortest form that reads back as the same number (the value as written).
pub fn format_number(value: f64, decimals: Option<u8>, lang: Lang) -> String {
    let digits = match decimals {
        // Half away from zero, as people round (Rust's formatting rounds half to even).
        Some(d) => {
            let scale = 10f64.powi(i32::from(d));
            let rounded = (value.abs() * scale).round() / scale;
            let shown = if rounded.is_finite() {
                rounded
            } else {
                value.abs()
            };
            format!("{:.*}", usize::from(d), shown)
        }
        None => format!("{}", value.abs()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let negative = value < 0.0 && digits.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let (group_from, group_sep, dec_sep, minus) = match lang {
        Lang::Sv => (5, NBSP, ',', MINUS),
        Lang::En => (4, ',', '.', '-'),
    };
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push(minus);
    }
    if int.len() >= group_from {
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group_sep);
            }
            out.push(c);
        }
    } else {
        out.push_str(int);
    }
    if !frac.is_empty() {
        out.push(dec_sep);
        out.push_str(frac);
    }
    out
}

/// Whole numbers from zero to twelve in words, as a writer would spell them in prose.
pub fn number_in_words(value: f64, lang: Lang) -> Option<&'static str> {
    const SV: [&str; 13] = [
        "noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva",
        "tolv",
    ];
    const EN: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    if value.fract() != 0.0 || !(0.0..=12.0).contains(&value) {
        return None;
    }
    let table = match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    };
    table.get(value as usize).copied()
}

/// The link from the home page to a section it shows only part of.
pub fn all_pages_in(count: usize, section: &str, lang: Lang) -> String {
    let n = format_number(count as f64, Some(0), lang);
    match lang {
        Lang::Sv => format!("Alla {n} sidor i {section}"),
        Lang::En => format!("All {n} pages in {section}"),
    }
}

/// The title of part `n` of `count` of a split key-figures page.
pub fn key_figure_part_title(n: usize, count: usize, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("Nyckeltal, del {n} av {count}"),
        Lang::En => format!("Key figures, part {n} of {count}"),
    }
}

/// How the key-figures page names a part: its number and its first and last programme.
pub fn key_figure_part_span(n: usize, first: &str, last: &str, lang: Lang) -> String {
    let part = match lang {
        Lang::Sv => "Del",
        Lang::En => "Part",
    };
    if first == last {
        format!("{part} {n}: {first}")
    } else {
        format!("{part} {n}: {first} – {last}")
    }
}

/// A formatted number followed by its unit, joined by a no-break space
/// (English writes `12%` without one).
pub fn with_unit(number: &str, unit: &str, lang: Lang) -> String {
    match (unit, lang) {
        ("", _) => number.to_string(),
        ("%", Lang::En) => format!("{number}%"),
        _ => format!("{number}{NBSP}{unit}"),
    }
}

/// The default theme's interface texts, in the site language.
#[derive(Debug, Clone, Serialize)]
pub struct Texts {
    pub skip_to_content: &'static str,
    pub home: &'static str,
    pub main_navigation: &'static str,
    pub breadcrumbs: &'static str,
    pub contents: &'static str,
    /// The label of the home page's band of headline figures.
    pub headline: &'static str,
    pub read_more: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub heading_link: &'static str,
    pub report_year: &'static str,
    pub partners: &'static str,
    pub sdg: &'static str,
    pub gri: &'static str,
    pub area: &'static str,
    pub footnotes: &'static str,
    pub key_figures: &'static str,
    /// The print page's link to the key figures, when it lists pages instead of texts.
    pub all_key_figures: &'static str,
    pub gri_index: &'static str,
    pub sdg_page: &'static str,
    pub open_data: &'static str,
    pub other_metrics: &'static str,
    pub gri_standard: &'static str,
    pub gri_disclosure: &'static str,
    pub gri_location: &'static str,
    pub gri_omission: &'static str,
    pub goal: &'static str,
    pub no_programmes: &'static str,
    pub print: &'static str,
    pub accessibility: &'static str,
    pub report_navigation: &'static str,
    pub in_section: &'static str,
    /// The label of the language switch.
    pub languages: &'static str,
    /// After the language's name in the switch, in that language, when the page has no
    /// translation into it and the link leads to that edition's home page.
    pub untranslated_switch: &'static str,
    /// The link from a frozen edition of an earlier year to the latest report.
    pub latest_report: &'static str,
    /// The page that lists this year's and earlier years' reports.
    pub previous_reports: &'static str,
    /// Beside this year's report in that list.
    pub current_report: &'static str,
    /// Before the links from a programme page to itself in earlier years' reports.
    pub earlier_reports: &'static str,
    /// The search page's title and the header's link to it.
    pub search: &'static str,
    /// The search field's visible label.
    pub search_label: &'static str,
    /// Under the search field: how to use it.
    pub search_hint: &'static str,
    /// The search page without JavaScript, before links to the listing and key figures.
    pub search_needs_js: &'static str,
    /// What the search page's script says, `{n}` and `{q}` filled in by it.
    pub search_one: &'static str,
    pub search_many: &'static str,
    pub search_none: &'static str,
    pub search_failed: &'static str,
    pub search_more: &'static str,
}

// Long on purpose: two tables of words, one per language, kept side by side.
pub fn texts(lang: Lang) -> Texts {
    match lang {
        Lang::Sv => Texts {
            skip_to_content: "Hoppa till innehållet",
            home: "Start",
            main_navigation: "Huvudmeny",
            breadcrumbs: "Du är här",
            contents: "Innehåll",
            headline: "Nyckeltal i korthet",
            read_more: "Läs mer",
            not_found_title: "Sidan finns inte",
            not_found_text: "Sidan du letar efter finns inte, eller har flyttats.",
            back_home: "Till startsidan",
            heading_link: "Länk till avsnittet",
            report_year: "Hållbarhetsredovisning",
            partners: "Samarbetspartner",
            sdg: "Globala mål",
            gri: "GRI-upplysningar",
            area: "Område",
            footnotes: "Fotnoter",
            key_figures: "Nyckeltal",
            all_key_figures: "Alla nyckeltal, i tabeller per program",
            gri_index: "GRI-index",
            sdg_page: "Globala målen",
            open_data: "Ladda ner siffrorna",
            other_metrics: "Övriga nyckeltal",
            gri_standard: "GRI-standard",
            gri_disclosure: "Upplysning",
            gri_location: "Var i rapporten",
            gri_omission: "Utelämnande",
            goal: "Mål",
            no_programmes: "Inga program anger mål i rapporten.",
            print: "Utskriftsversion",
            accessibility: "Tillgänglighet",
            report_navigation: "Om rapporten",
            in_section: "Fler i avsnittet",
            languages: "Språk",
            untranslated_switch: "startsidan (sidan finns inte på svenska)",
            latest_report: "Till den senaste rapporten",
            previous_reports: "Tidigare rapporter",
            current_report: "den här rapporten",
            earlier_reports: "Samma sida i tidigare rapporter:",
            search: "Sök",
            search_label: "Sök i rapporten",
            search_hint: "Träffarna visas medan du skriver. Pil ned går till träffarna, Esc tömmer fältet.",
            search_needs_js: "Sökningen behöver JavaScript, som inte är på i din webbläsare. Hela rapporten finns ändå här:",
            search_one: "1 träff för ”{q}”",
            search_many: "{n} träffar för ”{q}”",
            search_none: "Inga träffar för ”{q}”. Pröva ett annat ord.",
            search_failed: "Sökningen kunde inte laddas. Ladda om sidan för att försöka igen.",
            search_more: "Visa fler träffar",
        },
        Lang::En => Texts {
            skip_to_content: "Skip to content",
            home: "Home",
            main_navigation: "Main menu",
            breadcrumbs: "You are here",
            contents: "Contents",
            headline: "Key figures at a glance",
            read_more: "Read more",
            not_found_title: "Page not found",
            not_found_text: "The page you are looking for does not exist or has moved.",
            back_home: "Back to the home page",
            heading_link: "Link to this section",
            report_year: "Sustainability report",
            partners: "Partners",
            sdg: "Global goals",
            gri: "GRI disclosures",
            area: "Area",
            footnotes: "Footnotes",
            key_figures: "Key figures",
            all_key_figures: "All key figures, in tables by programme",
            gri_index: "GRI content index",
            sdg_page: "The global goals",
            open_data: "Download the figures",
            other_metrics: "Other key figures",
            gri_standard: "GRI Standard",
            gri_disclosure: "Disclosure",
            gri_location: "Location",
            gri_omission: "Omission",
            goal: "Goal",
            no_programmes: "No programme in the report names a goal.",
            print: "Print version",
            accessibility: "Accessibility",
            report_navigation: "About the report",
            in_section: "More in this section",
            languages: "Language",
            untranslated_switch: "home page (this page is not in English)",
            latest_report: "To the latest report",
            previous_reports: "Previous reports",
            current_report: "this report",
            earlier_reports: "This page in earlier reports:",
            search: "Search",
            search_label: "Search the report",
            search_hint: "Results appear as you type. Arrow down goes to the results, Esc clears the field.",
            search_needs_js: "Search needs JavaScript, which is not on in your browser. The whole report is still here:",
            search_one: "1 result for “{q}”",
            search_many: "{n} results for “{q}”",
            search_none: "No results for “{q}”. Try another word.",
            search_failed: "Search could not be loaded. Reload the page to try again.",
            search_more: "Show more results",
        },
    }
}

// --- Charts: the words of a chart's legend, description and data table (used by `chart`). ---

/// The words of a chart (its legend, description and data table), in the site language.
#[derive(Debug, Clone, Copy)]
pub struct ChartWords {
    /// The summary of the disclosure that holds the data table.
    pub show_table: &'static str,
    /// Legend and row header of a series' targets: "Mål".
    pub target: &'static str,
    /// The same inside a sentence: "mål".
    pub target_lower: &'static str,
    pub no_values: &'static str,
    /// "år 2019" / "in 2019".
    pub in_year: &'static str,
}

pub fn chart_words(lang: Lang) -> ChartWords {
    match lang {
        Lang::Sv => ChartWords {
            show_table: "Visa siffrorna som tabell",
            target: "Mål",
            target_lower: "mål",
            no_values: "inga värden",
            in_year: "år",
        },
        Lang::En => ChartWords {
            show_table: "Show the figures as a table",
            target: "Target",
            target_lower: "target",
            no_values: "no values",
            in_year: "in",
        },
    }
}

// --- Key figures: table headings, notes, changes and targets (used by `figures`). ---

/// The words of key figures: a table's column headings, its notes, a change in
/// percentage points and how a value stands against its target.
pub struct FigureWords {
    pub metric: &'static str,
    pub unit: &'static str,
    pub change: &'static str,
    pub target: &'static str,
    /// Before a metric's source: "Källa".
    pub source: &'static str,
    /// What a screen reader reads before a note's number on a row: "not 1".
    pub note_mark: &'static str,
    /// The name of a table's list of notes.
    pub notes: &'static str,
    /// The unit of a change of a metric in `%`, for 1 and for other numbers.
    pub point: &'static str,
    pub points: &'static str,
    pub on_track: &'static str,
    pub behind: &'static str,
    pub reached: &'static str,
}

pub fn figure_words(lang: Lang) -> FigureWords {
    match lang {
        Lang::Sv => FigureWords {
            metric: "Nyckeltal",
            unit: "Enhet",
            change: "Förändring",
            target: "Mål",
            source: "Källa",
            note_mark: "not",
            notes: "Källor och noter",
            point: "procentenhet",
            points: "procentenheter",
            on_track: "I fas",
            behind: "Efter plan",
            reached: "Nått",
        },
        Lang::En => FigureWords {
            metric: "Metric",
            unit: "Unit",
            change: "Change",
            target: "Target",
            source: "Source",
            note_mark: "note",
            notes: "Sources and notes",
            point: "percentage point",
            points: "percentage points",
            on_track: "On track",
            behind: "Behind",
            reached: "Reached",
        },
    }
}

// --- The key-figures workbook: its other column headings (used by `report`). ---

/// The column headings of the workbook that the key-figure tables do not have.
pub struct SheetWords {
    pub id: &'static str,
    pub program: &'static str,
    pub source: &'static str,
    pub note: &'static str,
}

pub fn sheet_words(lang: Lang) -> SheetWords {
    match lang {
        Lang::Sv => SheetWords {
            id: "Id",
            program: "Program",
            source: "Källa",
            note: "Kommentar",
        },
        Lang::En => SheetWords {
            id: "Id",
            program: "Programme",
            source: "Source",
            note: "Note",
        },
    }
}

// --- The UN sustainable development goals (used by `report`). ---

/// The official short names of the 17 UN sustainable development goals.
pub fn sdg_name(goal: u8, lang: Lang) -> &'static str {
    const SV: [&str; 17] = [
        "Ingen fattigdom",
        "Ingen hunger",
        "Hälsa och välbefinnande",
        "God utbildning för alla",
        "Jämställdhet",
        "Rent vatten och sanitet för alla",
        "Hållbar energi för alla",
        "Anständiga arbetsvillkor och ekonomisk tillväxt",
        "Hållbar industri, innovationer och infrastruktur",
        "Minskad ojämlikhet",
        "Hållbara städer och samhällen",
        "Hållbar konsumtion och produktion",
        "Bekämpa klimatförändringarna",
        "Hav och marina resurser",
        "Ekosystem och biologisk mångfald",
        "Fredliga och inkluderande samhällen",
        "Genomförande och globalt partnerskap",
    ];
    const EN: [&str; 17] = [
        "No poverty",
        "Zero hunger",
        "Good health and well-being",
        "Quality education",
        "Gender equality",
        "Clean water and sanitation",
        "Affordable and clean energy",
        "Decent work and economic growth",
        "Industry, innovation and infrastructure",
        "Reduced inequalities",
        "Sustainable cities and communities",
        "Responsible consumption and production",
        "Climate action",
        "Life below water",
        "Life on land",
        "Peace, justice and strong institutions",
        "Partnerships for the goals",
    ];
    let table = match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    };
    usize::from(goal)
        .checked_sub(1)
        .and_then(|i| table.get(i))
        .copied()
        .unwrap_or("")
}

// --- Markdown: the heading id used when a heading has no text to make one from. ---

/// The id of a heading whose text gives no slug (`## 🎉`), before any `-1` suffix.
pub fn heading_id_fallback(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "avsnitt",
        Lang::En => "section",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv(v: f64, d: Option<u8>) -> String {
        format_number(v, d, Lang::Sv)
    }

    #[test]
    fn swedish_groups_five_digits_and_more() {
        assert_eq!(sv(1234.0, None), "1234");
        assert_eq!(sv(12345.0, None), "12\u{a0}345");
        assert_eq!(sv(1234567.0, None), "1\u{a0}234\u{a0}567");
        assert_eq!(sv(123456.5, Some(1)), "123\u{a0}456,5");
    }

    #[test]
    fn swedish_decimal_comma_and_minus() {
        assert_eq!(sv(99.5, None), "99,5");
        assert_eq!(sv(-0.5, None), "\u{2212}0,5");
        assert_eq!(sv(-12345.0, None), "\u{2212}12\u{a0}345");
        assert_eq!(sv(2.0, Some(2)), "2,00");
        assert_eq!(sv(17.0, None), "17");
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(sv(2.5, Some(0)), "3");
        assert_eq!(sv(3.5, Some(0)), "4");
        assert_eq!(sv(-2.5, Some(0)), "\u{2212}3");
        assert_eq!(sv(0.125, Some(2)), "0,13");
    }

    #[test]
    fn rounding_to_zero_drops_the_sign() {
        assert_eq!(sv(-0.004, Some(2)), "0,00");
        assert_eq!(sv(-0.0, None), "0");
    }

    #[test]
    fn english_format() {
        assert_eq!(format_number(1234.5, None, Lang::En), "1,234.5");
        assert_eq!(format_number(123.0, None, Lang::En), "123");
        assert_eq!(
            format_number(-1234567.25, Some(1), Lang::En),
            "-1,234,567.3"
        );
    }

    #[test]
    fn units() {
        assert_eq!(with_unit("99,5", "%", Lang::Sv), "99,5\u{a0}%");
        assert_eq!(with_unit("12", "%", Lang::En), "12%");
        assert_eq!(with_unit("17", "familjer", Lang::Sv), "17\u{a0}familjer");
        assert_eq!(with_unit("17", "", Lang::Sv), "17");
    }

    #[test]
    fn words() {
        assert_eq!(number_in_words(6.0, Lang::Sv), Some("sex"));
        assert_eq!(number_in_words(2.0, Lang::En), Some("two"));
        assert_eq!(number_in_words(13.0, Lang::Sv), None);
        assert_eq!(number_in_words(1.5, Lang::Sv), None);
        assert_eq!(number_in_words(-1.0, Lang::Sv), None);
    }

    #[test]
    fn sdg_names() {
        assert_eq!(sdg_name(3, Lang::Sv), "Hälsa och välbefinnande");
        assert_eq!(sdg_name(17, Lang::En), "Partnerships for the goals");
        assert_eq!(sdg_name(0, Lang::En), "");
    }

    #[test]
    fn heading_id_fallbacks() {
        assert_eq!(heading_id_fallback(Lang::Sv), "avsnitt");
        assert_eq!(heading_id_fallback(Lang::En), "section");
    }
}
