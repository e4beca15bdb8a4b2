//! The big exports' per-entry pieces, taken from the last build (issue 27).
//!
//! `register.csv` and `register.json` give each entry a piece of its own
//! (a row; an object of the `entries` list) made from that entry and its
//! computed facts alone. Made again for every entry, the two cost a third
//! of a one-entry rebuild at 10,000 entries. So a build records where each
//! piece lies in the file it wrote, under a key of what the piece was made
//! from ([`Pieces::key`]), and the next build copies each piece whose key
//! is unchanged out of the published file instead of making it again.
//!
//! The build cache carries the record (`site::reuse`), beside the stamp
//! and SHA-256 of the very file it describes: a build opens the published
//! file only when it still has that stamp (`site::build`), so the bytes
//! copied are the bytes recorded. A piece that cannot be read whole is
//! made again. Same bytes as a cold build, always (tests in
//! `tests/suite/publishing.rs`).

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{self, Write};
use std::sync::Mutex;

/// What a piece was made from, as a digest.
pub type Key = [u8; 32];

/// Where one piece lies in its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: u64,
    pub len: u64,
}

/// Each export file's pieces in the order written, by file.
pub type Index = BTreeMap<String, Vec<(Key, Span)>>;

/// A published export to copy pieces from: the file, opened, and where
/// each of its pieces lies.
pub struct Published {
    file: fs::File,
    spans: HashMap<Key, Span>,
}

impl Published {
    /// `file` (of `len` bytes) with its pieces at `spans`; `None` when
    /// they cannot be a record of it: a piece past its end, or more bytes
    /// of pieces than it holds (a cache made up to copy one piece over
    /// and over would grow the export without bound).
    pub fn new(file: fs::File, len: u64, spans: HashMap<Key, Span>) -> Option<Published> {
        let mut total: u64 = 0;
        for s in spans.values() {
            let end = s.start.checked_add(s.len)?;
            total = total.checked_add(s.len)?;
            if end > len || total > len {
                return None;
            }
        }
        Some(Published { file, spans })
    }
}

/// The pieces of one render: those the published exports hold (by file
/// name), and those written now, for the next build.
/// The default keeps none: no key is made (the live preview, and
/// callers that only want the bytes).
#[derive(Default)]
pub struct Pieces {
    /// `None`: no piece is keyed, copied or recorded.
    salt: Option<Vec<u8>>,
    earlier: HashMap<String, Published>,
    made: Mutex<Index>,
}

/// A piece larger than this is never copied (none comes near it).
const MAX_PIECE: u64 = 64 * 1024 * 1024;

/// How much of a published file a copy reads at once. The pieces come in
/// the order they were published in, so most lie in the window the last
/// one was read with: one read per piece was 40,000 system calls a build
/// at 10,000 entries.
const WINDOW: u64 = 1024 * 1024;

impl Pieces {
    /// Pieces keyed on `salt` (the binary and the options: a piece made
    /// by another binary is never copied), taking from `earlier`.
    pub fn new(salt: &[u8], earlier: HashMap<String, Published>) -> Pieces {
        Pieces {
            salt: Some(salt.to_vec()),
            earlier,
            made: Mutex::default(),
        }
    }

    /// The key of entry `digest`'s piece of `file`: the entry's digest
    /// (every field and position, `pages::RenderContext::entry_digest`)
    /// and `reads`, the digest of whatever else the piece is made from
    /// (its computed facts, `pages::RenderContext::facts_digest`, made
    /// once for every file; for the POA&M's pieces the site, the finding
    /// and the plans naming it instead). `None` when these pieces keep
    /// none.
    pub fn key(&self, file: &str, digest: &[u8; 32], reads: &[u8; 32]) -> Option<Key> {
        let salt = self.salt.as_ref()?;
        let mut h = Sha256::new();
        h.update((salt.len() as u64).to_le_bytes());
        h.update(salt);
        h.update(file.as_bytes());
        h.update([0]);
        h.update(digest);
        h.update(reads);
        Some(h.finalize().into())
    }

    /// A writer of `file`'s pieces into `out`.
    pub fn writer<'a>(&'a self, file: &str, out: &'a mut dyn Write) -> Spliced<'a> {
        Spliced {
            out,
            at: 0,
            file: file.to_string(),
            earlier: self.earlier.get(file),
            made: Vec::new(),
            pieces: self,
            buf: Vec::new(),
            window: Window::default(),
        }
    }

