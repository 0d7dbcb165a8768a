//! HTML and URL text: escaping for element content and attribute values, percent-encoding
//! of URL paths, and the one strict percent-decoder. A leaf: uses only the standard
//! library, nothing from the crate, so every other module may use it.

/// HTML-escapes text for element content and double-quoted (or single-quoted) attribute
/// values: `&`, `<`, `>`, `"` and `'`. The same escape serves both, so there is no
/// separate attribute escaper.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL path: letters, digits, `/` and the characters a path may hold
/// unencoded (`-._~!$&'()*+,;=:@`) are kept, every other byte becomes `%XX`.
pub fn percent_encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Strict percent-decoding: `None` when an escape is not `%` followed by two ASCII hex
/// digits (`%2`, `%zz`, `%+2`) or when the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex_digit(*bytes.get(i + 1)?)?;
            let low = hex_digit(*bytes.get(i + 2)?)?;
            out.push(high * 16 + low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value of one ASCII hex digit. (Not `u8::from_str_radix`, which takes a leading `+`.)
fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escape("<a href=\"x\">Barn & 'unga'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Barn &amp; &#39;unga&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("åäö"), "åäö");
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(
            percent_encode_path("Min rapport å.pdf"),
            "Min%20rapport%20%C3%A5.pdf"
        );
        assert_eq!(percent_encode_path("a/b-c_d~e.html"), "a/b-c_d~e.html");
        assert_eq!(percent_encode_path("50%"), "50%25");
    }

    #[test]
    fn decodes_well_formed_escapes() {
        assert_eq!(percent_decode("a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(percent_decode("a%2fb").as_deref(), Some("a/b"));
        assert_eq!(percent_decode("%C3%A5r").as_deref(), Some("år"));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_decode("").as_deref(), Some(""));
    }

    #[test]
    fn refuses_malformed_escapes() {
        for bad in [
            "%+2", "%2", "%", "%zz", "%2g", "%-1", "% 2", "%ff%fe", "a%+f",
        ] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips_encoded_paths() {
        let path = "program/Läxhjälp på Bäckby/50% #1.pdf";
        assert_eq!(
            percent_decode(&percent_encode_path(path)).as_deref(),
            Some(path)
        );
    }
}
