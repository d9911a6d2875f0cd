//! E-mail saved as `.eml` (RFC 5322 with MIME), read with mail-parser: the address and subject
//! headers, every text body (HTML-only bodies as text), and attachments as members.

use std::io::Read;

use super::{Caps, ExtractError, Shortfall};

/// Headers that name people (and the subject, which often does too).
const HEADERS: &[&str] = &["From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject"];

/// Where a piece of a message's text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailPart {
    /// A header (`From`, `To`...).
    Header(&'static str),
    /// Line `line` (1-based) of text body `body` (1-based).
    Body { body: usize, line: u64 },
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
/// to `visit`, and each attachment to `attachment`.
pub fn read_message<R: Read>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(MailPart, &str),
    mut attachment: impl FnMut(Attachment),
) -> Result<Vec<Shortfall>, ExtractError> {
    let max = caps.max_member;
    let (bytes, over) = super::read_up_to(reader, max)?;
    if over {
        return Err(ExtractError::Corrupt(format!(
            "message over {max} bytes (--max-member-size)"
        )));
    }
    let message = mail_parser::MessageParser::default()
        .parse(&bytes)
        .ok_or_else(|| ExtractError::Corrupt("not an e-mail message".into()))?;
    for &name in HEADERS {
        let text = if name == "Subject" {
            message.subject().map(str::to_string)
        } else {
            let address = match name {
                "From" => message.from(),
                "Sender" => message.sender(),
                "Reply-To" => message.reply_to(),
                "To" => message.to(),
                "Cc" => message.cc(),
                _ => message.bcc(),
            };
            address.map(|a| {
                a.iter()
                    .map(|addr| match (addr.name(), addr.address()) {
                        (Some(n), Some(a)) => format!("{n} <{a}>"),
                        (None, Some(a)) => a.to_string(),
                        (Some(n), None) => n.to_string(),
                        (None, None) => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        };
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            visit(MailPart::Header(name), &text);
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
    let mut names = std::collections::HashSet::new();
    for (i, part) in message.attachments().enumerate() {
        use mail_parser::MimeHeaders;
        let base = part
            .attachment_name()
            .map(|n| n.replace('/', "_"))
            .unwrap_or_else(|| format!("attachment-{}", i + 1));
        let mut name = base.clone();
        let mut n = 1;
        while !names.insert(name.clone()) {
            n += 1;
            name = format!("{base} ({n})");
        }
        let content = match part.message() {
            Some(inner) => inner.raw_message().to_vec(),
            None => part.contents().to_vec(),
        };
        attachment(Attachment { name, content });
    }
    Ok(Vec::new())
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
}
