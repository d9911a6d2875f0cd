//! E-mail addresses (reference §5.1): the domain must end in a known public suffix and have a
//! registrable label before it, so `logo@2x.png`, `a@report.pdf` and `name@gov.lv` are rejected.

use super::{Candidates, Tier, Validated, Validator};

const TIERS: &[&str] = &["address"];
const ADDRESS: Tier = Tier::named(TIERS, "address");

/// E-mail addresses, masked to the first letter and the domain.
pub(super) const VALIDATOR: Validator = Validator {
    name: "email",
    tiers: TIERS,
    description: "domain under a known public suffix (no logo@2x.png); URL credentials rejected",
    candidates: Candidates::Patterns,
    validate,
    mask,
    birth_date: None,
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

fn mask(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let (start, raw) = without_query_key(text, start, &text[start..end]);
    // In a URL or a log the `@` may be percent-encoded (`?e-pasts=vards%40domens.lv`).
    let (local, domain, at_len) = match raw.rsplit_once('@') {
        Some((local, domain)) => (local, domain, 1),
        None => raw.rsplit_once("%40").map(|(l, d)| (l, d, 3))?,
    };
    // A domain may have letters of any script (`ķekava.lv`); the pattern's bytes may also have
    // taken a closing quote or a dash after it (`pasts.lv”`), and a sentence's last dot.
    let domain = domain
        .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .map_or(domain, |cut| &domain[..cut]);
    let domain = domain.trim_end_matches(['.', '-']);
    let end = start + local.len() + at_len + domain.len();
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || domain.len() > 253
    {
        return None;
    }
    if inside_url(text, start, local) {
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
    if domain.is_ascii() {
        value.push_str(domain);
        value[domain_at..].make_ascii_lowercase();
    } else {
        value.push_str(&domain.to_lowercase());
    }
    let registrable = psl::domain(&value.as_bytes()[domain_at..])?;
    if !registrable.suffix().is_known() {
        return None;
    }
    Some(
        Validated::new(end, value, ADDRESS)
            .starting_at(start)
            .checks(&["public_suffix"]),
    )
}

/// A local part may hold `=` (`first=last@...` is a valid address), but `email=anna@...` in a
/// log line or `?to=anna@...` in a URL is a key and its value: a prefix before the last `=`
/// made only of letters and `_ - . [ ]`, or one holding `?` or `&`, is dropped. Returns the new
/// start and candidate.
fn without_query_key<'t>(text: &'t str, start: usize, raw: &'t str) -> (usize, &'t str) {
    // Byte searches: this runs for every candidate, and `=` is rare.
    let at = memchr::memrchr(b'@', raw.as_bytes()).unwrap_or(raw.len());
    let Some(eq) = memchr::memrchr(b'=', &raw.as_bytes()[..at]) else {
        return (start, raw);
    };
    let key = &raw[..eq];
    let is_key = key.contains(['?', '&'])
        || key
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b"_-.[]".contains(&b));
    if is_key {
        (start + eq + 1, &text[start + eq + 1..start + raw.len()])
    } else {
        (start, raw)
    }
}

