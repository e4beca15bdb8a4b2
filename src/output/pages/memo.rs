//! The Markdown memo as a file: what `build` keeps beside its output
//! between runs (`site::reuse`), so that a build over its previous output
//! parses again only the Markdown that changed, as the live preview does
//! in memory ([`MarkdownMemo`]).
//!
//! The format is our own, every number little-endian:
//!
//! ```text
//! MAGIC                       "isms-site markdown memo 1\n"
//! identity                    string: the binary's version and file identity
//! entries                     u32 count, then per entry:
//!   key                       32 bytes (`md_source`)
//!   fields                    u32 count, then per field: u16 schema index, string
//!   effectiveness note        option
//!   history notes             u32 count, then an option each
//!   nonconformity statement   option
//!   description, outcome      option each (their start, `EntryText`)
//!   terms                     string: the search terms of its texts
//! bodies                      u32 count, then per plan or review body:
//!   key                       32 bytes
//!   html, text                string each
//! seal                        XXH3-128 of every byte before it (`integrity::Seal`)
//! ```
//!
//! A string is a u32 byte length and its UTF-8 bytes; an option is a byte
//! (0 none, 1 some) and, when some, a string. Reading checks every length
//! against what the file has left before it allocates, and anything
//! unexpected (another identity, a bad tag, a short or long file, a wrong
//! seal) gives no memo: the caller renders everything, as a cold build.

use super::{EntryFields, MarkdownMemo, RenderContext};
use crate::model::schema::ENTRY;
use crate::output::integrity::{SEAL_LEN, Seal, Sealing};
use crate::output::markdown::{EntryText, Rendered};
use crate::output::sink::{Hashing, Summer};
use std::io::{self, Read, Write};

/// How a memo file starts: what proves it ours. Kept when the format
/// changes (the seal was SHA-256 before stop 42): a file that does not
/// start so is never replaced, and the identity after it already keeps
/// another binary's memo from being read.
pub const MAGIC: &[u8] = b"isms-site markdown memo 1\n";

/// The trailing seal's length.
const SEAL: u64 = SEAL_LEN as u64;

/// The fewest bytes an entry takes (key, three counts or tags at their
/// smallest, the tokens' length): a count is checked against it.
const MIN_ENTRY: u64 = 32 + 4 + 1 + 4 + 1 + 1 + 1 + 4;
/// The fewest bytes a body takes (key and two empty strings).
const MIN_BODY: u64 = 32 + 4 + 4;

impl RenderContext<'_> {
    /// Writes this render's Markdown as a memo file's bytes to `w` (see
    /// the module's doc), for `identity`. Called before the entry pages
    /// take their HTML (a build lets it go as each page is written).
    pub fn write_memo(&self, identity: &str, w: impl Write) -> io::Result<()> {
        let mut out = Writer::start(Sink::Inline(Box::new(Hashing::new(w))), identity)?;
        self.memo_into(&mut out)?;
        out.finish()
    }

    /// [`Self::write_memo`] into `file`, hashed and written by a thread
    /// of its own while the render goes on (the memo is some 47 MB at
    /// 10,000 entries: hashed and written in line, 60 ms of one core with
    /// the other idle). [`MemoWriting::finish`] says whether it all went.
    pub fn write_memo_file(&self, identity: &str, file: std::fs::File) -> MemoWriting {
        let Some(sealer) = Sealer::start(file) else {
            return MemoWriting(None);
        };
        let mut out = Writer::<io::Sink>::new(Sink::Behind(sealer));
        let written = out
            .head(identity)
            .and_then(|()| self.memo_into(&mut out))
            .and_then(|()| out.flush_buf());
        let Sink::Behind(sealer) = out.sink else {
            return MemoWriting(None);
        };
        // Waited for either way: nothing writes the file once this returns
        // without a memo.
        match written {
            Ok(()) => MemoWriting(Some(sealer)),
            Err(_) => {
                sealer.finish();
                MemoWriting(None)
            }
        }
    }

    fn memo_into<W: Write>(&self, out: &mut Writer<W>) -> io::Result<()> {
        let [entries, plans, reviews] = &self.md_sources;
        out.count(entries.len())?;
        for (i, key) in entries.iter().enumerate() {
            let html = self.entry_html.get(i).map(|m| m.lock());
            let html = match html {
                Some(Ok(guard)) => guard,
                Some(Err(poisoned)) => poisoned.into_inner(),
                None => return Err(io::Error::other("an entry has no HTML")),
            };
            let text = self
                .entry_text
                .get(i)
                .ok_or_else(|| io::Error::other("no text"))?;
            out.entry(key, &html, text)?;
        }
        let bodies: Vec<_> = plans
            .iter()
            .zip(&self.plan_md)
            .chain(reviews.iter().zip(&self.review_md))
            .collect();
        out.count(bodies.len())?;
        for (key, body) in bodies {
            out.body(key, body)?;
        }
        Ok(())
    }
}

