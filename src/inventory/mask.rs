//! Masking: a sample never shows a whole personal value.

use crate::detect::validators::Validator;

/// Masks a person's name: the first letter of each word (`Anna Bērziņa` → `A*** B***`).
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let first: String = word.chars().take(1).collect();
            format!("{first}***")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Masks a normalised value of the given validator:
/// personal code → last two digits (`XXXXXX-XXX97`); e-mail → first letter and domain;
/// phone → country code and last two digits; IBAN → country and bank code; card → last four;
/// IPv4 → first two octets; IPv6 → first two groups. Company numbers are public register
/// data, not personal, and keyword findings are the keyword itself: both are shown whole.
pub fn mask(validator: Validator, value: &str) -> String {
    match validator {
        Validator::LvPersonalCode => format!("XXXXXX-XXX{}", tail(value, 2)),
        Validator::Email => match value.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".into(),
        },
        Validator::Phone => {
            let prefix = if value.starts_with("+371") {
                "+371"
            } else {
                &value[..value.len().min(3)]
            };
            let hidden = value.len().saturating_sub(prefix.len() + 2);
            format!("{prefix}{}{}", "X".repeat(hidden), tail(value, 2))
        }
        Validator::Iban => {
            let head = &value[..value.len().min(8)];
            format!(
                "{}XX {} {}",
                &head[..2.min(head.len())],
                head.get(4..).unwrap_or(""),
                "X".repeat(value.len().saturating_sub(8))
            )
        }
        Validator::PaymentCard => format!(
            "{}{}",
            "X".repeat(value.len().saturating_sub(4)),
            tail(value, 4)
        ),
        Validator::Ipv4 => {
            let mut parts = value.split('.');
            let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            format!("{a}.{b}.x.x")
        }
        Validator::Ipv6 => {
            let groups: Vec<&str> = value.split(':').take(2).collect();
            format!("{}:…", groups.join(":"))
        }
        Validator::LvCompanyCode | Validator::Keyword => value.to_string(),
    }
}

fn tail(value: &str, n: usize) -> &str {
    &value[value.len().saturating_sub(n)..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_hide_the_value() {
        assert_eq!(
            mask(Validator::LvPersonalCode, "16117519997"),
            "XXXXXX-XXX97"
        );
        assert_eq!(
            mask(Validator::Email, "janis.berzins@pasts.lv"),
            "j***@pasts.lv"
        );
        assert_eq!(mask(Validator::Phone, "+37126123456"), "+371XXXXXX56");
        assert_eq!(
            mask(Validator::Iban, "LV80BANK0000435195001"),
            "LVXX BANK XXXXXXXXXXXXX"
        );
        assert_eq!(
            mask(Validator::PaymentCard, "4111111111111111"),
            "XXXXXXXXXXXX1111"
        );
        assert_eq!(mask(Validator::Ipv4, "83.241.12.7"), "83.241.x.x");
        assert_eq!(mask(Validator::Ipv6, "2001:db8::1"), "2001:db8:…");
        assert_eq!(mask(Validator::LvCompanyCode, "40003521600"), "40003521600");
    }

    #[test]
    fn masked_value_never_contains_the_whole_value() {
        for (v, value) in [
            (Validator::LvPersonalCode, "16117519997"),
            (Validator::Email, "a@pasts.lv"),
            (Validator::Phone, "+37126123456"),
            (Validator::Iban, "LV80BANK0000435195001"),
            (Validator::PaymentCard, "4111111111111111"),
            (Validator::Ipv4, "10.0.0.1"),
        ] {
            assert!(!mask(v, value).contains(value), "{value}");
        }
    }

    #[test]
    fn names_keep_initials() {
        assert_eq!(mask_name("Anna Bērziņa"), "A*** B***");
        assert_eq!(mask_name("  Ēriks  "), "Ē***");
    }
}
