//! Images with smaller versions: a Markdown image whose file has them becomes a
//! `<picture>` (WebP first) around an `<img>` with `srcset`, `sizes`, `width`, `height`
//! and lazy loading, keeping its alt text and title. What versions there are is asked of
//! the caller ([`super::Links::image`]). Uses the HTML escape.

use crate::html::escape;

/// What a page shows of an image: its URLs relative to the page, by width.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The widest version in the image's own format, for browsers without `srcset`.
    pub src: String,
    /// Width and height of `src`, so the page keeps the image's place while it loads.
    pub width: u32,
    pub height: u32,
    /// Versions in the image's own format: (URL, width), narrowest first.
    pub own: Vec<(String, u32)>,
    /// WebP versions, when the image is not WebP itself.
    pub webp: Vec<(String, u32)>,
}

/// How wide an image is shown: the text column (`--measure`, 42rem) or the screen.
const SIZES: &str = "(min-width: 42rem) 42rem, 100vw";

fn srcset(versions: &[(String, u32)]) -> String {
    let parts: Vec<String> = versions
        .iter()
        .map(|(url, w)| format!("{} {w}w", escape(url)))
        .collect();
    parts.join(", ")
}

/// The HTML of the image. The first image of a text loads at once (it is likely in
/// view); the others when they come near.
pub fn html(p: &Picture, alt: &str, title: &str, first: bool) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(title))
    };
    let loading = if first { "" } else { " loading=\"lazy\"" };
    let img = format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\"{title}{loading} decoding=\"async\">",
        escape(&p.src),
        srcset(&p.own),
        p.width,
        p.height,
        escape(alt),
    );
    if p.webp.is_empty() {
        return img;
    }
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">{img}</picture>",
        srcset(&p.webp)
    )
}
