//! The charts' test data: owned series to borrow `Series` from, and the sample charts
//! that the snapshots hold. Tests only.

use super::{Kind, Series, render};
use crate::i18n::Lang;
use crate::metrics::Years;

fn map(pairs: &[(i32, f64)]) -> Years {
    pairs.iter().copied().collect()
}

/// A series' data, owned, to borrow `Series` from.
pub struct Data {
    pub label: &'static str,
    pub unit: &'static str,
    pub decimals: Option<u8>,
    pub values: Years,
    pub target: Years,
}

pub fn data(label: &'static str, unit: &'static str, values: &[(i32, f64)]) -> Data {
    Data {
        label,
        unit,
        decimals: None,
        values: map(values),
        target: Years::default(),
    }
}

impl Data {
    pub fn target(mut self, target: &[(i32, f64)]) -> Data {
        self.target = map(target);
        self
    }
    pub fn decimals(mut self, d: u8) -> Data {
        self.decimals = Some(d);
        self
    }
    pub fn series(&self) -> Series<'_> {
        Series {
            label: self.label,
            unit: self.unit,
            decimals: self.decimals,
            values: &self.values,
            target: &self.target,
        }
    }
}

pub struct Case {
    pub name: &'static str,
    pub title: &'static str,
    pub kind: Kind,
    pub lang: Lang,
    pub data: Vec<Data>,
}

impl Case {
    pub fn html(&self) -> String {
        let series: Vec<Series> = self.data.iter().map(Data::series).collect();
        render(self.name, self.title, &series, self.kind, self.lang).html
    }
}

pub const FAMILJER: &str = "Deltagande familjer";

pub fn cases() -> Vec<Case> {
    let case = |name, title, kind, lang, data| Case {
        name,
        title,
        kind,
        lang,
        data,
    };
    let many: Vec<(i32, f64)> = (0..15)
        .map(|i| (2010 + i, f64::from(40 + (i * 37) % 50)))
        .collect();
    vec![
        case(
            "uneven-years",
            "Energianvändning per kvadratmeter",
            Kind::Bar,
            Lang::Sv,
            vec![
                data("Energi", "kWh/m²", &[(2022, 124.0), (2023, 121.5), (2024, 119.6)])
                    .target(&[(2030, 100.0)]),
            ],
        ),
        case(
            "one-year",
            FAMILJER,
            Kind::Bar,
            Lang::Sv,
            vec![data(FAMILJER, "familjer", &[(2023, 17.0)])],
        ),
        case(
            "many-years",
            "Andel elever med godkända betyg",
            Kind::Line,
            Lang::Sv,
            vec![data("Godkända betyg", "%", &many).target(&[(2024, 95.0)])],
        ),
        case(
            "missing-years",
            "Deltagare per år",
            Kind::Line,
            Lang::Sv,
            vec![
                data("Barn", "personer", &[(2018, 30.0), (2019, 34.0), (2021, 41.0), (2022, 45.0)]),
                data("Vuxna", "personer", &[(2019, 12.0), (2020, 15.0), (2022, 22.0)]),
            ],
        ),
        case(
            "zero",
            "Allvarliga arbetsplatsolyckor",
            Kind::Bar,
            Lang::Sv,
            vec![data("Olyckor", "st", &[(2021, 0.0), (2022, 0.0), (2023, 0.0)])],
        ),
        case(
            "negative",
            "Resultat efter finansiella poster",
            Kind::Bar,
            Lang::Sv,
            vec![
                data("Resultat", "mnkr", &[(2020, -3.2), (2021, 1.5), (2022, 12.0), (2023, 7.25)])
                    .decimals(1),
            ],
        ),
        case(
            "huge-outlier",
            "Besökare på webbplatsen",
            Kind::Bar,
            Lang::Sv,
            vec![data(
                "Besökare",
                "besök",
                &[(2020, 12.0), (2021, 15.0), (2022, 250_000.0), (2023, 9.0)],
            )],
        ),
        case(
            "long-swedish-label",
            "Andel deltagare som uppger förbättrad psykisk hälsa",
            Kind::Bar,
            Lang::Sv,
            vec![
                data(
                    "Andel deltagare som efter avslutat program i samverkan med regionens folkhälsoenhet och kommunernas socialtjänst uppger förbättrad psykisk hälsa och ökad livskvalitet",
                    "%",
                    &[(2021, 61.5), (2022, 64.0), (2023, 70.25)],
                )
                .target(&[(2023, 75.0)]),
            ],
        ),
        case(
            "two-series-bar",
            "Deltagande i En frisk generation",
            Kind::Bar,
            Lang::Sv,
            vec![
                data("Familjer", "personer", &[(2019, 14.0), (2020, 17.0), (2021, 19.0)])
                    .target(&[(2021, 20.0)]),
                data("Barn & unga", "personer", &[(2019, 31.0), (2020, 40.0), (2021, 38.0)]),
            ],
        ),
        case(
            "line-with-target",
            FAMILJER,
            Kind::Line,
            Lang::Sv,
            vec![
                data(FAMILJER, "familjer", &[(2019, 14.0), (2020, 17.0)])
                    .target(&[(2021, 20.0), (2022, 24.0)]),
            ],
        ),
        case(
            "english",
            "Participating families",
            Kind::Line,
            Lang::En,
            vec![
                data("Families", "families", &[(2019, 1400.0), (2020, 1725.5), (2021, -12.0)])
                    .target(&[(2021, 2000.0)]),
                data("New families (\"EFG+\")", "families", &[(2019, 310.0), (2020, 452.0)])
                    .target(&[(2020, 452.0), (2021, 600.0)]),
            ],
        ),
    ]
}
