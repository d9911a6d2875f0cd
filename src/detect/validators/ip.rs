//! IP addresses (reference §5.2). A real parse, the special-purpose range noted, and a weak tier
//! for strings that look like version numbers (`1.0.0.0`, `4.8.0.1`) or legal clause numbers
//! (`2.1.1.4.`), which then need context to be reported.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Candidates, Tier, Validated, Validator};

const IPV4_TIERS: &[&str] = &["address", "weak"];
const IPV4_ADDRESS: Tier = Tier::named(IPV4_TIERS, "address");
const IPV4_WEAK: Tier = Tier::named(IPV4_TIERS, "weak");
const IPV6_TIERS: &[&str] = &["address", "short"];
const IPV6_ADDRESS: Tier = Tier::named(IPV6_TIERS, "address");
const IPV6_SHORT: Tier = Tier::named(IPV6_TIERS, "short");

/// IPv4 addresses, masked to their first two octets.
pub(super) const IPV4: Validator = Validator {
    name: "ipv4",
    tiers: IPV4_TIERS,
    description: "four octets 0-255; version strings and clause numbers (2.1.1.4.) need context; range noted",
    candidates: Candidates::Patterns,
    validate: validate_v4,
    mask: mask_v4,
    birth_date: None,
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

/// IPv6 addresses, masked to their first two groups.
pub(super) const IPV6: Validator = Validator {
    name: "ipv6",
    tiers: IPV6_TIERS,
    description: "parses as IPv6 (zone id and prefix allowed); range noted",
    candidates: Candidates::Patterns,
    validate: validate_v6,
    mask: mask_v6,
    birth_date: None,
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

fn mask_v4(value: &str) -> String {
    let mut parts = value.split('.');
    let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    format!("{a}.{b}.x.x")
}

fn mask_v6(value: &str) -> String {
    let groups: Vec<&str> = value.split(':').take(2).collect();
    format!("{}:…", groups.join(":"))
}

fn validate_v4(text: &str, start: usize, end: usize) -> Option<Validated> {
    let raw = &text[start..end];
    let (addr_part, prefix) = split_prefix(raw, 32)?;
    let mut octets = [0u8; 4];
    let mut parts = addr_part.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        *octet = part.parse::<u8>().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    let addr = Ipv4Addr::from(octets);
    let rest = &text[end..];
    // Only blanks between the previous line break (or the text start) and the address.
    let line_start = text[..start]
        .chars()
        .rev()
        .find(|c| !matches!(c, ' ' | '\t'))
        .is_none_or(|c| c == '\n' || c == '\r');
    // "2.1.1.4." ends like a clause number; so does "2.1.1.4 Iestāde ..." at a line start.
    let trailing_dot =
        rest.starts_with('.') && !rest[1..].starts_with(|c: char| c.is_ascii_digit());
    let heading_like = line_start
        && rest.starts_with(' ')
        && rest[1..].starts_with(char::is_uppercase)
        && octets.iter().all(|o| *o <= 30);
    let clause_like = (trailing_dot && octets.iter().all(|o| *o <= 99)) || heading_like;
    // Version strings: `1.0.0.0` (assembly versions), `4.8.0.1`; real hosts are not in 0/8 and
    // do not end in .0 (a network address) unless a prefix length says it is a network.
    // A product token's version (`App/2.1.1.108` in a User-Agent) follows a name and a slash;
    // an address in a URL follows `//`.
    let mut before = text[..start].chars().rev();
    let product_version =
        before.next() == Some('/') && before.next().is_some_and(char::is_alphanumeric);
    let version_like =
        octets.iter().all(|o| *o <= 9) || octets[0] == 0 || octets[3] == 0 || product_version;
    let weak = prefix.is_none() && (clause_like || version_like);
    let tier = if weak { IPV4_WEAK } else { IPV4_ADDRESS };
    let mut found = Validated::new(end, addr.to_string(), tier)
        .checks(&["octets"])
        .attribute("range", v4_range(addr));
    if let Some(p) = prefix {
        found = found.attribute("prefix", p.to_string());
    }
    Some(found)
}

fn validate_v6(text: &str, start: usize, end: usize) -> Option<Validated> {
    // Part of a longer colon or dot run (a MAC address, a time, C++ `a::b::c`) is not an address.
    if text[..start].ends_with([':', '.']) || text[end..].starts_with([':']) {
        return None;
    }
    let raw = &text[start..end];
    let (addr_part, prefix) = split_prefix(raw, 128)?;
    let addr_part = addr_part.split_once('%').map_or(addr_part, |(a, _zone)| a);
    let addr: Ipv6Addr = addr_part.parse().ok()?;
    if addr.is_unspecified() {
        return None;
    }
    let explicit_groups = addr_part.split(':').filter(|g| !g.is_empty()).count();
    let tier = if explicit_groups >= 3 {
        IPV6_ADDRESS
    } else {
        IPV6_SHORT
    };
    let mut found = Validated::new(end, addr.to_string(), tier)
        .checks(&["parse"])
        .attribute("range", v6_range(addr));
    if let Some(p) = prefix {
        found = found.attribute("prefix", p.to_string());
    }
    Some(found)
}

/// Splits an optional `/prefix` off, checking it is at most `max`.
fn split_prefix(raw: &str, max: u8) -> Option<(&str, Option<u8>)> {
    match raw.split_once('/') {
        None => Some((raw, None)),
        Some((addr, p)) => {
            let p: u8 = p.parse().ok()?;
            (p <= max).then_some((addr, Some(p)))
        }
    }
}

/// The RFC 6890 special-purpose range an IPv4 address falls in, or `public`.
fn v4_range(a: Ipv4Addr) -> &'static str {
    let [o1, o2, o3, _] = a.octets();
    match () {
        _ if a.is_unspecified() || o1 == 0 => "unspecified",
        _ if a.is_broadcast() => "broadcast",
        _ if a.is_loopback() => "loopback",
        _ if a.is_private() => "private",
        _ if o1 == 100 && (64..128).contains(&o2) => "shared",
        _ if a.is_link_local() => "link_local",
        _ if a.is_documentation() => "documentation",
        _ if o1 == 198 && (o2 == 18 || o2 == 19) => "benchmarking",
        _ if o1 == 192 && o2 == 0 && o3 == 0 => "reserved",
        _ if a.is_multicast() => "multicast",
        _ if o1 >= 240 => "reserved",
        _ => "public",
    }
}

/// The special-purpose range an IPv6 address falls in, or `public`.
fn v6_range(a: Ipv6Addr) -> &'static str {
    let s = a.segments();
    match () {
        _ if a.is_loopback() => "loopback",
        _ if a.is_multicast() => "multicast",
        _ if a.is_unicast_link_local() => "link_local",
        _ if a.is_unique_local() => "private",
        _ if s[0] == 0x2001 && s[1] == 0x0db8 => "documentation",
        _ if a.to_ipv4_mapped().is_some() => "ipv4_mapped",
        _ if s[0] == 0x64 && s[1] == 0xff9b => "nat64",
        _ => "public",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(text: &str, cand: &str) -> Option<(&'static str, String)> {
        let start = text.find(cand).unwrap();
        validate_v4(text, start, start + cand.len()).map(|v| {
            (
                v.tier.name,
                v.attributes
                    .iter()
                    .find(|a| a.0 == "range")
                    .unwrap()
                    .1
                    .to_string(),
            )
        })
    }

    fn v6(text: &str, cand: &str) -> Option<&'static str> {
        let start = text.find(cand).unwrap();
        validate_v6(text, start, start + cand.len()).map(|v| v.tier.name)
    }

    #[test]
    fn ipv4_ranges() {
        assert_eq!(
            v4("ip 192.168.1.10 ok", "192.168.1.10"),
            Some(("address", "private".into()))
        );
        assert_eq!(
            v4("x 83.241.12.7 y", "83.241.12.7"),
            Some(("address", "public".into()))
        );
        assert_eq!(
            v4("x 100.64.0.1 y", "100.64.0.1"),
            Some(("address", "shared".into()))
        );
        assert_eq!(
            v4("x 203.0.113.5 y", "203.0.113.5"),
            Some(("address", "documentation".into()))
        );
        assert_eq!(
            v4("x 127.0.0.1 y", "127.0.0.1"),
            Some(("address", "loopback".into()))
        );
        assert_eq!(
            v4("x 10.0.0.0/8 y", "10.0.0.0/8"),
            Some(("address", "private".into()))
        );
        assert_eq!(
            v4("x 192.168.001.001 y", "192.168.001.001"),
            Some(("address", "private".into()))
        );
    }

    #[test]
    fn version_like_strings_are_weak() {
        for (text, cand) in [
            ("AssemblyVersion 1.0.0.0 x", "1.0.0.0"),
            ("x 4.8.0.1 y", "4.8.0.1"),
            ("x 192.168.1.0 y", "192.168.1.0"),
            ("x 0.1.2.3 y", "0.1.2.3"),
            // User-Agent product versions (issue 15's recall gaps).
            ("Mozilla/5.0 App/2.1.1.108 (Linux)", "2.1.1.108"),
            ("Firefox/115.0.1.2 Gecko", "115.0.1.2"),
        ] {
            assert_eq!(v4(text, cand).map(|v| v.0), Some("weak"), "{cand}");
        }
        assert_eq!(
            v4("x 192.168.1.0/24 y", "192.168.1.0/24").map(|v| v.0),
            Some("address")
        );
        assert_eq!(
            v4("http://85.254.17.3/login", "85.254.17.3").map(|v| v.0),
            Some("address")
        );
    }

    #[test]
    fn ipv4_rejects() {
        assert_eq!(v4("x 256.1.1.1 y", "256.1.1.1"), None);
        assert_eq!(v4("x 1.2.3.4/33 y", "1.2.3.4/33"), None);
    }

    // Clause numbers in Latvian legal acts (reference §5.2: MK noteikumi Nr.134).
    #[test]
    fn clause_numbers_are_weaker() {
        assert_eq!(
            v4("saskaņā ar 2.1.1.4. apakšpunktu", "2.1.1.4").map(|v| v.0),
            Some("weak")
        );
        assert_eq!(
            v4("\n2.1.1.4 Iestāde nodrošina", "2.1.1.4").map(|v| v.0),
            Some("weak")
        );
        assert_eq!(
            v4("serveris 10.0.0.1.", "10.0.0.1").map(|v| v.0),
            Some("weak")
        );
        assert_eq!(
            v4("server 83.241.12.7.", "83.241.12.7").map(|v| v.0),
            Some("address")
        );
    }

    // Presidio test_ip_recognizer.py positives and negatives (reference §5.2).
    #[test]
    fn ipv6() {
        assert_eq!(v6("a ::1 b", "::1"), Some("short"));
        assert_eq!(v6("a fe80::1%eth0 b", "fe80::1%eth0"), Some("short"));
        assert_eq!(v6("a [2001:db8::1]:8080", "2001:db8::1"), Some("address"));
        assert_eq!(
            v6("a A099::09C0:876A:130B b", "A099::09C0:876A:130B"),
            Some("address")
        );
        assert_eq!(
            v6("a ::ffff:192.168.1.1 b", "::ffff:192.168.1.1"),
            Some("short")
        );
        assert_eq!(
            v6(
                "a 2001:db8:85a3::8a2e:370:7334/64 b",
                "2001:db8:85a3::8a2e:370:7334/64"
            ),
            Some("address")
        );
        for (text, cand) in [
            ("aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff"),
            ("12:34:56", "12:34:56"),
            ("1:2:3:4", "1:2:3:4"),
            (":: x", "::"),
            ("::ffff:256.0.0.1", "::ffff:256.0.0.1"),
            ("2001:db8::256.1.1.1", "2001:db8::256.1.1.1"),
            ("80:443", "80:443"),
        ] {
            assert_eq!(v6(text, cand), None, "{cand}");
        }
    }
}
