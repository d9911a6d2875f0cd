//! E-mail saved as `.eml` (RFC 5322 with MIME), read with mail-parser: the address and subject
//! headers, every text body (HTML-only bodies as text), and attachments as members.

use std::io::Read;

use super::{Caps, ExtractError, Shortfall};

/// Headers that name people (and the subject, which often does too).
const HEADERS: &[&str] = &["From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject"];

/// Trace headers, read as they are written: the sending client's IP address is in them
/// (`Received: from pc ([195.1.2.3])`, `X-Originating-IP: [2a02::1]`).
const TRACE_HEADERS: &[&str] = &[
    "Received",
    "X-Originating-IP",
    "X-Sender-IP",
    "X-Client-IP",
    "X-Forwarded-For",
    "X-Real-IP",
];

/// Where a piece of a message's text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailPart {
    /// A header (`From`, `To`...).
    Header(&'static str),
    /// A line of a text body.
    Body {
        /// Which text body (1-based).
        body: usize,
        /// The line in it (1-based).
        line: u64,
    },
}

/// An attachment: its name (unique within the message) and content.
#[derive(Debug)]
pub struct Attachment {
    /// The file name it was sent with (`saraksts.xlsx`), or `attachment-N`.
    pub name: String,
    /// Decoded content; an attached message is its raw bytes.
    pub content: Vec<u8>,
}

/// Reads an e-mail message (at most `caps.max_member` bytes): hands each header and body line
/// to `visit`, and each attachment to `attachment` (at most `caps.max_members` of them; an
/// attached message as `name.eml`, read as a message of its own by the caller, so that
/// `--max-archive-depth` applies to it).
pub fn read_message<R: Read>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(MailPart, &str),
    mut attachment: impl FnMut(Attachment),
) -> Result<Vec<Shortfall>, ExtractError> {
    let max = caps.max_member;
    let (bytes, over) = super::read_up_to(reader, max)?;
    if over {
        return Err(ExtractError::Capped(format!(
            "a message over {max} bytes is not read (--max-member-size)"
        )));
    }
    let mut message = mail_parser::MessageParser::default()
        .parse(&bytes)
        .ok_or_else(|| ExtractError::Corrupt("not an e-mail message".into()))?;
    for &name in HEADERS {
        let text = if name == "Subject" {
            message.subject().map(str::to_string)
        } else {
            Some(addresses(&message, name))
        };
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            visit(MailPart::Header(name), &text);
        }
    }
    for (name, raw) in message.headers_raw() {
        if let Some(&trace) = TRACE_HEADERS.iter().find(|t| t.eq_ignore_ascii_case(name)) {
            // Folded lines unfolded: one header is one line of text.
            let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            visit(MailPart::Header(trace), &text);
        }
    }
    for body in 0..message.text_body_count() {
        if let Some(text) = message.body_text(body) {
            for (line, text) in text.lines().enumerate() {
                visit(
                    MailPart::Body {
                        body: body + 1,
                        line: line as u64 + 1,
                    },
                    text,
                );
            }
        }
    }
    // The parts are taken out of the message, so each attachment's decoded content is moved
    // to the caller rather than copied.
    let ids = std::mem::take(&mut message.attachments);
    let mut parts = std::mem::take(&mut message.parts);
    let mut names = UniqueNames::default();
    let mut shortfalls = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if i >= caps.max_members {
            shortfalls.push(too_many_attachments(caps.max_members, ids.len()));
            break;
        }
        if caps.out_of_time() {
            shortfalls.push(Shortfall::Capped(format!(
                "attachments: {} of {} not read (--max-file-time)",
                ids.len() - i,
                ids.len()
            )));
            break;
        }
        let Some(part) = parts.get_mut(*id as usize) else {
            continue;
        };
        let (name, content) = attachment_of(part, i);
        attachment(Attachment {
            name: names.unique(name),
            content,
        });
    }
    Ok(shortfalls)
}

/// What is said of a message with more attachments than `--max-archive-members`.
pub(super) fn too_many_attachments(max: usize, count: usize) -> Shortfall {
    Shortfall::Capped(format!(
        "attachments: only the first {max} of {count} were read (--max-archive-members)"
    ))
}

/// Every address in every `name` header of `message` (a header may be repeated), as
/// `Name <address>`, joined by `, `.
fn addresses(message: &mail_parser::Message<'_>, name: &str) -> String {
    use mail_parser::HeaderValue;
    let mut text = String::new();
    for value in message.header_values(name) {
        let HeaderValue::Address(address) = value else {
            continue;
        };
        for addr in address.iter() {
            let one = match (addr.name(), addr.address()) {
                (Some(n), Some(a)) => format!("{n} <{a}>"),
                (None, Some(a)) => a.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => continue,
            };
            if !text.is_empty() {
                text.push_str(", ");
            }
            text.push_str(&one);
        }
    }
    text
}