    /// What was written, for the next build.
    pub fn into_index(self) -> Index {
        self.made.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Writes one export: plain bytes and pieces, each piece copied from the
/// published file when it holds one under the same key.
pub struct Spliced<'a> {
    out: &'a mut dyn Write,
    at: u64,
    file: String,
    earlier: Option<&'a Published>,
    made: Vec<(Key, Span)>,
    pieces: &'a Pieces,
    buf: Vec<u8>,
    window: Window,
}

/// The part of the published file read last, at `start`.
#[derive(Default)]
struct Window {
    start: u64,
    bytes: Vec<u8>,
}

impl Window {
    /// `span`'s bytes from `file`, read again from its start when the
    /// window does not hold it whole.
    fn get(&mut self, file: &fs::File, span: Span) -> io::Result<&[u8]> {
        let holds = |w: &Window| {
            span.start >= w.start && span.start + span.len <= w.start + w.bytes.len() as u64
        };
        if !holds(self) {
            self.bytes.resize(span.len.max(WINDOW) as usize, 0);
            let read = read_some_at(file, &mut self.bytes, span.start)?;
            self.bytes.truncate(read);
            self.start = span.start;
            if !holds(self) {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        let at = (span.start - self.start) as usize;
        Ok(&self.bytes[at..at + span.len as usize])
    }
}

impl Spliced<'_> {
    /// Writes bytes that belong to no piece (headers, separators).
    pub fn plain(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Writes the piece under `key`: copied when the published file has
    /// it, otherwise made by `make` (which is given an empty buffer). A
    /// piece with no key is made, and not recorded.
    pub fn piece(
        &mut self,
        key: Option<Key>,
        make: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let start = self.at;
        let copied = match &key {
            Some(k) => self.copy(k)?,
            None => false,
        };
        if !copied {
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            make(&mut buf)?;
            self.plain(&buf)?;
            self.buf = buf;
        }
        if let Some(key) = key {
            let len = self.at - start;
            self.made.push((key, Span { start, len }));
        }
        Ok(())
    }

    /// Writes the published piece under `key` straight from the window it
    /// was read into (through a buffer of its own, it was one more copy of
    /// 150 MB a one-change build at 10,000 entries, issue 27); `false`,
    /// having written nothing, when there is none or it cannot be read
    /// whole.
    fn copy(&mut self, key: &Key) -> io::Result<bool> {
        let Some(p) = self.earlier else {
            return Ok(false);
        };
        let Some(span) = p.spans.get(key).filter(|s| s.len <= MAX_PIECE).copied() else {
            return Ok(false);
        };
        let Ok(bytes) = self.window.get(&p.file, span) else {
            return Ok(false);
        };
        self.out.write_all(bytes)?;
        self.at += span.len;
        Ok(true)
    }

    /// Records where this file's pieces went.
    pub fn finish(self) {
        let mut made = self.pieces.made.lock().unwrap_or_else(|e| e.into_inner());
        made.insert(self.file, self.made);
    }
}

/// Fills `buf` from `file` at `at` as far as the file goes; returns how
/// much was read.
#[cfg(unix)]
fn read_some_at(file: &fs::File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut read = 0;
    while read < buf.len() {
        match file.read_at(&mut buf[read..], at + read as u64) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(read)
}

#[cfg(not(unix))]
fn read_some_at(_: &fs::File, _: &mut [u8], _: u64) -> io::Result<usize> {
    Err(io::Error::other("pieces are copied on Unix only"))
}

/// An index of one file as the build cache keeps it: each piece's key,
/// start and length (32 + 8 + 8 bytes), then the SHA-256 of those, in
/// hexadecimal. The digest finds a damaged line: its pieces would be
/// copied from the wrong places.
pub fn encode(pieces: &[(Key, Span)]) -> String {
    let mut bytes = Vec::with_capacity(pieces.len() * 48 + 32);
    for (key, span) in pieces {
        bytes.extend_from_slice(key);
        bytes.extend_from_slice(&span.start.to_le_bytes());
        bytes.extend_from_slice(&span.len.to_le_bytes());
    }
    let sum = Sha256::digest(&bytes);
    bytes.extend_from_slice(&sum);
    let mut text = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
    }
    // Hex digits only: always text.
    String::from_utf8(text).unwrap_or_default()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The spans [`encode`] wrote, by key; `None` when damaged.
pub fn decode(text: &str) -> Option<HashMap<Key, Span>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let bytes: Vec<u8> = text
        .as_bytes()
        .chunks(2)
        .map(|p| match p {
            [a, b] => Some(digit(*a)? << 4 | digit(*b)?),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let body_len = bytes.len().checked_sub(32)?;
    let (body, sum) = bytes.split_at(body_len);
    if body.len() % 48 != 0 || Sha256::digest(body).as_slice() != sum {
        return None;
    }
    let num = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
    Some(
        body.chunks(48)
            .map(|c| {
                let key: Key = c[..32].try_into().unwrap_or_default();
                let span = Span {
                    start: num(&c[32..40]),
                    len: num(&c[40..48]),
                };
                (key, span)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_reads_back_and_a_damaged_one_does_not() {
        let pieces = vec![
            ([1; 32], Span { start: 0, len: 5 }),
            ([2; 32], Span { start: 5, len: 7 }),
        ];
        let text = encode(&pieces);
        let back = decode(&text).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[&[2; 32]], Span { start: 5, len: 7 });
        // One digit changed, one dropped, none at all.
        let mut bad = text.clone().into_bytes();
        bad[70] = if bad[70] == b'0' { b'1' } else { b'0' };
        assert!(decode(std::str::from_utf8(&bad).unwrap()).is_none());
        assert!(decode(&text[1..]).is_none());
        assert!(decode("").is_none());
        assert!(decode("zz").is_none());
    }

    /// Pieces read through the window in any order, across its edges,
    /// larger than it and at the very end of the file, come out as the
    /// file holds them; a span past the end gives nothing.
    #[test]
    fn the_window_gives_every_span_s_bytes_in_any_order() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("published");
        let len = 3 * WINDOW + 123;
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let file = fs::File::open(&path).unwrap();
        let mut window = Window::default();
        let mut rng = crate::model::rng::XorShift::new(0x1234_5678_9ABC_DEF1);
        let mut next = || rng.next_u64();
        let fixed = [
            Span {
                start: WINDOW - 3,
                len: 10,
            },
            Span {
                start: 0,
                len: 2 * WINDOW + 5,
            },
            Span {
                start: len - 7,
                len: 7,
            },
            Span { start: 5, len: 0 },
        ];
        let random = (0..2000).map(|_| {
            let start = next() % len;
            Span {
                start,
                len: next() % 5000 % (len - start + 1),
            }
        });
        for span in fixed.into_iter().chain(random) {
            let (at, end) = (span.start as usize, (span.start + span.len) as usize);
            let got = window.get(&file, span).unwrap();
            assert_eq!(got, &bytes[at..end], "{span:?}");
        }
        assert!(
            window
                .get(
                    &file,
                    Span {
                        start: len - 2,
                        len: 3
                    }
                )
                .is_err()
        );
    }

    #[test]
    fn a_piece_is_copied_under_its_key_and_made_otherwise() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("old");
        fs::write(&path, b"head|one|two|").unwrap();
        let spans = HashMap::from([([1; 32], Span { start: 5, len: 4 })]);
        let file = fs::File::open(&path).unwrap();
        // Past the end: no record of this file.
        let wrong = HashMap::from([([3; 32], Span { start: 100, len: 4 })]);
        assert!(Published::new(file.try_clone().unwrap(), 13, wrong).is_none());
        let twice = HashMap::from([
            ([1; 32], Span { start: 0, len: 9 }),
            ([2; 32], Span { start: 0, len: 9 }),
        ]);
        assert!(Published::new(file.try_clone().unwrap(), 13, twice).is_none());
        let earlier = Published::new(file, 13, spans).unwrap();
        let pieces = Pieces::new(b"salt", HashMap::from([("f".to_string(), earlier)]));
        let mut out = Vec::new();
        let mut w = pieces.writer("f", &mut out);
        w.plain(b"HEAD|").unwrap();
        w.piece(Some([1; 32]), |b| b.write_all(b"new|")).unwrap();
        w.piece(Some([3; 32]), |b| b.write_all(b"three|")).unwrap();
        w.piece(None, |b| b.write_all(b"four|")).unwrap();
        w.finish();
        assert_eq!(out, b"HEAD|one|three|four|");
        let index = pieces.into_index();
        assert_eq!(
            index["f"],
            vec![
                ([1; 32], Span { start: 5, len: 4 }),
                ([3; 32], Span { start: 9, len: 6 }),
            ]
        );
    }
}
