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

/// An enumeration read back from its slug, as its `Serialize` writes it
/// (a build's kept parses, `content::cache`). Any other text is an error.
pub(crate) fn from_slug<'de, T: Enumerated, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    struct Slug<T>(std::marker::PhantomData<T>);
    impl<T: Enumerated> serde::de::Visitor<'_> for Slug<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a {} slug", T::KIND)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            T::ALL
                .iter()
                .copied()
                .find(|v| v.slug() == s)
                .ok_or_else(|| E::custom(format!("no {} is written `{s}`", T::KIND)))
        }
    }
    d.deserialize_str(Slug(std::marker::PhantomData))
}
