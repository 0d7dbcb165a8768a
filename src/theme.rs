//! Themes: the default theme compiled into the binary, overlaid file by file with a site's
//! own `themes/<name>/` folder. Pure: gets the site's theme files from `load`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::load::ThemeFiles;

/// A file of the default theme, compiled in.
macro_rules! embed {
    ($kind:literal, $name:literal, $how:ident) => {
        (
            $name,
            $how!(concat!("../themes/default/", $kind, "/", $name)),
        )
    };
}

const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    embed!("templates", "404.html", include_str),
    embed!("templates", "accessibility.html", include_str),
    embed!("templates", "base.html", include_str),
    embed!("templates", "gri_index.html", include_str),
    embed!("templates", "index.html", include_str),
    embed!("templates", "key_figures.html", include_str),
    embed!("templates", "page.html", include_str),
    embed!("templates", "previous_reports.html", include_str),
    embed!("templates", "print.html", include_str),
    embed!("templates", "search.html", include_str),
    embed!("templates", "sdg.html", include_str),
    embed!("templates", "section.html", include_str),
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    embed!("static", "favicon.svg", include_bytes),
    embed!("static", "search.js", include_bytes),
    embed!("static", "style.css", include_bytes),
];

/// Whether a static file is the built-in theme's `search.js`, unchanged.
pub fn is_builtin_search_script(path: &std::path::Path, bytes: &[u8]) -> bool {
    path == std::path::Path::new("search.js") && DEFAULT_STATIC.contains(&("search.js", bytes))
}

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
