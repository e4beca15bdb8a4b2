//! Where each page lives, and how names become URL segments: shared by
//! every output that links to a page.

use crate::model::Register;
use std::collections::{BTreeSet, HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A readable URL segment for a name: letters kept (accents dropped, other
/// scripts as they are, lower case where the script has case), anything
/// else becomes `-`. Non-ASCII letters stay in the file name on disk and are
/// percent-encoded in links (see [`encode_segment`]).
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    };
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
        match latin_letter(c) {
            Some(ascii) => ascii.chars().for_each(|a| push(a, &mut out)),
            None => push(c, &mut out),
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "item".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Latin letters that Unicode does not decompose into a base letter and an
/// accent, spelt the way their languages write them in ASCII.
fn latin_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'ø' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'þ' | 'Þ' => "th",
        'ħ' | 'Ħ' => "h",
        'ı' => "i",
        'ŧ' | 'Ŧ' => "t",
        'ĸ' => "k",
        'ŋ' | 'Ŋ' => "ng",
        _ => return None,
    })
}

/// Gives each distinct name its own slug. A name keeps its plain slug
/// unless a name that sorts before it has the same one; the others get a
/// suffix from a hash of their own text (`it-ops-3f9a1c`), so a name's URL
/// does not depend on how many other names there are or where they appear.
pub fn unique_slugs<'a>(names: impl Iterator<Item = &'a String>) -> HashMap<String, String> {
    let distinct: BTreeSet<&String> = names.collect();
    let plain: HashSet<String> = distinct.iter().map(|n| slugify(n)).collect();
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = HashMap::with_capacity(distinct.len());
    for name in distinct {
        let base = slugify(name);
        let slug = if taken.insert(base.clone()) {
            base
        } else {
            suffixed(&base, name, |s| !plain.contains(s) && !taken.contains(s))
        };
        taken.insert(slug.clone());
        out.insert(name.clone(), slug);
    }
    out
}

/// `base` with the shortest hex prefix of the name's hash that is `free`.
fn suffixed(base: &str, name: &str, free: impl Fn(&str) -> bool) -> String {
    let hash = format!("{:016x}", fnv1a(name.as_bytes()));
    (6..=16)
        .step_by(2)
        .map(|n| format!("{base}-{}", &hash[..n]))
        .find(|s| free(s))
        .unwrap_or_else(|| format!("{base}-{hash}-{}", name.len()))
}

/// FNV-1a: a hash that is the same on every machine and every run, which
/// `std`'s randomly seeded hasher is not.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The page of a term (owner, control, tag) in `dir`, as a link.
pub fn term_url(dir: &str, slug: &str) -> String {
    format!("{dir}/{}/index.html", encode_segment(slug))
}

/// What a path segment keeps as is: letters, digits and `-_.~` (RFC 3986's
/// unreserved characters); every other byte is `%XX`.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a path segment that came from a file name.
pub fn encode_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

pub fn entry_url(id: &str) -> String {
    format!("register/{id}/index.html")
}

pub fn plan_url(slug: &str) -> String {
    format!("plans/{}/index.html", encode_segment(slug))
}

pub fn review_url(slug: &str) -> String {
    format!("reviews/{}/index.html", encode_segment(slug))
}

/// An absolute link to a page, only for a base URL that is safe to write
/// as a URI value (no spaces or control characters).
pub fn page_url(reg: &Register, rel: &str) -> Option<String> {
    let base = reg.site.base_url.as_deref()?;
    let url = format!("{base}{rel}");
    (!url.chars().any(|c| c.is_whitespace() || c.is_control())).then_some(url)
}

/// A `webcal://` address that mail clients open as a subscription, for a
/// calendar at `rel` below the site root; only when `base_url` is set.
pub fn subscribe_url(reg: &Register, rel: &str) -> Option<String> {
    let url = page_url(reg, rel)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    Some(format!("webcal://{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_letters() {
        assert_eq!(slugify("Zoë Müller"), "zoe-muller");
        assert_eq!(slugify("Łukasz Żółć"), "lukasz-zolc");
        assert_eq!(
            slugify("Øystein Aßmann-Þórsson"),
            "oystein-assmann-thorsson"
        );
        assert_eq!(slugify("Œuvre Æther đ"), "oeuvre-aether-d");
        assert_eq!(slugify("张伟"), "张伟");
        assert_eq!(slugify("Ирина Петрова"), "ирина-петрова");
        assert_eq!(slugify("IT Operations"), "it-operations");
        assert_eq!(slugify("A.5.15"), "a-5-15");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("€€"), "item");
    }

    #[test]
    fn other_scripts_are_percent_encoded_in_links() {
        assert_eq!(
            term_url("owners", "zoe-muller"),
            "owners/zoe-muller/index.html"
        );
        assert_eq!(
            term_url("owners", "张伟"),
            "owners/%E5%BC%A0%E4%BC%9F/index.html"
        );
    }

    #[test]
    fn clashing_names_get_distinct_slugs() {
        let names = [
            "IT Ops".to_string(),
            "it-ops".to_string(),
            "张伟".to_string(),
        ];
        let s = unique_slugs(names.iter());
        assert_eq!(s["IT Ops"], "it-ops");
        assert!(s["it-ops"].starts_with("it-ops-"), "{s:?}");
        assert_ne!(s["it-ops"], "it-ops");
        assert_eq!(s["张伟"], "张伟");
    }

    #[test]
    fn slugs_stay_when_other_names_are_added() {
        let before = ["Zoë Müller", "Zoe Muller", "Ann"].map(String::from);
        // New names that slug the same, in any order and number.
        let after = [
            "zoe muller",
            "Zoë Müller",
            "Ann",
            "Zoe Muller",
            "zoe-müller!",
        ]
        .map(String::from);
        let old = unique_slugs(before.iter());
        let new = unique_slugs(after.iter());
        for name in &before {
            assert_eq!(old[name], new[name], "{name}");
        }
        assert_eq!(old["Zoe Muller"], "zoe-muller");
        let all: HashSet<&String> = new.values().collect();
        assert_eq!(all.len(), after.len(), "{new:?}");
    }

    #[test]
    fn a_hash_suffix_never_takes_another_names_plain_slug() {
        let first = unique_slugs(["a b".to_string(), "A B".to_string()].iter());
        let taker = first["a b"].clone();
        let names = ["A B".to_string(), "a b".to_string(), taker.clone()];
        let s = unique_slugs(names.iter());
        assert_eq!(s[&taker], taker);
        assert_ne!(s["a b"], taker);
        let all: HashSet<&String> = s.values().collect();
        assert_eq!(all.len(), 3, "{s:?}");
    }
}