/// The name and content of attachment number `i` (0-based), taken out of its part.
fn attachment_of(part: &mut mail_parser::MessagePart<'_>, i: usize) -> (String, Vec<u8>) {
    use mail_parser::{MimeHeaders, PartType};
    let named = part.attachment_name().map(|n| n.replace('/', "_"));
    let body = std::mem::take(&mut part.body);
    let (content, message) = match body {
        PartType::Binary(c) | PartType::InlineBinary(c) => (c.into_owned(), false),
        PartType::Text(t) | PartType::Html(t) => (t.into_owned().into_bytes(), false),
        PartType::Message(inner) => (inner.raw_message().to_vec(), true),
        PartType::Multipart(_) => (Vec::new(), false),
    };
    let name = match named {
        Some(n) if message && !n.to_ascii_lowercase().ends_with(".eml") => format!("{n}.eml"),
        Some(n) => n,
        None if message => format!("attachment-{}.eml", i + 1),
        None => format!("attachment-{}", i + 1),
    };
    (name, content)
}

/// Names unique within one message: the second `a.pdf` is `a.pdf (2)`, found without trying
/// every number again (30,000 attachments of one name once took minutes).
#[derive(Default)]
struct UniqueNames {
    taken: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, u64>,
}

impl UniqueNames {
    fn unique(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            *n += 1;
            let name = format!("{base} ({n})");
            if self.taken.insert(name.clone()) {
                return name;
            }
        }
    }
}

/// Whether `head` starts like an RFC 5322 message (header lines, then a blank line), whatever
/// the file is called: at least two header lines, every line a header or a continuation, and
/// one of the headers only a message has (`From`, `Received`, `Return-Path`, `Message-ID`).
pub fn looks_like_message(head: &[u8]) -> bool {
    let head = &head[..head.len().min(64 << 10)];
    let mut headers = 0;
    let mut mail_only = false;
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return headers >= 2 && mail_only;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if headers == 0 {
                return false;
            }
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return false;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| b.is_ascii_graphic()) {
            return false;
        }
        headers += 1;
        mail_only |= [&b"from"[..], b"received", b"return-path", b"message-id"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "From: Anna Bērziņa <anna@piemers.lv>\r\n\
To: lietvediba@iestade.lv, \"Jānis\" <janis@piemers.lv>\r\n\
Subject: =?utf-8?q?Iesniegums_p=C4=93c_pers._koda?=\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\
\r\n\
--b\r\n\
Content-Type: text/plain; charset=windows-1257\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Labdien!\r\n\
Mans personas kods ir 161175-19997, t=E2lr. 26000005.\r\n\
--b\r\n\
Content-Type: text/csv; name=\"saraksts.csv\"\r\n\
Content-Disposition: attachment; filename=\"saraksts.csv\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
VsSBcmRzO0UtcGFzdHMK\r\n\
--b--\r\n";

    #[test]
    fn headers_bodies_and_attachments() {
        let mut texts = Vec::new();
        let mut attachments = Vec::new();
        read_message(
            MESSAGE.as_bytes(),
            &Caps::TEST,
            |part, text| texts.push((part, text.to_string())),
            |a| attachments.push((a.name, a.content)),
        )
        .unwrap();
        assert_eq!(
            texts[0],
            (
                MailPart::Header("From"),
                "Anna Bērziņa <anna@piemers.lv>".into()
            )
        );
        assert_eq!(
            texts[1].1,
            "lietvediba@iestade.lv, Jānis <janis@piemers.lv>"
        );
        assert_eq!(texts[2].1, "Iesniegums pēc pers. koda");
        assert!(texts.contains(&(
            MailPart::Body { body: 1, line: 2 },
            "Mans personas kods ir 161175-19997, tālr. 26000005.".into()
        )));
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0].0, "saraksts.csv");
        assert_eq!(attachments[0].1, "Vārds;E-pasts\n".as_bytes());
    }

    #[test]
    fn trace_headers_are_read_unfolded() {
        let message = "Received: from pc.example.lv ([195.244.1.7])\r\n\
                       \tby mx.iestade.lv; Tue, 12 Mar 2024 10:15:32 +0200\r\n\
                       Received: from [2a02:aa1:1001::5] by relay\r\n\
                       X-Originating-IP: [85.254.17.3]\r\n\
                       From: anna@piemers.lv\r\n\r\nTeksts.\r\n";
        let mut texts = Vec::new();
        read_message(
            message.as_bytes(),
            &Caps::TEST,
            |part, text| texts.push((part, text.to_string())),
            |_| {},
        )
        .unwrap();
        let received: Vec<&str> = texts
            .iter()
            .filter(|(part, _)| *part == MailPart::Header("Received"))
            .map(|(_, text)| text.as_str())
            .collect();
        assert_eq!(
            received,
            [
                "from pc.example.lv ([195.244.1.7]) by mx.iestade.lv; Tue, 12 Mar 2024 10:15:32 +0200",
                "from [2a02:aa1:1001::5] by relay"
            ]
        );
        assert!(texts.contains(&(MailPart::Header("X-Originating-IP"), "[85.254.17.3]".into())));
    }
}