/// A memo file being written by [`RenderContext::write_memo_file`].
pub struct MemoWriting(Option<Sealer>);

impl MemoWriting {
    /// Waits for the writing thread: whether every byte and the seal
    /// went to the file.
    pub fn finish(self) -> bool {
        self.0.and_then(Sealer::finish).is_some()
    }
}

/// A memo's bytes sealed and written to its file, the seal last, by a
/// thread of its own, a block at a time, so that the render goes on
/// meanwhile (issue 27: writing 47 MB in line was 60 ms of one core with
/// the other idle). A few blocks wait at most: the memo is never held
/// whole.
struct Sealer {
    blocks: std::sync::mpsc::SyncSender<Vec<u8>>,
    thread: std::thread::JoinHandle<Option<Seal>>,
}

/// How many blocks wait for the [`Sealer`]'s thread at most.
const WAITING: usize = 8;

impl Sealer {
    /// `None` when no thread can be had: then there is no memo.
    fn start(file: std::fs::File) -> Option<Sealer> {
        let (blocks, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(WAITING);
        let thread = std::thread::Builder::new()
            .name("memo seal".into())
            .spawn(move || {
                let mut f = file;
                let mut sum = Sealing::default();
                // Every block is taken, so the sender never waits on a
                // thread that gave up.
                let mut ok = true;
                for block in rx {
                    sum.add(&block);
                    ok = ok && f.write_all(&block).is_ok();
                }
                let sum = sum.sum();
                ok = ok && f.write_all(&sum).is_ok();
                // Cut where it ends: written over a longer memo in place.
                use std::io::Seek;
                ok = ok && f.stream_position().and_then(|n| f.set_len(n)).is_ok();
                ok.then_some(sum)
            })
            .ok()?;
        Some(Sealer { blocks, thread })
    }

    fn send(&self, block: Vec<u8>) -> Option<()> {
        self.blocks.send(block).ok()
    }

    /// The seal of every block sent, once each is written.
    fn finish(self) -> Option<Seal> {
        drop(self.blocks);
        self.thread.join().ok()?
    }
}

impl MarkdownMemo {
    /// Writes the memo as a file's bytes to `w`, in key order (the same
    /// memo gives the same bytes).
    pub fn write(&self, identity: &str, w: impl Write) -> io::Result<()> {
        let mut out = Writer::start(Sink::Inline(Box::new(Hashing::new(w))), identity)?;
        let mut entries: Vec<_> = self.entries.iter().collect();
        entries.sort_by_key(|(k, _)| *k);
        out.count(entries.len())?;
        for (key, (html, text)) in entries {
            out.entry(key, html, text)?;
        }
        let mut bodies: Vec<_> = self.bodies.iter().collect();
        bodies.sort_by_key(|(k, _)| *k);
        out.count(bodies.len())?;
        for (key, body) in bodies {
            out.body(key, body)?;
        }
        out.finish()
    }

    /// Reads a memo file's `len` bytes from `r`: `None` unless they are
    /// exactly a memo written for `identity`, seal and all.
    /// The seal is made as the file is read: its SHA-256 before, even on
    /// a thread of its own, was a third of the reading (issue 27).
    pub fn read(r: impl Read, len: u64, identity: &str) -> Option<MarkdownMemo> {
        let mut r = Reader {
            r,
            left: len,
            unread: len,
            buf: Vec::new(),
            at: 0,
            sum: Sealing::default(),
            // A memo as written takes two to three times its size in
            // memory, with the map's slots and the search words' index.
            room: len.saturating_mul(8).saturating_add(1 << 20),
        };
        let read = Self::read_from(&mut r, identity);
        let found = r.digest()?;
        (found == std::mem::take(&mut r.sum).sum()).then_some(read?)
    }

