//! Cells of a CSV export that a spreadsheet opens safely. Excel, LibreOffice and Google Sheets
//! read a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
//! formula, so a customer named `=HYPERLINK(…)` would run when the export is opened (CSV
//! injection, OWASP). Such a cell is written with a leading apostrophe, which the spreadsheet
//! shows as text and hides.

use std::borrow::Cow;

/// `cell` as a spreadsheet reads it as text: with a leading `'` when it would start a formula.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_start_a_formula_are_written_as_text() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1 555 0100", "'+1 555 0100"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
        ] {
            assert_eq!(spreadsheet_safe(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn other_cells_are_left_alone() {
        for cell in [
            "Contoso Ltd",
            "",
            "1+1",
            "a=b",
            "'quoted",
            "Müller GmbH",
            " =x",
        ] {
            assert!(
                matches!(spreadsheet_safe(cell), Cow::Borrowed(_)),
                "{cell:?}"
            );
        }
    }
}
