//! The JSON a row stores of an appeal: serde's compact JSON without the object members whose
//! value is `null`. An absent `Option` field reads back as `None`, so the stored form
//! deserializes to the same value; an appeal has a score of optional parts, most of them
//! empty, and leaving them out makes the row — and the pages a scanner pass rewrites — a
//! third smaller for a short appeal. The members are dropped in one pass over the text serde
//! wrote: building a `serde_json::Value` tree to prune cost as much as the smaller rows saved.

use crate::error::StoreError;

/// `value` as compact JSON without `null` object members (`null` array items stay: their
/// place means something).
pub fn stored_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    let json =
        serde_json::to_string(value).map_err(|e| StoreError::Other(format!("serialize: {e}")))?;
    let mut pruned = Vec::with_capacity(json.len());
    match copy_value(json.as_bytes(), 0, &mut pruned) {
        // Only whole members, delimited by ASCII, were left out: the rest is serde's UTF-8.
        Some(end) if end == json.len() => {
            String::from_utf8(pruned).map_err(|e| StoreError::Other(format!("serialize: {e}")))
        }
        _ => Err(StoreError::Other("serialize: unexpected JSON".into())),
    }
}

/// Copies the value starting at `at` to `out`, leaving out `null` object members; returns
/// where the value ends. The text is serde_json's compact form: no whitespace outside strings.
fn copy_value(json: &[u8], at: usize, out: &mut Vec<u8>) -> Option<usize> {
    match *json.get(at)? {
        b'{' => copy_object(json, at, out),
        b'[' => copy_array(json, at, out),
        b'"' => {
            let end = string_end(json, at)?;
            out.extend_from_slice(&json[at..end]);
            Some(end)
        }
        _ => {
            let len = json[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']'))
                .unwrap_or(json.len() - at);
            out.extend_from_slice(&json[at..at + len]);
            Some(at + len)
        }
    }
}

fn copy_object(json: &[u8], at: usize, out: &mut Vec<u8>) -> Option<usize> {
    out.push(b'{');
    let mut at = at + 1;
    let mut first = true;
    if *json.get(at)? == b'}' {
        out.push(b'}');
        return Some(at + 1);
    }
    loop {
        let colon = string_end(json, at)?;
        if *json.get(colon)? != b':' {
            return None;
        }
        let value = colon + 1;
        if json[value..].starts_with(b"null") {
            at = value + 4;
        } else {
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(&json[at..value]);
            at = copy_value(json, value, out)?;
        }
        match *json.get(at)? {
            b',' => at += 1,
            b'}' => {
                out.push(b'}');
                return Some(at + 1);
            }
            _ => return None,
        }
    }
}

fn copy_array(json: &[u8], at: usize, out: &mut Vec<u8>) -> Option<usize> {
    out.push(b'[');
    let mut at = at + 1;
    if *json.get(at)? == b']' {
        out.push(b']');
        return Some(at + 1);
    }
    loop {
        at = copy_value(json, at, out)?;
        match *json.get(at)? {
            b',' => {
                out.push(b',');
                at += 1;
            }
            b']' => {
                out.push(b']');
                return Some(at + 1);
            }
            _ => return None,
        }
    }
}

/// Where the string starting with the quote at `at` ends (just past its closing quote).
fn string_end(json: &[u8], at: usize) -> Option<usize> {
    if *json.get(at)? != b'"' {
        return None;
    }
    let mut i = at + 1;
    loop {
        match *json.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::stored_json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        note: Option<String>,
        flag: bool,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        title: String,
        missing: Option<i64>,
        inner: Inner,
        maybe_inner: Option<Inner>,
        items: Vec<Option<i64>>,
        empty: Vec<Inner>,
        nested: Vec<Inner>,
        number: f64,
    }

    fn sample() -> Outer {
        Outer {
            title: r#"引号 " 与 \ 及 "x":null, 和 {"a":null}"#.into(),
            missing: None,
            inner: Inner {
                note: None,
                flag: false,
            },
            maybe_inner: Some(Inner {
                note: Some("null".into()),
                flag: true,
            }),
            items: vec![None, Some(3), None],
            empty: vec![],
            nested: vec![
                Inner {
                    note: None,
                    flag: true,
                },
                Inner {
                    note: Some(String::new()),
                    flag: false,
                },
            ],
            number: -1.5e-3,
        }
    }

    #[test]
    fn null_members_are_left_out_and_the_value_reads_back_the_same() {
        let value = sample();
        let stored = stored_json(&value).unwrap();
        assert!(!stored.contains(r#""missing""#), "{stored}");
        assert!(!stored.contains(r#""note":null"#), "{stored}");
        assert!(stored.contains(r#""items":[null,3,null]"#), "{stored}");
        assert!(stored.len() < serde_json::to_string(&value).unwrap().len());
        let back: Outer = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn an_object_of_nulls_becomes_empty_and_a_bare_null_stays() {
        let all_null = Inner {
            note: None,
            flag: true,
        };
        assert_eq!(stored_json(&all_null).unwrap(), r#"{"flag":true}"#);
        let none: Option<i64> = None;
        assert_eq!(stored_json(&none).unwrap(), "null");
        #[derive(Serialize)]
        struct OnlyNulls {
            a: Option<i64>,
            b: Option<String>,
        }
        assert_eq!(stored_json(&OnlyNulls { a: None, b: None }).unwrap(), "{}");
        let b_only = OnlyNulls {
            a: None,
            b: Some("x".into()),
        };
        assert_eq!(stored_json(&b_only).unwrap(), r#"{"b":"x"}"#);
    }
}
