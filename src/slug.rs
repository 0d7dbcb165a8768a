//! Slugs for URLs and heading ids: text folded to lowercase ASCII words joined by `-`
//! (`Läxhjälp på Bäckby` → `laxhjalp-pa-backby`). Pure functions; uses nothing from the
//! crate.

/// Fold one character to its ASCII base letters, or `None` when it separates words.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' | 'ā' | 'Å' | 'Ä' | 'Á' | 'À' | 'Â' | 'Ã' => {
            "a"
        }
        'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' | 'Ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ø' => "o",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'ü' | 'ú' | 'ù' | 'û' | 'Ü' | 'Ú' | 'Ù' | 'Û' => "u",
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => "i",
        'ç' | 'Ç' | 'č' | 'Č' | 'ć' => "c",
        'ñ' | 'Ñ' | 'ń' => "n",
        'š' | 'Š' | 'ś' => "s",
        'ž' | 'Ž' | 'ź' | 'ż' => "z",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ł' | 'Ł' => "l",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'þ' | 'Þ' => "th",
        'ð' | 'Ð' => "d",
        _ => return None,
    })
}

/// The slug of `text`; empty when `text` has no letters or digits.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        let piece: Option<String> = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase().to_string())
        } else {
            fold(c).map(str::to_string)
        };
        match piece {
            Some(p) => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push_str(&p);
            }
            // Apostrophes join a word rather than split it ("Mimer's" → "mimers").
            None if c == '\'' || c == '’' => {}
            None => pending_dash = true,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_swedish_letters() {
        assert_eq!(slugify("Läxhjälp på Bäckby"), "laxhjalp-pa-backby");
        assert_eq!(slugify("Stiftelsen Läxhjälpen"), "stiftelsen-laxhjalpen");
        assert_eq!(slugify("Café Öster"), "cafe-oster");
    }

    #[test]
    fn collapses_and_trims_separators() {
        assert_eq!(slugify("  Var sker påverkan?  "), "var-sker-paverkan");
        assert_eq!(slugify("EFG:s syfte -- 2020"), "efg-s-syfte-2020");
        assert_eq!(slugify("Mimer’s plan"), "mimers-plan");
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn file_names() {
        assert_eq!(slugify("en-frisk-generation"), "en-frisk-generation");
        assert_eq!(slugify("Alla_spelar_roll"), "alla-spelar-roll");
    }
}
