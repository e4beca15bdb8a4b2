//! What the search index keeps between renders: each page's terms, by a
//! digest of what they were taken from (its title, keys and body), so
//! that a render takes again only the terms of pages that changed and
//! adds the others' to the postings by number, not by looking each word
//! up (issue 27: the index was a tenth of a one-change build's CPU at
//! 10,000 entries, most of it taking and adding terms that had not
//! changed). The live preview keeps it in memory; `build` keeps it
//! beside the output (`site::reuse`), as bytes this module reads and
//! writes.
//!
//! Format, every number little-endian (after the kept file's header,
//! which `site::publish::SEARCH` writes and checks):
//!
//! ```text
//! identity     string: the binary's version and file identity
//! terms        u32 count, then each term a string
//! pages        u32 count, then per page: its key (32 bytes), u32 count,
//!              then each of its terms as u32: term number × 4 + field
//! seal         XXH3-128 of every byte before it, header included (`integrity::Seal`)
//! ```
//!
//! A string is a u32 byte length and its UTF-8 bytes. Anything unexpected
//! (another identity, a count past the file's end, a term number past the
//! terms, a wrong seal) gives no memo: then every page's terms are taken.

use crate::output::integrity::{self, Front};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Each page's terms by its key ([`page_key`]), each term as its number
/// in `terms` × 4 + its field (0 title, 1 keys, 2 text), in the order
/// the page's terms were taken.
#[derive(Default)]
pub struct SearchMemo {
    /// The terms one after another, each ending where `ends` says: one
    /// string, not one a term, so that a memo takes in memory about what
    /// its file takes on disk.
    text: String,
    ends: Vec<u32>,
    pub(crate) pages: HashMap<[u8; 32], Vec<u32>>,
}

/// The most terms a memo numbers: a term and its field share a `u32`.
pub const MAX_TERMS: usize = 1 << 30;

/// What a page's terms are taken from, hashed: the same key, the same
/// terms (for one binary: the memo is read only by the binary that wrote
/// it). Each part goes in with its length, so no two pages share a key by
/// moving text from one part to another.
pub fn page_key(title: &str, keys: &str, body_is_text: bool, body: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [title, keys, body] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update([u8::from(body_is_text)]);
    h.finalize().into()
}

