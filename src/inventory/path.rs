//! Paths in the inventory: a display string always, the exact bytes when the name is not UTF-8
//! (file shares do hold such names).

use std::path::Path;

use base64::Engine;

/// A path as the inventory writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRepr {
    /// Lossy UTF-8 form.
    pub text: String,
    /// Base64 of the exact OS bytes (Unix) or UTF-16LE units (Windows), when not valid UTF-8.
    pub bytes: Option<String>,
}

impl PathRepr {
    /// Represents a path.
    pub fn of(path: &Path) -> PathRepr {
        match path.to_str() {
            Some(s) => PathRepr {
                text: s.to_string(),
                bytes: None,
            },
            None => PathRepr {
                text: path.to_string_lossy().into_owned(),
                bytes: Some(base64::engine::general_purpose::STANDARD.encode(os_bytes(path))),
            },
        }
    }
}

/// The exact OS bytes of a path (Unix) or its UTF-16LE units (Windows): a key that tells
/// apart names that print alike.
pub fn exact_bytes(path: &Path) -> Vec<u8> {
    os_bytes(path)
}

/// The path whose [`exact_bytes`] are `bytes`.
pub fn from_exact_bytes(bytes: &[u8]) -> std::path::PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStringExt;
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        std::path::PathBuf::from(std::ffi::OsString::from_wide(&units))
    }
}

#[cfg(unix)]
fn os_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(windows)]
fn os_bytes(path: &Path) -> Vec<u8> {
    use std::os::windows::ffi::OsStrExt;
    path.as_os_str()
        .encode_wide()
        .flat_map(u16::to_le_bytes)
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn non_utf8_names_keep_their_bytes() {
        let p = Path::new(OsStr::from_bytes(b"dir/V\xe2rds.txt"));
        let r = PathRepr::of(p);
        assert_eq!(r.text, "dir/V\u{fffd}rds.txt");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(r.bytes.unwrap())
            .unwrap();
        assert_eq!(bytes, b"dir/V\xe2rds.txt");
        assert_eq!(PathRepr::of(Path::new("a/b.txt")).bytes, None);
        assert_eq!(from_exact_bytes(&exact_bytes(p)), p);
    }
}
