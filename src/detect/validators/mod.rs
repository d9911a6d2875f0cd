//! Validators: the code half of a rule. A rule's pattern proposes a candidate span; its validator
//! decides whether the span really is that kind of value, normalises it, and names the *tier* of
//! the decision (for example `old_format` or `new_format_unchecked`). The rule file maps each tier
//! to a base confidence, so how much a check is worth stays in data.

mod card;
mod company_code;
mod email;
mod iban;
mod ip;
mod personal_code;
mod phone;

pub use card::luhn_check_digit;
pub use company_code::company_code_check_digit;
pub use iban::iban_check_digits;
pub use personal_code::{old_format_birth_date, personal_code_check_digit};

use std::borrow::Cow;

use serde::Serialize;

/// What a validator concluded about a candidate it accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// Start of the accepted value, when the validator moved it (an e-mail's `key=` query
    /// prefix); otherwise the candidate's own start.
    pub start: Option<usize>,
    /// End of the accepted value in the text; a validator may trim a greedy match.
    pub end: usize,
    /// The normalised value (digits only, upper-case IBAN, lower-case domain...): what is
    /// fingerprinted, masked and, with `--reveal`, shown.
    pub value: String,
    /// Which tier of evidence the value reached; the rule maps it to a confidence.
    pub tier: &'static str,
    /// Checks the value passed, for the finding's evidence (`date`, `check_digit`, `mod97`...).
    pub checks: &'static [&'static str],
    /// Facts about the value that are not personal data themselves (`format`, `range`, `country`).
    pub attributes: Vec<(&'static str, Cow<'static, str>)>,
}

impl Validated {
    fn new(end: usize, value: String, tier: &'static str) -> Self {
        Validated {
            start: None,
            end,
            value,
            tier,
            checks: &[],
            attributes: Vec::new(),
        }
    }

    /// The value starts later than the candidate, at `start`.
    fn starting_at(mut self, start: usize) -> Self {
        self.start = Some(start);
        self
    }

    /// The checks the value passed (a fixed list per outcome: nothing is allocated per value).
    fn checks(mut self, names: &'static [&'static str]) -> Self {
        self.checks = names;
        self
    }

    fn attribute(mut self, name: &'static str, value: impl Into<Cow<'static, str>>) -> Self {
        self.attributes.push((name, value.into()));
        self
    }
}

/// The validators a rule file may name, each with the tiers it can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validator {
    /// Latvian personal code, old (`DDMMYY-CNNNN`) and new (`3[2-9]NNNN-NNNNN`) format.
    LvPersonalCode,
    /// Latvian company / institution registration number (11 digits, own check).
    LvCompanyCode,
    /// E-mail address with a domain under a known public suffix.
    Email,
    /// Latvian and international phone numbers.
    Phone,
    /// IBAN of any registered country: length, BBAN shape, mod-97.
    Iban,
    /// IPv4 address, rejecting version strings and clause numbers.
    Ipv4,
    /// IPv6 address, with optional zone id and prefix length.
    Ipv6,
    /// Payment card number: issuer prefix, issuer length and Luhn.
    PaymentCard,
    /// Keyword rules: the keyword itself is the finding (special categories).
    Keyword,
}

impl Validator {
    /// Every validator, in the order `rules list` shows them.
    pub const ALL: [Validator; 9] = [
        Validator::LvPersonalCode,
        Validator::LvCompanyCode,
        Validator::Email,
        Validator::Phone,
        Validator::Iban,
        Validator::Ipv4,
        Validator::Ipv6,
        Validator::PaymentCard,
        Validator::Keyword,
    ];

    /// The name used in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Validator::LvPersonalCode => "lv_personal_code",
            Validator::LvCompanyCode => "lv_company_code",
            Validator::Email => "email",
            Validator::Phone => "phone",
            Validator::Iban => "iban",
            Validator::Ipv4 => "ipv4",
            Validator::Ipv6 => "ipv6",
            Validator::PaymentCard => "payment_card",
            Validator::Keyword => "keyword",
        }
    }

    /// Looks a validator up by its rule-file name.
    pub fn from_name(name: &str) -> Option<Validator> {
        Validator::ALL.into_iter().find(|v| v.name() == name)
    }

    /// The tiers this validator can return; a rule must give each a confidence.
    pub fn tiers(self) -> &'static [&'static str] {
        match self {
            Validator::LvPersonalCode => personal_code::TIERS,
            Validator::LvCompanyCode => company_code::TIERS,
            Validator::Email => email::TIERS,
            Validator::Phone => phone::TIERS,
            Validator::Iban => iban::TIERS,
            Validator::Ipv4 => ip::IPV4_TIERS,
            Validator::Ipv6 => ip::IPV6_TIERS,
            Validator::PaymentCard => card::TIERS,
            Validator::Keyword => &["strong", "weak"],
        }
    }

    /// One-line description of what the validator checks, for `rules list`.
    pub fn describe(self) -> &'static str {
        match self {
            Validator::LvPersonalCode => {
                "old format: real birth date, century digit 0-2, date before 2017-07-01, mod-11 check digit; new format: prefix 32-39, check digit raises confidence"
            }
            Validator::LvCompanyCode => {
                "11 digits starting 4, 5 or 9; weighted sum mod 11 = 3 (optional LV prefix)"
            }
            Validator::Email => {
                "domain under a known public suffix (no logo@2x.png); URL credentials rejected"
            }
            Validator::Phone => {
                "+371/00371 numbers against the Latvian numbering plan; bare 8-digit national numbers; international +CC numbers of 8-15 digits with a known country code"
            }
            Validator::Iban => "country length and BBAN shape per the SWIFT registry, mod-97",
            Validator::Ipv4 => {
                "four octets 0-255; version strings and clause numbers (2.1.1.4.) need context; range noted"
            }
            Validator::Ipv6 => "parses as IPv6 (zone id and prefix allowed); range noted",
            Validator::PaymentCard => {
                "issuer prefix and length (Visa 16/19, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Mir), Luhn"
            }
            Validator::Keyword => "a listed Latvian stem or English keyword at a word start",
        }
    }

    /// Validates the candidate `text[start..end]`. `None` rejects it.
    pub fn validate(self, text: &str, start: usize, end: usize) -> Option<Validated> {
        match self {
            Validator::LvPersonalCode => personal_code::validate(text, start, end),
            Validator::LvCompanyCode => company_code::validate(text, start, end),
            Validator::Email => email::validate(text, start, end),
            Validator::Phone => phone::validate(text, start, end),
            Validator::Iban => iban::validate(text, start, end),
            Validator::Ipv4 => ip::validate_v4(text, start, end),
            Validator::Ipv6 => ip::validate_v6(text, start, end),
            Validator::PaymentCard => card::validate(text, start, end),
            Validator::Keyword => None,
        }
    }
}

/// The ASCII digits of `s`, skipping separators.
fn digits_of(s: &str) -> Vec<u8> {
    // Sized up front: collecting a filter grows the vector from nothing, twice for a code.
    let mut digits = Vec::with_capacity(s.len());
    digits.extend(s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0'));
    digits
}

/// The digits as a string.
fn digit_string(digits: &[u8]) -> String {
    let mut text = String::with_capacity(digits.len());
    push_digits(&mut text, digits);
    text
}

/// Appends the digits to `out` as text.
fn push_digits(out: &mut String, digits: &[u8]) {
    out.extend(digits.iter().map(|d| char::from(b'0' + d)));
}
