//! Latvian letters without their diacritics. Also compiled into the build script, which
//! builds the first names' forms table with it.

/// Latvian letters without their diacritics (`Tālrunis` → `Talrunis`); other text unchanged.
pub fn without_diacritics(text: &str) -> std::borrow::Cow<'_, str> {
    const LATVIAN: [(char, char); 22] = [
        ('ā', 'a'),
        ('č', 'c'),
        ('ē', 'e'),
        ('ģ', 'g'),
        ('ī', 'i'),
        ('ķ', 'k'),
        ('ļ', 'l'),
        ('ņ', 'n'),
        ('š', 's'),
        ('ū', 'u'),
        ('ž', 'z'),
        ('Ā', 'A'),
        ('Č', 'C'),
        ('Ē', 'E'),
        ('Ģ', 'G'),
        ('Ī', 'I'),
        ('Ķ', 'K'),
        ('Ļ', 'L'),
        ('Ņ', 'N'),
        ('Š', 'S'),
        ('Ū', 'U'),
        ('Ž', 'Z'),
    ];
    let plain = |c: char| {
        (!c.is_ascii())
            .then(|| LATVIAN.iter().find(|(l, _)| *l == c).map(|(_, p)| *p))
            .flatten()
    };
    if text.is_ascii() || text.chars().all(|c| plain(c).is_none()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().map(|c| plain(c).unwrap_or(c)).collect())
}