impl SearchMemo {
    /// A memo of `terms`, numbered in that order, and `pages`' terms by
    /// those numbers; `None` when there are too many to number.
    pub fn new(terms: &[String], pages: HashMap<[u8; 32], Vec<u32>>) -> Option<SearchMemo> {
        if terms.len() >= MAX_TERMS {
            return None;
        }
        let mut text = String::with_capacity(terms.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(terms.len());
        for t in terms {
            text.push_str(t);
            ends.push(u32::try_from(text.len()).ok()?);
        }
        Some(SearchMemo { text, ends, pages })
    }

    /// How many terms it numbers.
    pub fn terms(&self) -> usize {
        self.ends.len()
    }

    /// Term number `n`.
    pub fn term(&self, n: usize) -> Option<&str> {
        let end = *self.ends.get(n)? as usize;
        let start = match n.checked_sub(1) {
            Some(m) => *self.ends.get(m)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// How many pages' terms it holds.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The memo as a kept file's bytes after `header`, for `identity`,
    /// its seal last. Pages in key order: the same memo, the same bytes.
    pub fn encode(&self, header: &[u8], identity: &str) -> Option<Vec<u8>> {
        let mut out = header.to_vec();
        let count = |n: usize, out: &mut Vec<u8>| -> Option<()> {
            out.extend(u32::try_from(n).ok()?.to_le_bytes());
            Some(())
        };
        let string = |s: &str, out: &mut Vec<u8>| -> Option<()> {
            count(s.len(), out)?;
            out.extend(s.as_bytes());
            Some(())
        };
        string(identity, &mut out)?;
        count(self.terms(), &mut out)?;
        for n in 0..self.terms() {
            string(self.term(n)?, &mut out)?;
        }
        let mut pages: Vec<_> = self.pages.iter().collect();
        pages.sort_unstable_by_key(|(k, _)| *k);
        count(pages.len(), &mut out)?;
        for (key, terms) in pages {
            out.extend(key);
            count(terms.len(), &mut out)?;
            for t in terms {
                out.extend(t.to_le_bytes());
            }
        }
        Some(integrity::sealed(out))
    }

    /// The memo in `bytes` (a kept file's, starting with `header`) when
    /// they are exactly one written for `identity`, seal and all.
    pub fn decode(bytes: &[u8], header: &[u8], identity: &str) -> Option<SearchMemo> {
        let body = integrity::unsealed(bytes)?;
        let mut r = Front(body.strip_prefix(header)?);
        if r.string()? != identity {
            return None;
        }
        // Each term takes at least its length's 4 bytes, each page its
        // key and count: counts past that are refused before allocating.
        let n = r.count(4)?;
        let (mut text, mut ends) = (String::new(), Vec::with_capacity(n));
        for _ in 0..n {
            text.push_str(r.string()?);
            ends.push(u32::try_from(text.len()).ok()?);
        }
        let n = r.count(36)?;
        let mut pages = HashMap::with_capacity(n);
        for _ in 0..n {
            let key = r.array::<32>()?;
            let m = r.count(4)?;
            let list: Vec<u32> = r
                .take(m * 4)?
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            let known = |t: &u32| ((t >> 2) as usize) < ends.len() && t & 3 < 3;
            if !list.iter().all(known) {
                return None;
            }
            pages.insert(key, list);
        }
        r.0.is_empty().then_some(SearchMemo { text, ends, pages })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &[u8] = b"# test search terms\n";

    fn sample() -> SearchMemo {
        let terms = ["alpha", "beta", "日本", "z"].map(String::from);
        let mut pages = HashMap::new();
        pages.insert(page_key("A", "k", false, "x"), vec![1, 4 + 2, 8 + 1]);
        pages.insert(page_key("B", "", true, "y z"), vec![12]);
        pages.insert(page_key("C", "", true, ""), vec![]);
        SearchMemo::new(&terms, pages).unwrap()
    }

    fn terms(memo: &SearchMemo) -> Vec<&str> {
        (0..memo.terms()).map(|n| memo.term(n).unwrap()).collect()
    }

    #[test]
    fn a_memo_reads_back_and_a_damaged_or_foreign_one_is_none() {
        let memo = sample();
        let b = memo.encode(HEAD, "me").unwrap();
        let back = SearchMemo::decode(&b, HEAD, "me").expect("reads back");
        assert_eq!(terms(&back), ["alpha", "beta", "日本", "z"]);
        assert_eq!(memo.term(4), None);
        assert_eq!(back.pages, memo.pages);
        assert_eq!(back.encode(HEAD, "me").unwrap(), b, "the same bytes");
        assert!(SearchMemo::decode(&b, HEAD, "another binary").is_none());
        assert!(SearchMemo::decode(&b, b"# other\n", "me").is_none());
        for cut in [0, 1, HEAD.len(), b.len() / 2, b.len() - 1] {
            assert!(
                SearchMemo::decode(&b[..cut], HEAD, "me").is_none(),
                "cut at {cut}"
            );
        }
        for at in [HEAD.len() + 1, b.len() / 2, b.len() - 40, b.len() - 1] {
            let mut flipped = b.clone();
            flipped[at] ^= 0x10;
            assert!(
                SearchMemo::decode(&flipped, HEAD, "me").is_none(),
                "flipped at {at}"
            );
        }
    }

    /// A well-sealed memo whose numbers point past its terms, or whose
    /// counts claim more than the file holds, is refused.
    #[test]
    fn numbers_past_the_terms_and_counts_past_the_end_are_refused() {
        let seal = integrity::sealed;
        let mut memo = sample();
        memo.pages.insert([7; 32], vec![4 * 4]);
        let b = memo.encode(HEAD, "me").unwrap();
        assert!(SearchMemo::decode(&b, HEAD, "me").is_none(), "term 4 of 4");
        let mut memo = sample();
        memo.pages.insert([7; 32], vec![3]);
        let b = memo.encode(HEAD, "me").unwrap();
        assert!(SearchMemo::decode(&b, HEAD, "me").is_none(), "field 3");
        let mut huge = HEAD.to_vec();
        huge.extend(2u32.to_le_bytes());
        huge.extend(b"me");
        huge.extend(u32::MAX.to_le_bytes());
        assert!(SearchMemo::decode(&seal(huge), HEAD, "me").is_none());
    }

    #[test]
    fn moving_text_between_a_pages_parts_changes_its_key() {
        let a = page_key("ab", "c", false, "");
        assert_ne!(a, page_key("a", "bc", false, ""));
        assert_ne!(a, page_key("ab", "", false, "c"));
        assert_ne!(a, page_key("ab", "c", true, ""));
        assert_eq!(a, page_key("ab", "c", false, ""));
    }
}
