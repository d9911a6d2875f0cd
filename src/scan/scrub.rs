//! Reason messages without personal data: parsers quote what they stumbled on, so quoted text
//! is left out and every value the rules find in what is left is replaced by its kind.

use super::worker::Worker;
use crate::outcome::FileOutcome;

impl Worker<'_> {
    /// Scrubs a record's reason of what a parser may have quoted from the file (an attribute's
    /// value, a cell's text, a tag): quoted spans become `…`, and every value the rules find
    /// in what is left is replaced by its kind (`[lv_personal_code]`).
    pub(super) fn scrub(&mut self, outcome: &mut FileOutcome) {
        let Some(reason) = &mut outcome.record.reason else {
            return;
        };
        let mut text = unquoted(&reason.message);
        self.findings.clear();
        self.detector
            .scan(&text, 0..text.len(), 0, &mut self.findings);
        let rules = self.scanner.rules.rules.rules();
        let min = self.scanner.options.min_confidence;
        for f in self.findings.drain(..).rev() {
            // Weak shapes (a bare 8-digit number) are the sizes and counts of piimap's own
            // messages far more often than personal data.
            if f.confidence >= min {
                text.replace_range(f.span, &format!("[{}]", rules[f.rule].kind));
            }
        }
        reason.message = text;
    }
}

/// `message` with the inside of every quoted span (`'...'`, `"..."`, `` `...` ``) replaced by
/// `…`: parsers quote the text they stumbled on.
fn unquoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                // An apostrophe inside a word (`can't`) opens nothing.
                let opens = matches!(c, '"' | '`')
                    || (c == '\'' && !out[..out.len() - 1].ends_with(char::is_alphanumeric));
                if opens {
                    quote = Some(c);
                }
            }
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_is_left_out_of_messages() {
        assert_eq!(
            unquoted("Unrecognized attribute value '010180-12347' for \"r\""),
            "Unrecognized attribute value '…' for \"…\""
        );
        assert_eq!(unquoted("can't read `x"), "can't read `…");
        assert_eq!(unquoted("no quotes here"), "no quotes here");
    }
}
