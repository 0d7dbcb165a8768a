//! Images: smaller versions of the raster images in `content/` (JPEG, PNG, WebP), made at
//! build time so that a phone does not load a 6 MB photo. Each image gets the widths of
//! [`WIDTHS`] that are narrower than it (never wider), in its own format and, for a PNG,
//! as (lossless) WebP, beside it (`bild.jpg` → `bild-480.jpg`; `plan.png` → `plan-480.png`,
//! `plan-480.webp`); a PNG at most 1600 px wide is also served as WebP at its own width. The Markdown image shows them with
//! `srcset` ([`versions`] says which there are, from the image's size alone, so a page
//! renders without waiting for them).
//!
//! Every version is the same bytes for the same source: the resizing and the encoders
//! are plain computation, with fixed settings. Made versions are kept in the site's cache
//! folder (`.hallbar-cache/images/`), named by a hash of the source's bytes and the width
//! and format ([`cache_name`]), so a rebuild does not resize again. The cache is read
//! through `load` ([`ImageCache`]) and written through `write`, after the build; this
//! module does no I/O. Uses the image crate, rayon and the diagnostics.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;

use crate::diag::{Diagnostic, Pos};
use crate::load::{Asset, ImageCache};

/// The widths made, in pixels, where the image is wider.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// Changes whenever the way versions are made changes, so old cached files are not used.
const CACHE_VERSION: &str = "v1";

/// JPEG quality of the smaller versions.
const JPEG_QUALITY: u8 = 82;

/// A source larger than this is worth a warning in `hallbar check`.
pub const LARGE_BYTES: usize = 1024 * 1024;

/// The raster formats read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The format a file name says, for the formats made smaller.
    pub fn of(rel: &str) -> Option<Format> {
        let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
}

/// What the page needs to know of an image: its size as shown (turned as its EXIF
/// orientation says) and format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// The raster images of `content/`, by path under it with `/`. An image whose header
/// cannot be read is not in it: it is published as it is, with a plain `<img>`.
#[derive(Debug, Default, Clone)]
pub struct Table(HashMap<String, Info>);

impl Table {
    pub fn of(assets: &[Asset]) -> Table {
        Table(
            assets
                .par_iter()
                .filter_map(|a| {
                    let rel = a.rel.to_string_lossy().replace('\\', "/");
                    let format = Format::of(&rel)?;
                    let (width, height) = dimensions(&a.bytes).ok()?;
                    Some((
                        rel,
                        Info {
                            width,
                            height,
                            format,
                        },
                    ))
                })
                .collect(),
        )
    }

    pub fn get(&self, rel: &str) -> Option<&Info> {
        self.0.get(rel)
    }
}

fn turns(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Width and height as shown, from the header alone.
fn dimensions(bytes: &[u8]) -> image::ImageResult<(u32, u32)> {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()?
        .into_decoder()?;
    let (w, h) = decoder.dimensions();
    let turned = decoder.orientation().is_ok_and(turns);
    Ok(if turned { (h, w) } else { (w, h) })
}

/// One file an image is served as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Under `content/` (and so in the output), with `/`.
    pub rel: String,
    pub width: u32,
    pub format: Format,
    /// The source file itself, not a made one.
    pub original: bool,
}

/// `program/bild.jpg` at 480 as WebP → `program/bild-480.webp`.
pub fn version_rel(rel: &str, width: u32, format: Format) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
    format!("{stem}-{width}.{}", format.ext())
}

/// Every file the image at `rel` is served as, narrowest first, in its own format and,
/// for a PNG, as WebP. The source itself is one of them when it is at most the widest
/// width.
pub fn versions(rel: &str, info: &Info) -> Vec<Version> {
    let widest = WIDTHS[WIDTHS.len() - 1];
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|&w| w < info.width).collect();
    if info.width <= widest {
        widths.push(info.width);
    }
    let mut formats = vec![info.format];
    // The image crate writes lossless WebP only: smaller than PNG, but two to four times
    // a JPEG of a photo, so a JPEG gets no WebP versions.
    if info.format == Format::Png {
        formats.push(Format::Webp);
    }
    let mut out = Vec::new();
    for format in formats {
        for &width in &widths {
            let original = width == info.width && format == info.format;
            out.push(Version {
                rel: if original {
                    rel.to_string()
                } else {
                    version_rel(rel, width, format)
                },
                width,
                format,
                original,
            });
        }
    }
    out
}

/// The height at `width`, keeping the proportions (at least 1 px).
pub fn height_at(info: &Info, width: u32) -> u32 {
    let h = u64::from(info.height) * u64::from(width) + u64::from(info.width) / 2;
    u32::try_from(h / u64::from(info.width.max(1)))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// The cached file of a version: the hash and length of the source bytes, the width
/// and the format. FNV-1a, written out here so that the names never change with the
/// compiler (a new name only means resizing once more).
pub fn cache_name(source: &[u8], width: u32, format: Format) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in source {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!(
        "{CACHE_VERSION}-{hash:016x}-{}-{width}.{}",
        source.len(),
        format.ext()
    )
}

/// The versions made for the output, and those made afresh, for the cache.
#[derive(Debug, Default)]
pub struct Made {
    /// By path under `content/` (and so in the output).
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// By [`cache_name`].
    pub fresh: Vec<(String, Vec<u8>)>,
}

/// Every version of every image in `table` that is not the source itself, from the
/// cache where it is there, else made. An image that cannot be decoded is an error at
/// its file (its page would name versions that do not exist).
pub fn make(assets: &[Asset], table: &Table, cache: &ImageCache) -> (Made, Vec<Diagnostic>) {
    let results: Vec<Result<Made, Diagnostic>> = assets
        .par_iter()
        .filter_map(|a| {
            let rel = a.rel.to_string_lossy().replace('\\', "/");
            let info = table.get(&rel)?;
            Some(make_one(&rel, &a.bytes, info, cache))
        })
        .collect();
    let mut made = Made::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(m) => {
                made.files.extend(m.files);
                made.fresh.extend(m.fresh);
            }
            Err(e) => errors.push(e),
        }
    }
    (made, errors)
}