    fn read_from(r: &mut Reader<impl Read>, identity: &str) -> Option<MarkdownMemo> {
        if r.take(MAGIC.len())? != MAGIC || r.string()? != identity {
            return None;
        }
        let mut memo = MarkdownMemo::default();
        let slot = std::mem::size_of::<([u8; 32], MemoEntry)>() + 64;
        for _ in 0..r.count_of(MIN_ENTRY, slot)? {
            let (key, fields) = r.entry()?;
            memo.entries.insert(key, fields);
        }
        let slot = std::mem::size_of::<([u8; 32], Rendered)>() + 64;
        for _ in 0..r.count_of(MIN_BODY, slot)? {
            let key = r.key()?;
            let html = r.string()?;
            let text = r.string()?;
            memo.bodies.insert(key, Rendered { html, text });
        }
        Some(memo)
    }

    /// How many entries' and bodies' Markdown it holds.
    pub fn counts(&self) -> (usize, usize) {
        (self.entries.len(), self.bodies.len())
    }
}

/// What the memo holds of one entry: its fields' HTML and its text.
type MemoEntry = (EntryFields<String>, EntryText);

/// Where a [`Writer`]'s chunks go.
enum Sink<W: Write> {
    /// Sealed and written in line, the seal appended by `finish`.
    Inline(Box<Hashing<W, Sealing>>),
    /// Handed to a thread that hashes and writes them.
    Behind(Sealer),
}

/// Bytes out, each also fed to the seal.
struct Writer<W: Write> {
    sink: Sink<W>,
    /// Bytes not yet hashed and written: fed a few bytes at a time (a
    /// length, a tag), the digest cost more than its blocks.
    buf: Vec<u8>,
}

/// How many bytes [`Writer`] gathers before it hashes and writes them.
const CHUNK: usize = 64 * 1024;

impl<W: Write> Writer<W> {
    fn new(sink: Sink<W>) -> Self {
        Writer {
            sink,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn start(sink: Sink<W>, identity: &str) -> io::Result<Self> {
        let mut out = Self::new(sink);
        out.head(identity)?;
        Ok(out)
    }

    /// What proves the memo ours, and for whom.
    fn head(&mut self, identity: &str) -> io::Result<()> {
        self.bytes(MAGIC)?;
        self.string(identity)
    }

    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= CHUNK {
            self.flush_buf()?;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Inline(w) => {
                w.write_all(&self.buf)?;
                self.buf.clear();
            }
            Sink::Behind(sealer) => {
                let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
                sealer
                    .send(chunk)
                    .ok_or_else(|| io::Error::other("the memo's writer stopped"))?;
            }
        }
        Ok(())
    }

    fn count(&mut self, n: usize) -> io::Result<()> {
        let n = u32::try_from(n).map_err(|_| io::Error::other("too many for a memo"))?;
        self.bytes(&n.to_le_bytes())
    }

    fn string(&mut self, s: &str) -> io::Result<()> {
        self.count(s.len())?;
        self.bytes(s.as_bytes())
    }

    fn option(&mut self, s: Option<&String>) -> io::Result<()> {
        match s {
            None => self.bytes(&[0]),
            Some(s) => {
                self.bytes(&[1])?;
                self.string(s)
            }
        }
    }

    fn entry(
        &mut self,
        key: &[u8; 32],
        html: &EntryFields<String>,
        text: &EntryText,
    ) -> io::Result<()> {
        self.bytes(key)?;
        self.count(html.texts.len())?;
        for (field, value) in &html.texts {
            let at = ENTRY.iter().position(|s| s.field == *field);
            let at = at.and_then(|i| u16::try_from(i).ok());
            let at = at.ok_or_else(|| io::Error::other("a field outside the schema"))?;
            self.bytes(&at.to_le_bytes())?;
            self.string(value)?;
        }
        self.option(html.effectiveness_note.as_ref())?;
        self.count(html.history_notes.len())?;
        for note in &html.history_notes {
            self.option(note.as_ref())?;
        }
        self.option(html.nc_statement.as_ref())?;
        self.option(text.description())?;
        self.option(text.outcome())?;
        self.string(text.terms())
    }

    fn body(&mut self, key: &[u8; 32], body: &Rendered) -> io::Result<()> {
        self.bytes(key)?;
        self.string(&body.html)?;
        self.string(&body.text)
    }

    /// Writes what is left and, in line, the seal.
    fn finish(mut self) -> io::Result<()> {
        self.flush_buf()?;
        match self.sink {
            Sink::Inline(w) => {
                let (mut w, sum) = w.into_parts();
                w.write_all(&sum)?;
                w.flush()
            }
            Sink::Behind(sealer) => sealer
                .finish()
                .map(drop)
                .ok_or_else(|| io::Error::other("the memo's writer stopped")),
        }
    }
}

/// Bytes in, at most `left`, each fed to the seal. Read and sealed a
/// block at a time and taken as slices of it: a `Vec` and a digest update
/// for every length and tag were half of reading the memo (issue 27).
struct Reader<R: Read> {
    r: R,
    /// What the file has left to take, its seal included.
    left: u64,
    /// What `r` has left to give, its seal included.
    unread: u64,
    /// Bytes read and not yet taken, from `at`.
    buf: Vec<u8>,
    at: usize,
    /// The seal of the bytes read so far but the file's own.
    sum: Sealing,
    /// The memory the memo may still take once read ([`Reader::charge`]).
    room: u64,
}

/// How much [`Reader`] reads at once, at least.
const BLOCK: u64 = 256 * 1024;

impl<R: Read> Reader<R> {
    /// The next `n` bytes, when the file has them before its seal:
    /// checked before anything is allocated.
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let n64 = u64::try_from(n).ok()?;
        if n64 > self.left.checked_sub(SEAL)? {
            return None;
        }
        self.charge(n64)?;
        self.fill(n)?;
        self.left -= n64;
        let at = self.at;
        self.at += n;
        Some(&self.buf[at..at + n])
    }

