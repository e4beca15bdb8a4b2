//! Enumerations written in content as slugs, and how a spelling is
//! matched to one (shared by the YAML reader, the importer and the CLI).

/// Spreadsheet exports write `In Progress`, `in_progress` or `IN-PROGRESS`:
/// all mean the same, so we compare with case, spaces, `_` and `-` removed.
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// An enumeration whose values are written as slugs (`in-progress`).
pub trait Enumerated: Sized + Copy + 'static {
    const ALL: &'static [Self];
    /// The type's name: with the slug, the key of the label's translation
    /// (`Status` + `in-progress` → `status-in-progress`, see
    /// `content::i18n`).
    const KIND: &'static str;
    fn slug(self) -> &'static str;

    fn from_text(s: &str) -> Option<Self> {
        // Most files spell the slug exactly: only other spellings pay for
        // normalising (slugs differ even when normalised).
        if let Some(v) = Self::ALL.iter().copied().find(|v| v.slug() == s) {
            return Some(v);
        }
        let n = normalise(s);
        Self::ALL.iter().copied().find(|v| normalise(v.slug()) == n)
    }
}
