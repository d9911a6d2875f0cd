//! Keyed fingerprints of values (BLAKE3 keyed mode). Personal codes have only about 10⁹ values,
//! so an unkeyed hash could be brute-forced; the key lives in a key file outside the inventory.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A fingerprint key loaded from (or created in) a key file.
#[derive(Clone)]
pub struct FingerprintKey([u8; 32]);

impl std::fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FingerprintKey(..)")
    }
}

/// A 128-bit keyed fingerprint.
pub type Fingerprint = [u8; 16];

impl FingerprintKey {
    /// The default key file: `$PIIMAP_KEY_FILE`, else `piimap/fingerprint.key` under the user's
    /// config directory (`%APPDATA%` on Windows, `$XDG_CONFIG_HOME` or `~/.config` elsewhere).
    pub fn default_path() -> Result<PathBuf> {
        if let Some(p) = std::env::var_os("PIIMAP_KEY_FILE") {
            return Ok(PathBuf::from(p));
        }
        let base = if cfg!(windows) {
            std::env::var_os("APPDATA").map(PathBuf::from)
        } else {
            std::env::var_os("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        };
        let base = base.context("no config directory (set HOME, APPDATA or --key-file)")?;
        Ok(base.join("piimap").join("fingerprint.key"))
    }

    /// Loads the key, creating the file with a random key and owner-only permissions if it
    /// does not exist, and saying so on stderr: a new key means that fingerprints stop matching
    /// those of earlier scans. Its folder is created only for the default key file
    /// (`create_folder`); a key file named by the user in a folder that does not exist is an
    /// error, not a new key in a new folder.
    pub fn load_or_create(path: &Path, create_folder: bool) -> Result<FingerprintKey> {
        match fs::read_to_string(path) {
            Ok(text) => {
                Self::parse(text.trim()).with_context(|| format!("key file {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::create(path, create_folder)?;
                eprintln!(
                    "piimap: created a new fingerprint key in {}: keep it to compare later \
                     scans with this one (fingerprints made under another key do not match)",
                    path.display()
                );
                Ok(key)
            }
            Err(e) => Err(e).with_context(|| format!("cannot read key file {}", path.display())),
        }
    }

    /// The key as 64 hex digits, as its key file holds it (for a reader process's setup).
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A key from 64 hex digits.
    pub fn from_hex(hex: &str) -> Result<FingerprintKey> {
        Self::parse(hex)
    }

    fn parse(hex: &str) -> Result<FingerprintKey> {
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            bail!("expected 64 hex digits");
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)?;
        }
        Ok(FingerprintKey(key))
    }

    fn create(path: &Path, create_folder: bool) -> Result<FingerprintKey> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no randomness for the key: {e}"))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if create_folder {
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            } else if !dir.is_dir() {
                bail!(
                    "the key file {} does not exist, and neither does its folder: check the \
                     path (a new key would not match earlier scans)",
                    path.display()
                );
            }
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(path)
            .with_context(|| format!("cannot create key file {}", path.display()))?;
        let key = FingerprintKey(key);
        writeln!(file, "{}", key.to_hex())
            .with_context(|| format!("cannot write key file {}", path.display()))?;
        Ok(key)
    }

    /// The fingerprint of a normalised value of a kind.
    pub fn fingerprint(&self, kind: &str, value: &str) -> Fingerprint {
        let mut hasher = blake3::Hasher::new_keyed(&self.0);
        hasher.update(kind.as_bytes());
        hasher.update(&[0]);
        hasher.update(value.as_bytes());
        let mut out = [0u8; 16];
        out.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        out
    }
}

/// Lower-case hex of a fingerprint.
pub fn to_hex(fp: &Fingerprint) -> String {
    hex(fp)
}

/// Lower-case hex of `bytes` (by hand: `format!` per byte was 2 % of a text scan).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("k.key");
        let a = FingerprintKey::load_or_create(&path, true).unwrap();
        let b = FingerprintKey::load_or_create(&path, false).unwrap();
        assert_eq!(
            a.fingerprint("email", "a@b.lv"),
            b.fingerprint("email", "a@b.lv")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn fingerprints_depend_on_key_kind_and_value() {
        let k1 = FingerprintKey([1; 32]);
        let k2 = FingerprintKey([2; 32]);
        let fp = k1.fingerprint("lv_personal_code", "16117519997");
        assert_ne!(fp, k2.fingerprint("lv_personal_code", "16117519997"));
        assert_ne!(fp, k1.fingerprint("phone", "16117519997"));
        assert_ne!(fp, k1.fingerprint("lv_personal_code", "16117519998"));
        assert_eq!(to_hex(&fp).len(), 32);
    }

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x9f, 0xff, 0x0a]), "009fff0a");
        let key = FingerprintKey([0xab; 32]);
        assert_eq!(FingerprintKey::from_hex(&key.to_hex()).unwrap().0, key.0);
    }

    #[test]
    fn bad_key_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        fs::write(&path, "zz").unwrap();
        assert!(FingerprintKey::load_or_create(&path, true).is_err());
    }

    #[test]
    fn a_named_key_file_in_a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nav").join("k.key");
        let err = FingerprintKey::load_or_create(&path, false).unwrap_err();
        assert!(err.to_string().contains("neither does its folder"), "{err}");
        assert!(!dir.path().join("nav").exists());
    }
}