    /// Has at least `n` bytes ready in `buf`, reading a block or more,
    /// and seals what it reads but the seal. `n` is within the file.
    fn fill(&mut self, n: usize) -> Option<()> {
        let ready = self.buf.len() - self.at;
        if ready >= n {
            return Some(());
        }
        self.buf.drain(..self.at);
        self.at = 0;
        let want = u64::try_from(n - ready).ok()?.max(BLOCK).min(self.unread);
        let start = self.buf.len();
        self.buf.resize(start + usize::try_from(want).ok()?, 0);
        self.r.read_exact(&mut self.buf[start..]).ok()?;
        // The seal's bytes are the file's last: sealed is all before.
        let body_left = self.unread.saturating_sub(SEAL);
        let hashed = usize::try_from(want.min(body_left)).ok()?;
        self.sum.add(&self.buf[start..start + hashed]);
        self.unread -= want;
        (self.buf.len() >= n).then_some(())
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn key(&mut self) -> Option<[u8; 32]> {
        self.array()
    }

    fn u32(&mut self) -> Option<usize> {
        usize::try_from(u32::from_le_bytes(self.array()?)).ok()
    }

    /// A count of items each at least `min` bytes long, when the file
    /// has room for them all.
    /// Takes `bytes` of memory from what the memo may take: a count is
    /// checked against the bytes each item takes on disk, but an item
    /// takes more in memory (a history note: 1 byte on disk, 24 in
    /// memory), so a planted memo could otherwise ask for tens of
    /// gigabytes. `None` when there is no room: then there is no memo.
    fn charge(&mut self, bytes: u64) -> Option<()> {
        self.room = self.room.checked_sub(bytes)?;
        Some(())
    }

    /// A count whose items take `each` bytes of memory, charged at once.
    fn count_of(&mut self, min: u64, each: usize) -> Option<usize> {
        let n = self.count(min)?;
        self.charge(u64::try_from(n.checked_mul(each)?).ok()?)?;
        Some(n)
    }

    fn count(&mut self, min: u64) -> Option<usize> {
        let n = self.u32()?;
        let room = self.left.checked_sub(SEAL)? / min;
        (u64::try_from(n).ok()? <= room).then_some(n)
    }

    fn string(&mut self) -> Option<String> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    fn option(&mut self) -> Option<Option<String>> {
        match self.array::<1>()? {
            [0] => Some(None),
            [1] => self.string().map(Some),
            _ => None,
        }
    }

    fn entry(&mut self) -> Option<([u8; 32], MemoEntry)> {
        let key = self.key()?;
        let mut html = EntryFields::default();
        // A field is at least its index and a string's length; an entry
        // has no more fields than the schema.
        let fields = self.count_of(
            2 + 4,
            std::mem::size_of::<(crate::model::schema::Field, String)>(),
        )?;
        if fields > ENTRY.len() {
            return None;
        }
        for _ in 0..fields {
            let at = u16::from_le_bytes(self.array()?);
            let field = ENTRY.get(usize::from(at))?.field;
            html.texts.push((field, self.string()?));
        }
        html.effectiveness_note = self.option()?;
        for _ in 0..self.count_of(1, std::mem::size_of::<Option<String>>())? {
            let note = self.option()?;
            html.history_notes.push(note);
        }
        html.nc_statement = self.option()?;
        let description = self.option()?;
        let outcome = self.option()?;
        let terms = self.string()?;
        let text = EntryText::from_parts(description, outcome, terms);
        Some((key, (html, text)))
    }

    /// The seal, last, when all before it was read: what the seal of
    /// the bytes before it must be.
    fn digest(&mut self) -> Option<Seal> {
        if self.left != SEAL {
            return None;
        }
        self.fill(SEAL_LEN)?;
        self.buf[self.at..self.at + SEAL_LEN].try_into().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::Field;

    const ME: &str = "isms-site 0.0 test";

    fn sample() -> MarkdownMemo {
        let mut memo = MarkdownMemo::default();
        for i in 0..5u8 {
            let html = EntryFields {
                texts: vec![
                    (Field::Description, format!("<p>Entry {i} — ünïcödé</p>")),
                    (Field::Outcome, String::new()),
                ],
                effectiveness_note: (i % 2 == 0).then(|| "<p>note</p>".to_string()),
                history_notes: vec![None, Some(format!("<p>h{i}</p>")), None],
                nc_statement: (i == 3).then(|| "<p>nc</p>".to_string()),
            };
            let long = "word ".repeat(300);
            let text = EntryText::new(
                Some(&format!("Entry {i} {long}")),
                (i != 1).then_some("outcome"),
                ["zeta alpha", "alpha beta", "日本語"],
            );
            memo.entries.insert([i; 32], (html, text));
        }
        for i in 0..3u8 {
            let body = Rendered {
                html: format!("<h2>Plan {i}</h2>"),
                text: format!("Plan {i}"),
            };
            memo.bodies.insert([100 + i; 32], body);
        }
        memo
    }

    fn bytes(memo: &MarkdownMemo, identity: &str) -> Vec<u8> {
        let mut out = Vec::new();
        memo.write(identity, &mut out).unwrap();
        out
    }

    fn read(b: &[u8], identity: &str) -> Option<MarkdownMemo> {
        MarkdownMemo::read(b, b.len() as u64, identity)
    }

    /// What a memo holds, comparable.
    fn shown(memo: &MarkdownMemo) -> String {
        let mut entries: Vec<String> = memo
            .entries
            .iter()
            .map(|(k, (h, t))| {
                let fields = format!("{:?} {:?} {:?}", h.texts, h.history_notes, h.nc_statement);
                format!("{k:?} {fields} {:?} {t:?}", h.effectiveness_note)
            })
            .collect();
        entries.sort();
        let mut bodies: Vec<String> = memo.bodies.iter().map(|b| format!("{b:?}")).collect();
        bodies.sort();
        format!("{entries:?}\n{bodies:?}")
    }

    #[test]
    fn a_memo_reads_back_as_it_was_written() {
        let memo = sample();
        let b = bytes(&memo, ME);
        assert!(b.starts_with(MAGIC));
        let back = read(&b, ME).expect("read back");
        assert_eq!(shown(&back), shown(&memo));
        assert_eq!(back.counts(), (5, 3));
        // The same memo, the same bytes.
        assert_eq!(bytes(&back, ME), b);
        let empty = bytes(&MarkdownMemo::default(), ME);
        assert_eq!(read(&empty, ME).unwrap().counts(), (0, 0));
    }

    #[test]
    fn a_damaged_short_long_or_foreign_memo_is_no_memo() {
        let b = bytes(&sample(), ME);
        assert!(read(&b, "isms-site 0.0 another binary").is_none());
        for cut in [0, 1, MAGIC.len(), b.len() / 2, b.len() - 1] {
            assert!(read(&b[..cut], ME).is_none(), "cut at {cut}");
        }
        let mut longer = b.clone();
        longer.push(0);
        assert!(read(&longer, ME).is_none());
        for at in [MAGIC.len() + 8, b.len() / 2, b.len() - 40, b.len() - 1] {
            let mut flipped = b.clone();
            flipped[at] ^= 0x20;
            assert!(read(&flipped, ME).is_none(), "flipped at {at}");
        }
        // A length claiming more than the file has is refused before any
        // allocation (`take` checks it).
        let mut huge = Vec::new();
        huge.extend_from_slice(MAGIC);
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(&[0; 40]);
        assert!(read(&huge, ME).is_none());
    }

    /// A memo of many read blocks (strings across their edges, the
    /// seal split from its last byte of body) reads back, and a byte
    /// changed in any block, or the file cut anywhere, gives no memo.
    #[test]
    fn a_memo_larger_than_a_read_block_reads_back_and_is_checked_whole() {
        let mut memo = sample();
        for i in 0..40u8 {
            let body = Rendered {
                html: format!("<p>{}</p>", "é".repeat(9_000 + 777 * usize::from(i))),
                text: "x".repeat(5_000 + usize::from(i)),
            };
            memo.bodies.insert([200u8.wrapping_add(i); 32], body);
        }
        let b = bytes(&memo, ME);
        assert!(b.len() as u64 > 3 * BLOCK, "{} bytes", b.len());
        let back = read(&b, ME).expect("read back");
        assert_eq!(shown(&back), shown(&memo));
        let edges = [
            BLOCK as usize,
            2 * BLOCK as usize,
            b.len() - SEAL_LEN - 1,
            b.len() - SEAL_LEN,
        ];
        for at in edges.iter().flat_map(|&e| [e - 1, e, e + 1]) {
            let mut flipped = b.clone();
            flipped[at] ^= 0x01;
            assert!(read(&flipped, ME).is_none(), "flipped at {at}");
            assert!(read(&b[..at], ME).is_none(), "cut at {at}");
        }
    }

    /// Random bytes, and memos with random bytes changed, never panic.
    #[test]
    fn decoding_random_bytes_never_panics() {
        let good = bytes(&sample(), ME);
        let mut rng = crate::model::rng::XorShift::new(0x2545_F491_4F6C_DD1D);
        let mut next = move || rng.next_u64();
        for round in 0..3000 {
            let b: Vec<u8> = if round % 2 == 0 {
                let n = (next() % 600) as usize;
                let mut b: Vec<u8> = (0..n).map(|_| next() as u8).collect();
                if round % 4 == 0 {
                    // Past the magic and identity, into the counts.
                    let mut start = MAGIC.to_vec();
                    start.extend_from_slice(&(ME.len() as u32).to_le_bytes());
                    start.extend_from_slice(ME.as_bytes());
                    start.append(&mut b);
                    b = start;
                }
                b
            } else {
                let mut b = good.clone();
                for _ in 0..1 + next() % 4 {
                    let at = (next() as usize) % b.len();
                    b[at] = next() as u8;
                }
                b.truncate((next() as usize) % (b.len() + 1));
                b
            };
            let _ = read(&b, ME);
            // A length said larger than the bytes there are.
            let _ = MarkdownMemo::read(&b[..], b.len() as u64 + 1000, ME);
        }
    }

    /// Review s35: a memo's counts must not make it decode to many times
    /// its size. One entry claiming a million history notes of one byte
    /// each (`0`, none) is about 1 MB on disk and a 24-48 MB
    /// `Vec<Option<String>>` once read: at the 1 GiB bound a planted memo
    /// asks for tens of GB. Such a memo is no memo.
    #[test]
    fn counts_cannot_make_a_memo_decode_to_many_times_its_size() {
        let n = 1_000_000usize;
        let mut b = Vec::new();
        let mut w = Writer::start(Sink::Inline(Box::new(Hashing::new(&mut b))), ME).unwrap();
        w.count(1).unwrap();
        w.bytes(&[9; 32]).unwrap();
        w.count(0).unwrap(); // fields
        w.option(None).unwrap(); // effectiveness note
        w.count(n).unwrap(); // history notes
        w.bytes(&vec![0; n]).unwrap(); // each: none
        w.option(None).unwrap(); // nc statement
        w.option(None).unwrap(); // description
        w.option(None).unwrap(); // outcome
        w.string("").unwrap(); // tokens
        w.count(0).unwrap(); // bodies
        w.finish().unwrap();
        let memo = read(&b, ME);
        let notes = memo.as_ref().map(|m| {
            m.entries
                .values()
                .map(|(h, _)| h.history_notes.capacity())
                .sum::<usize>()
        });
        assert!(
            memo.is_none(),
            "{} bytes decoded to {:?} history notes ({} bytes of Vec alone)",
            b.len(),
            notes,
            notes.unwrap_or(0) * std::mem::size_of::<Option<String>>()
        );
    }
}
