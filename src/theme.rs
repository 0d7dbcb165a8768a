//! Themes: the default theme compiled into the binary, overlaid file by file with a site's
//! own `themes/<name>/` folder. Pure: gets the site's theme files from `load`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::load::ThemeFiles;

const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "page.html",
        include_str!("../themes/default/templates/page.html"),
    ),
    (
        "section.html",
        include_str!("../themes/default/templates/section.html"),
    ),
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
];

/// A template's text and the path it is reported under.
#[derive(Debug, Clone)]
pub struct Template {
    pub source: String,
    pub path: PathBuf,
}

/// The theme a site is rendered with.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, Template>,
    pub statics: BTreeMap<PathBuf, Vec<u8>>,
}

impl Theme {
    /// The stylesheet, for pages that cannot link to it (404.html is served at any depth).
    pub fn stylesheet(&self) -> String {
        self.statics
            .get(&PathBuf::from("style.css"))
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }
}

/// The default theme with the site's own files laid over it.
pub fn assemble(site_files: Option<&ThemeFiles>) -> Theme {
    let mut theme = Theme::default();
    for (name, source) in DEFAULT_TEMPLATES {
        theme.templates.insert(
            (*name).to_string(),
            Template {
                source: (*source).to_string(),
                path: PathBuf::from("themes/default/templates").join(name),
            },
        );
    }
    for (name, bytes) in DEFAULT_STATIC {
        theme.statics.insert(PathBuf::from(name), bytes.to_vec());
    }
    if let Some(files) = site_files {
        for (name, file) in &files.templates {
            theme.templates.insert(
                name.clone(),
                Template {
                    source: file.text.clone(),
                    path: file.path.clone(),
                },
            );
        }
        for (path, bytes) in &files.statics {
            theme.statics.insert(path.clone(), bytes.clone());
        }
    }
    theme
}
