//! E-mail addresses (reference §5.1): the domain must end in a known public suffix and have a
//! registrable label before it, so `logo@2x.png`, `a@report.pdf` and `name@gov.lv` are rejected.

use super::Validated;

pub(super) const TIERS: &[&str] = &["address"];

pub(super) fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let raw = &text[start..end];
    let (local, domain) = raw.rsplit_once('@')?;
    // A greedy domain may swallow a sentence's last dot ("... jb@pasts.lv.").
    let domain = domain.trim_end_matches(['.', '-']);
    let end = start + local.len() + 1 + domain.len();
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || domain.len() > 253
    {
        return None;
    }
    if inside_url_credentials(text, start) {
        return None;
    }
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'));
    if !labels_ok {
        return None;
    }
    // The value is `local@domain` lower-cased; its domain part is what the suffix list is asked.
    let mut value = if local.is_ascii() {
        local.to_ascii_lowercase()
    } else {
        local.to_lowercase()
    };
    value.push('@');
    let domain_at = value.len();
    value.push_str(domain);
    value[domain_at..].make_ascii_lowercase();
    let registrable = psl::domain(&value.as_bytes()[domain_at..])?;
    if !registrable.suffix().is_known() {
        return None;
    }
    Some(Validated::new(end, value, "address").checks(&["public_suffix"]))
}

/// `https://user:secret@host` holds credentials, not an e-mail address: look back over the
/// token for `://`.
fn inside_url_credentials(text: &str, start: usize) -> bool {
    // Bounded look-back: a URL's scheme is near its credentials, and a long token without
    // blanks (base64) must not make every candidate in it scan back to its start.
    let mut from = start.saturating_sub(512);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let token_start = text[from..start]
        .rfind(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '<')
        .map_or(from, |i| from + i + 1);
    text[token_start..start].contains("://") || text[token_start..start].contains("%2F%2F")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(s: &str) -> Option<String> {
        validate(s, 0, s.len()).map(|v| v.value)
    }

    #[test]
    fn real_addresses() {
        assert_eq!(
            accept("info@presidio.site").as_deref(),
            Some("info@presidio.site")
        );
        assert_eq!(
            accept("user@xn--80ak6aa92e.com").as_deref(),
            Some("user@xn--80ak6aa92e.com")
        );
        assert_eq!(
            accept("INFO@VID.GOV.LV").as_deref(),
            Some("info@vid.gov.lv")
        );
        assert_eq!(accept("jānis@pasts.lv").as_deref(), Some("jānis@pasts.lv"));
    }

    // Reference §5.1: retina image names, file extensions, bare public suffixes.
    #[test]
    fn not_addresses() {
        for s in [
            "logo@2x.png",
            "icon@3x.jpg",
            "a@domain.pdf",
            "v1.2@host.docx",
            "foo@localhost",
            "name@gov.lv",
            "info@presidio.",
            ".a@pasts.lv",
            "a..b@pasts.lv",
        ] {
            assert_eq!(accept(s), None, "{s}");
        }
    }

    #[test]
    fn trailing_sentence_dot_is_trimmed() {
        let text = "jb@pasts.lv.";
        let v = validate(text, 0, text.len()).unwrap();
        assert_eq!(v.end, text.len() - 1);
    }

    #[test]
    fn url_credentials_are_not_addresses() {
        let text = "https://user:pass@example.com/x";
        let at = text.find("pass").unwrap();
        assert!(validate(text, at, at + "pass@example.com".len()).is_none());
    }
}
