//! What the readers of XML parts (documents, workbooks) share: attributes by local name,
//! entity and character references, and error messages that never quote the document (a
//! parser's message can name a mismatched tag or an attribute value, which can be personal
//! data).

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart};

/// The value of the attribute whose local name is `name` (`r`, `t`, `number-columns-repeated`),
/// unescaped; `None` when absent or malformed.
pub fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
}

/// Appends what an entity or character reference (`&amp;`, `&#257;`) stands for.
pub fn push_reference(r: &BytesRef<'_>, text: &mut String) {
    let name = r.xml10_content();
    if let Some(resolved) = quick_xml::escape::resolve_xml_entity(&name) {
        text.push_str(resolved);
    } else if let Ok(Some(c)) = r.resolve_char_ref() {
        text.push(c);
    }
}

/// A parser error as the inventory may show it: what kind of error and where, never the
/// names or text it quotes.
pub fn error_message<R: BufRead>(e: &quick_xml::Error, xml: &Reader<R>) -> String {
    use quick_xml::Error;
    use quick_xml::errors::IllFormedError;
    let what = match e {
        Error::Io(e) => return format!("read failed: {}", e.kind()),
        Error::Syntax(syntax) => format!("syntax error ({syntax:?})"),
        Error::IllFormed(IllFormedError::MismatchedEndTag { .. }) => {
            "an end tag does not match its start tag".into()
        }
        Error::IllFormed(IllFormedError::UnmatchedEndTag(_)) => {
            "an end tag has no start tag".into()
        }
        Error::IllFormed(IllFormedError::MissingEndTag(_)) => "an element is not closed".into(),
        Error::IllFormed(_) => "ill-formed document".into(),
        Error::Encoding(_) => "text in an unknown encoding".into(),
        Error::Escape(_) => "a bad character or entity reference".into(),
        Error::InvalidAttr(_) => "a malformed attribute".into(),
        Error::Namespace(_) => "a namespace error".into(),
    };
    format!("XML error at byte {}: {what}", xml.buffer_position())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a docx's bad end tag put the e-mail address it named into the record.
    #[test]
    fn errors_do_not_quote_the_document() {
        let doc = "<w:p><w:t>x</janis.berzins@piemers.lv></w:p>";
        let mut xml = Reader::from_reader(doc.as_bytes());
        let mut buf = Vec::new();
        let err = loop {
            match xml.read_event_into(&mut buf) {
                Err(e) => break e,
                Ok(quick_xml::events::Event::Eof) => panic!("no error"),
                Ok(_) => {}
            }
        };
        assert!(
            err.to_string().contains("janis"),
            "the parser's own message quotes it"
        );
        let message = error_message(&err, &xml);
        assert!(!message.contains("janis"), "{message}");
        assert!(message.contains("does not match"), "{message}");
    }
}
