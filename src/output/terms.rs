//! The terms the search index takes from a text: its words folded (lower
//! case, accents off), its compound words, and the character pairs of
//! scripts written without spaces. `search` indexes them; an entry's
//! [`crate::output::markdown::EntryText`] keeps its body's terms made
//! already ([`text_terms`]), so that a build takes the terms of an
//! unchanged entry from the last build's Markdown instead of making them
//! again (issue 27). search.js splits and folds a query the same way.

/// The words of `lower`: runs of letters and digits (combining accents
/// included, so `Müller` in either Unicode form is one word). search.js
/// splits a query the same way.
pub(crate) fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)))
        .filter(|w| !w.is_empty())
}

/// The compound words of `lower`: between spaces, without punctuation
/// around, with some inside (`a.5.15`, `ci-017`, `end-to-end`), so that a
/// query typed with its punctuation finds them as it did in the full text.
pub(crate) fn compounds(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(char::is_whitespace)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.contains(|c: char| !c.is_alphanumeric()))
}

/// `text` lower-cased with its accents off (`Überfällig` → `uberfallig`,
/// `ß` → `ss`): search.js folds a query the same way (`fold`), so a word
/// typed without its accents finds the page, and a folded term's shard is
/// its ASCII first letter.
///
/// Text in both normal forms already with no accent to take off (most
/// non-ASCII text a register holds: `·`, `—`, quotes) is not normalised:
/// it would come out as it went in, and normalising the keys of every
/// entry (joined by ` · `) was a tenth of the search index's time.
pub(crate) fn fold(text: &str) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfd_quick};
    let lower = text.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    let accent = |c: char| ('\u{300}'..='\u{36f}').contains(&c);
    let as_it_is = !lower.contains(accent)
        && is_nfd_quick(lower.chars()) == IsNormalized::Yes
        && is_nfc_quick(lower.chars()) == IsNormalized::Yes;
    let folded = match as_it_is {
        true => lower,
        false => lower.nfd().filter(|c| !accent(*c)).nfc().collect(),
    };
    match folded.contains('ß') {
        true => folded.replace('ß', "ss"),
        false => folded,
    }
}

/// Scripts written without spaces between words (Hiragana, Katakana, Han,
/// Hangul, half-width Katakana): their text is indexed as overlapping
/// pairs of characters, since no word boundary can be found in it without
/// a dictionary. search.js (`CJK`) splits a query the same way.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0xFF66..=0xFF9D)
}

/// The character pairs of each run of [`is_cjk`] characters in `word`
/// (`パスワード管理` → `パス`, `スワ`, … `管理`); a run of one character is
/// itself.
pub(crate) fn cjk_bigrams(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in word.split(|c: char| !is_cjk(c)).filter(|r| !r.is_empty()) {
        let chars: Vec<char> = run.chars().collect();
        if chars.len() == 1 {
            out.push(run.to_string());
        }
        out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
    }
    out
}

/// The distinct terms of `text` as the index takes them from a page's
/// body (its words and compound words, folded, and their CJK pairs),
/// sorted, joined by spaces: no term holds a space.
pub(crate) fn text_terms(text: &str) -> String {
    let lower = fold(text);
    let found: Vec<&str> = words(&lower).chain(compounds(&lower)).collect();
    let pairs: Vec<String> = found
        .iter()
        .filter(|w| w.contains(is_cjk))
        .flat_map(|w| cjk_bigrams(w))
        .collect();
    let mut all: Vec<&str> = found
        .into_iter()
        .chain(pairs.iter().map(String::as_str))
        .collect();
    all.sort_unstable();
    all.dedup();
    all.join(" ")
}
