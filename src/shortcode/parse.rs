//! Reading shortcode calls: splits a text into plain runs and `{{ name(key=value) }}`
//! calls, with every problem placed at the byte that causes it. Uses only the shortcode
//! types; knows nothing of what a shortcode does.

use super::{Arg, Call, CallError, Piece, Value};

/// Splits `text` into plain text and shortcode calls.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest_from = 0;
    while let Some(found) = text[rest_from..].find("{{") {
        let start = rest_from + found;
        if start > rest_from {
            pieces.push(Piece::Text(&text[rest_from..start]));
        }
        let mut p = Parser {
            text,
            pos: start + 2,
        };
        match p.call(start) {
            Ok(call) => {
                rest_from = call.end;
                pieces.push(Piece::Call(call));
            }
            Err(e) => {
                // Skip past this call's closing braces, or to the end when there are none.
                rest_from = text[start + 2..]
                    .find("}}")
                    .map_or(text.len(), |i| start + 2 + i + 2);
                pieces.push(Piece::Bad(e));
            }
        }
    }
    if rest_from < text.len() {
        pieces.push(Piece::Text(&text[rest_from..]));
    }
    pieces
}

/// A malformed call: the message is followed by an example call (see
/// [`CallError::wants_example`]).
fn malformed(offset: usize, message: String) -> CallError {
    CallError {
        wants_example: true,
        ..CallError::new(offset, message)
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            self.pos += c.len_utf8();
        }
        (self.pos > start).then(|| self.text[start..self.pos].to_string())
    }

    fn expect(&mut self, s: &str, what: &str) -> Result<(), CallError> {
        self.skip_ws();
        if self.eat(s) {
            Ok(())
        } else {
            let found = match self.peek() {
                Some(c) => format!("`{c}`"),
                None => "the end of the text".to_string(),
            };
            Err(malformed(
                self.pos,
                format!("malformed shortcode: expected {what} but found {found}"),
            ))
        }
    }

    fn call(&mut self, start: usize) -> Result<Call, CallError> {
        self.skip_ws();
        let name = self.ident().ok_or_else(|| {
            malformed(
                self.pos,
                "malformed shortcode: expected a shortcode name after `{{`".to_string(),
            )
        })?;
        self.expect("(", "`(` after the shortcode name")?;
        let mut args: Vec<Arg> = Vec::new();
        self.skip_ws();
        if !self.eat(")") {
            loop {
                self.skip_ws();
                let offset = self.pos;
                let arg_name = self.ident().ok_or_else(|| {
                    malformed(
                        offset,
                        "malformed shortcode: expected an argument name".to_string(),
                    )
                })?;
                if args.iter().any(|a| a.name == arg_name) {
                    return Err(CallError::new(
                        offset,
                        format!("argument `{arg_name}` is given twice; keep one"),
                    ));
                }
                self.expect("=", &format!("`=` after `{arg_name}`"))?;
                self.skip_ws();
                let value = self.value(0)?;
                args.push(Arg {
                    name: arg_name,
                    value,
                    offset,
                });
                self.skip_ws();
                if self.eat(")") {
                    break;
                }
                self.expect(",", "`,` or `)` after an argument")?;
            }
        }
        self.expect("}}", "`}}` to close the shortcode")?;
        Ok(Call {
            name,
            args,
            start,
            end: self.pos,
        })
    }

    fn value(&mut self, depth: usize) -> Result<Value, CallError> {
        let at = self.pos;
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                self.string(q, at)
            }
            Some('[') if depth == 0 => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.eat("]") {
                    return Ok(Value::List(items));
                }
                loop {
                    self.skip_ws();
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    if self.eat("]") {
                        return Ok(Value::List(items));
                    }
                    self.expect(",", "`,` or `]` in the list")?;
                }
            }
            _ => {
                let word_start = self.pos;
                while let Some(c) = self
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
                {
                    self.pos += c.len_utf8();
                }
                let word = &self.text[word_start..self.pos];
                match word {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => word
                        .parse::<f64>()
                        .ok()
                        .filter(|n| n.is_finite() && word.starts_with(|c: char| c == '-' || c.is_ascii_digit()))
                        .map(Value::Num)
                        .ok_or_else(|| {
                            CallError::new(
                                at,
                                format!(
                                    "malformed shortcode: expected a value (\"text\", a number, true or false) but found `{word}`; put text in double quotes"
                                ),
                            )
                        }),
                }
            }
        }
    }

    fn string(&mut self, quote: char, at: usize) -> Result<Value, CallError> {
        let mut s = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => {
                    return Err(CallError::new(
                        at,
                        format!(
                            "malformed shortcode: the text starting here has no closing {quote}"
                        ),
                    ));
                }
                Some('\\') => {
                    self.pos += 1;
                    if let Some(c) = self.peek() {
                        s.push(c);
                        self.pos += c.len_utf8();
                    }
                }
                Some(c) => {
                    self.pos += c.len_utf8();
                    if c == quote {
                        return Ok(Value::Str(s));
                    }
                    s.push(c);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_call(text: &str) -> Call {
        match split(text).into_iter().next() {
            Some(Piece::Call(c)) => c,
            other => panic!("not a call: {other:?}"),
        }
    }

    fn only_error(text: &str) -> CallError {
        split(text)
            .into_iter()
            .find_map(|p| match p {
                Piece::Bad(e) => Some(e),
                _ => None,
            })
            .expect("an error")
    }

    #[test]
    fn parses_a_call_with_every_value_kind() {
        let c = only_call(r#"{{ chart(id="a", year=2019, unit=false, ids=["x", 'y'], n=-0.5) }}"#);
        assert_eq!(c.name, "chart");
        let values: Vec<_> = c.args.iter().map(|a| a.value.clone()).collect();
        assert_eq!(
            values,
            vec![
                Value::Str("a".into()),
                Value::Num(2019.0),
                Value::Bool(false),
                Value::List(vec![Value::Str("x".into()), Value::Str("y".into())]),
                Value::Num(-0.5),
            ]
        );
    }

    #[test]
    fn splits_text_around_calls() {
        let pieces = split("totalt {{metric(id=\"a\")}} familjer");
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0], Piece::Text("totalt "));
        assert_eq!(pieces[2], Piece::Text(" familjer"));
    }

    #[test]
    fn reports_malformed_calls_at_the_offending_byte() {
        let e = only_error(r#"x {{ metric(id="a" }} y"#);
        assert_eq!(e.offset, 19);
        assert!(e.message.contains("expected `,` or `)`"), "{}", e.message);
        assert!(e.wants_example);
        let e = only_error(r#"{{ metric(id=efg) }}"#);
        assert!(e.message.contains("double quotes"), "{}", e.message);
        let e = only_error(r#"{{ metric(id="a", id="b") }}"#);
        assert!(e.message.contains("given twice"), "{}", e.message);
        let e = only_error("{{ metric(id=\"a\") ");
        assert!(e.message.contains("`}}`"), "{}", e.message);
    }

    #[test]
    fn text_after_a_bad_call_is_kept() {
        let pieces = split("{{ oops }} after");
        assert!(matches!(pieces[0], Piece::Bad(_)));
        assert_eq!(pieces[1], Piece::Text(" after"));
    }
}