fn make_one(rel: &str, bytes: &[u8], info: &Info, cache: &ImageCache) -> Result<Made, Diagnostic> {
    let wanted: Vec<(Version, String, Option<Vec<u8>>)> = versions(rel, info)
        .into_iter()
        .filter(|v| !v.original)
        .map(|v| {
            let name = cache_name(bytes, v.width, v.format);
            let cached = cache.get(&name);
            (v, name, cached)
        })
        .collect();
    let fail = |e: image::ImageError| {
        Diagnostic::error(
            Path::new("content").join(rel),
            Pos::START,
            format!("this image cannot be made smaller ({e}); save it again as JPEG, PNG or WebP"),
        )
    };
    // Decoded once, and only when a version is not in the cache.
    let image = if wanted.iter().any(|(_, _, cached)| cached.is_none()) {
        Some(decode(bytes).map_err(fail)?)
    } else {
        None
    };
    let mut made = Made::default();
    for (v, name, cached) in wanted {
        let out = match (cached, &image) {
            (Some(cached), _) => cached,
            (None, Some(image)) => {
                let fresh = resize(image, info, v.width, v.format).map_err(fail)?;
                made.fresh.push((name, fresh.clone()));
                fresh
            }
            (None, None) => continue,
        };
        made.files.push((PathBuf::from(&v.rel), out));
    }
    Ok(made)
}

/// The whole image, turned as its EXIF orientation says.
fn decode(bytes: &[u8]) -> image::ImageResult<DynamicImage> {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()?
        .into_decoder()?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// `image` at `width` (the same when it is that wide already), encoded as `format`.
fn resize(
    image: &DynamicImage,
    info: &Info,
    width: u32,
    format: Format,
) -> image::ImageResult<Vec<u8>> {
    let sized = if width == image.width() {
        image.clone()
    } else {
        image.resize_exact(width, height_at(info, width), FilterType::CatmullRom)
    };
    // Eight bits a channel; an alpha channel only where the source has one.
    let sized = if sized.color().has_alpha() {
        DynamicImage::ImageRgba8(sized.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(sized.to_rgb8())
    };
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(sized.to_rgb8());
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?;
        }
        Format::Png => sized.write_with_encoder(PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Best,
            PngFilter::Adaptive,
        ))?,
        Format::Webp => sized.write_with_encoder(WebPEncoder::new_lossless(&mut out))?,
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(width: u32, height: u32, format: Format) -> Info {
        Info {
            width,
            height,
            format,
        }
    }

    #[test]
    fn versions_are_never_wider_than_the_source() {
        let wide = versions("a/bild.jpg", &info(2400, 1600, Format::Jpeg));
        let rels: Vec<&str> = wide.iter().map(|v| v.rel.as_str()).collect();
        assert_eq!(
            rels,
            ["a/bild-480.jpg", "a/bild-960.jpg", "a/bild-1600.jpg"]
        );
        let wide = versions("a/plan.png", &info(1700, 100, Format::Png));
        let rels: Vec<&str> = wide.iter().map(|v| v.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "a/plan-480.png",
                "a/plan-960.png",
                "a/plan-1600.png",
                "a/plan-480.webp",
                "a/plan-960.webp",
                "a/plan-1600.webp"
            ]
        );
        let small = versions("b.png", &info(600, 400, Format::Png));
        let rels: Vec<(&str, u32)> = small.iter().map(|v| (v.rel.as_str(), v.width)).collect();
        assert_eq!(
            rels,
            [
                ("b-480.png", 480),
                ("b.png", 600),
                ("b-480.webp", 480),
                ("b-600.webp", 600)
            ]
        );
        assert!(small[1].original);
        let webp = versions("c.webp", &info(300, 200, Format::Webp));
        assert_eq!(webp.len(), 1);
        assert!(webp[0].original);
        assert_eq!(height_at(&info(2400, 1600, Format::Jpeg), 480), 320);
    }

    #[test]
    fn resizing_gives_the_same_bytes_every_time() {
        let source = image::RgbImage::from_fn(700, 500, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
        });
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(source)
            .write_with_encoder(PngEncoder::new(&mut png))
            .unwrap();
        assert_eq!(dimensions(&png).unwrap(), (700, 500));
        let image = decode(&png).unwrap();
        let i = info(700, 500, Format::Png);
        for format in [Format::Jpeg, Format::Png, Format::Webp] {
            let a = resize(&image, &i, 480, format).unwrap();
            let b = resize(&decode(&png).unwrap(), &i, 480, format).unwrap();
            assert_eq!(a, b, "{format:?}");
            let back = image::load_from_memory(&a).unwrap();
            assert_eq!((back.width(), back.height()), (480, 343));
        }
        assert_ne!(
            cache_name(&png, 480, Format::Webp),
            cache_name(&png[1..], 480, Format::Webp)
        );
    }
}
