//! Retention: policies map path globs to how long files may be kept. A file holding personal
//! data whose last modification is older than its period is `over_retention`.
//!
//! Age is measured from the modified time, not the access time: a scan (or a backup, or an
//! antivirus) reads every file and so resets the access time on shares that record it, and
//! many shares mount with `noatime`. The modified time is when the content was last made.

use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::inventory::RetentionCheck;

/// A retention period as written (`1y`, `75y`, `6months`) and its length (humantime: a year is
/// 365.25 days, a month 30.44 days).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As written.
    pub text: String,
    /// Its length.
    pub length: Duration,
}

/// Parses a retention period (humantime units; a bare number is days).
pub fn parse_period(s: &str) -> Result<Period, String> {
    let text = s.trim();
    let length = match text.parse::<u64>() {
        Ok(days) => Duration::from_secs(days * 86_400),
        Err(_) => humantime::parse_duration(text).map_err(|e| format!("{text:?}: {e}"))?,
    };
    if length.is_zero() {
        return Err(format!(
            "{text:?}: a retention period must be longer than zero"
        ));
    }
    Ok(Period {
        text: text.to_string(),
        length,
    })
}

/// One policy: files whose path matches `glob` are kept for `period`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Glob on the record's path (`**/Pasakumi/**`; `*` does not cross `/`).
    pub glob: String,
    /// How long.
    pub period: Period,
}

/// Parses `GLOB=PERIOD` (the last `=` splits them).
pub fn parse_retention_policy(s: &str) -> Result<RetentionPolicy, String> {
    let (glob, period) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("{s:?}: expected GLOB=PERIOD, e.g. **/Personals/**=75y"))?;
    Ok(RetentionPolicy {
        glob: glob.trim().to_string(),
        period: parse_period(period)?,
    })
}

/// The policies of a scan, compiled, with the time ages are measured at.
#[derive(Debug)]
pub struct Retention {
    globs: GlobSet,
    policies: Vec<RetentionPolicy>,
    default: Option<Period>,
    now: SystemTime,
}

impl Retention {
    /// Compiles the policies; `None` when there are none and no default (nothing to check).
    pub fn new(
        policies: Vec<RetentionPolicy>,
        default: Option<Period>,
        now: SystemTime,
    ) -> Result<Option<Retention>> {
        if policies.is_empty() && default.is_none() {
            return Ok(None);
        }
        let mut builder = GlobSetBuilder::new();
        for policy in &policies {
            let glob = GlobBuilder::new(&policy.glob)
                .literal_separator(true)
                .build()
                .with_context(|| format!("retention policy glob {:?}", policy.glob))?;
            builder.add(glob);
        }
        Ok(Some(Retention {
            globs: builder.build()?,
            policies,
            default,
            now,
        }))
    }

    /// The retention check of a record holding personal data with a known modified time: the
    /// last matching policy, else the default. `None` when neither applies.
    pub fn check(
        &self,
        path: &str,
        modified: Option<&str>,
        personal_data: bool,
    ) -> Option<RetentionCheck> {
        if !personal_data {
            return None;
        }
        let modified = humantime::parse_rfc3339(modified?).ok()?;
        let path = match path.contains('\\') {
            true => std::borrow::Cow::Owned(path.replace('\\', "/")),
            false => std::borrow::Cow::Borrowed(path),
        };
        let (policy, period) = match self.globs.matches(path.as_ref()).last() {
            Some(&i) => (self.policies[i].glob.clone(), &self.policies[i].period),
            None => ("default".to_string(), self.default.as_ref()?),
        };
        let age = self.now.duration_since(modified).unwrap_or_default();
        Some(RetentionCheck {
            policy,
            period: period.text.clone(),
            age_days: age.as_secs() / 86_400,
            over_retention: age > period.length,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retention() -> Retention {
        let now = humantime::parse_rfc3339("2026-11-22T00:00:00Z").unwrap();
        Retention::new(
            vec![
                parse_retention_policy("**/Pasakumi/**=1y").unwrap(),
                parse_retention_policy("**/Personals/**=75y").unwrap(),
                parse_retention_policy("**/Personals/Kandidati/**=6months").unwrap(),
            ],
            Some(parse_period("10y").unwrap()),
            now,
        )
        .unwrap()
        .unwrap()
    }

    #[test]
    fn the_last_matching_policy_applies_and_age_is_in_whole_days() {
        let r = retention();
        let event = r
            .check(
                "share/Pasakumi/2024/saraksts.xlsx",
                Some("2024-11-22T00:00:00Z"),
                true,
            )
            .unwrap();
        assert_eq!(event.policy, "**/Pasakumi/**");
        assert_eq!(event.age_days, 730);
        assert!(event.over_retention);
        let hr = r
            .check(
                "share/Personals/ligums.docx",
                Some("1990-01-01T00:00:00Z"),
                true,
            )
            .unwrap();
        assert!(!hr.over_retention, "75 years not yet over");
        let candidate = r
            .check(
                "share/Personals/Kandidati/cv.pdf",
                Some("2026-01-01T00:00:00Z"),
                true,
            )
            .unwrap();
        assert_eq!(candidate.period, "6months");
        assert!(candidate.over_retention);
    }

    #[test]
    fn the_default_applies_where_no_policy_matches_and_clean_files_are_not_checked() {
        let r = retention();
        let other = r
            .check("share/cits.txt", Some("2010-01-01T00:00:00Z"), true)
            .unwrap();
        assert_eq!(other.policy, "default");
        assert!(other.over_retention);
        assert!(
            r.check("share/cits.txt", Some("2010-01-01T00:00:00Z"), false)
                .is_none()
        );
        // `*` does not cross a folder.
        let shallow = Retention::new(
            vec![parse_retention_policy("share/*.txt=1y").unwrap()],
            None,
            SystemTime::now(),
        )
        .unwrap()
        .unwrap();
        assert!(
            shallow
                .check("share/a/b.txt", Some("2010-01-01T00:00:00Z"), true)
                .is_none()
        );
    }

    #[test]
    fn periods_and_policies_parse() {
        assert_eq!(parse_period("30").unwrap().length.as_secs(), 30 * 86_400);
        assert!(parse_period("0d").is_err());
        assert!(parse_period("soon").is_err());
        let p = parse_retention_policy("a=b/**=2y").unwrap();
        assert_eq!(p.glob, "a=b/**");
        assert!(parse_retention_policy("**/x").is_err());
    }
}