/// `https://user:secret@host` holds credentials, not an e-mail address: look back over the
/// token for `://`. An address may stand in a URL's query
/// (`https://portals.lv/forma?e-pasts=vards%40domens.lv`): after the authority has ended (`/`,
/// `?`, `#`), a candidate is an address unless its local part holds a `/` (a path segment).
/// The same for a URL percent-encoded in a query (`%2F%2F`, ended by `%2F`, `%3F`).
fn inside_url(text: &str, start: usize, local: &str) -> bool {
    // Bounded look-back: a URL's scheme is near its credentials, and a long token without
    // blanks (base64) must not make every candidate in it scan back to its start.
    let mut from = start.saturating_sub(512);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    // The character found may be wider than a byte (U+00A0, U+2003): start after all of it.
    let token_start = text[from..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '"' || c == '\'' || c == '<')
        .map_or(from, |(i, c)| from + i + c.len_utf8());
    // Byte searches: this runs for every candidate (a `str` pattern search builds a searcher
    // each time, measured at 1.7 % of a text scan's instructions).
    let token = &text.as_bytes()[token_start..start];
    let after = |prefix: u8, scheme_end: &[u8]| {
        memchr::memrchr_iter(prefix, token)
            .find(|&i| token[i..].starts_with(scheme_end))
            .map(|i| &token[i + scheme_end.len()..])
    };
    let plain = after(b':', b"://");
    let encoded = after(b'%', b"%2F%2F");
    // Still in the authority, where credentials stand: nothing after the scheme ends it.
    let plain_authority =
        plain.is_some_and(|rest| memchr::memchr3(b'/', b'?', b'#', rest).is_none());
    let encoded_authority = encoded.is_some_and(|rest| {
        memchr::memchr2(b'/', b'?', rest).is_none()
            && !memchr::memchr_iter(b'%', rest)
                .any(|i| rest[i..].starts_with(b"%2F") || rest[i..].starts_with(b"%3F"))
    });
    let in_url = plain.is_some() || encoded.is_some();
    plain_authority || encoded_authority || (in_url && local.contains('/'))
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

    #[test]
    fn a_percent_encoded_at_is_the_same_address() {
        let text = "?e-pasts=vards%40domens.lv&x";
        let v = validate(text, 3, text.len() - 2).unwrap();
        assert_eq!(v.value, "vards@domens.lv");
        assert_eq!(&text[v.start.unwrap()..v.end], "vards%40domens.lv");
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

    /// Regression (issue 15): an internationalised domain (`ķekava.lv`) was not read; a
    /// closing quote right after an address is not part of its domain.
    #[test]
    fn domains_of_any_script_and_a_closing_quote() {
        let text = "Anna@Ķekava.lv";
        let v = validate(text, 0, text.len()).unwrap();
        assert_eq!(v.value, "anna@ķekava.lv");
        let text = "„anna@pasts.lv”, tālāk";
        let start = text.find('a').unwrap();
        let end = text.find(',').unwrap();
        let v = validate(text, start, end).unwrap();
        assert_eq!(
            (v.value.as_str(), &text[start..v.end]),
            ("anna@pasts.lv", "anna@pasts.lv")
        );
    }

    /// Regression (found by fuzzing): a multi-byte space before the token made the look-back
    /// slice inside the character and panic, losing the whole file's findings.
    #[test]
    fn a_wide_space_before_the_address_is_stepped_over() {
        for space in ['\u{a0}', '\u{2003}', '\u{3000}'] {
            let text = format!("e-pasts{space}(janis.berzins@piemers.lv)");
            let at = text.find("janis").unwrap();
            let end = at + "janis.berzins@piemers.lv".len();
            assert_eq!(
                validate(&text, at, end).map(|v| v.value).as_deref(),
                Some("janis.berzins@piemers.lv")
            );
        }
    }

    #[test]
    fn apostrophes_slashes_and_equals_belong_to_the_local_part() {
        assert_eq!(
            accept("o'connor@example.ie").as_deref(),
            Some("o'connor@example.ie")
        );
        assert_eq!(
            accept("sales/riga@example.lv").as_deref(),
            Some("sales/riga@example.lv")
        );
        // Kept when what precedes `=` cannot be a key (a key is letters and `_ - . [ ]`).
        assert_eq!(
            accept("SRS0=hh=tt=example.com=anna@example.lv").as_deref(),
            Some("srs0=hh=tt=example.com=anna@example.lv")
        );
    }

    #[test]
    fn a_key_before_an_equals_sign_is_not_the_address() {
        for text in [
            "email=anna@piemers.lv",
            "?to=anna@piemers.lv",
            "a=1&cc=anna@piemers.lv",
        ] {
            let v = validate(text, 0, text.len()).unwrap();
            assert_eq!(v.value, "anna@piemers.lv", "{text}");
            assert_eq!(&text[v.start.unwrap()..v.end], "anna@piemers.lv");
        }
    }

    #[test]
    fn url_credentials_are_not_addresses() {
        let text = "https://user:pass@example.com/x";
        let at = text.find("pass").unwrap();
        assert!(validate(text, at, at + "pass@example.com".len()).is_none());
        let encoded = "?next=https%3A%2F%2Fuser%40example.com%2Fx";
        let at = encoded.find("user").unwrap();
        assert!(validate(encoded, at, at + "user%40example.com".len()).is_none());
    }

    #[test]
    fn an_address_in_a_urls_query_is_an_address() {
        let text = "https://portals.lv/forma?e-pasts=vards%40domens.lv&id=2";
        let v = validate(text, text.find("e-pasts").unwrap(), text.len() - 5).unwrap();
        assert_eq!(v.value, "vards@domens.lv");
        // A path segment before it: not taken for the local part.
        let text = "https://portals.lv/lietotajs/anna@pasts.lv";
        let at = text.find("lietotajs").unwrap();
        assert!(validate(text, at, text.len()).is_none());
    }
}
