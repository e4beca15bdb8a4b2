//! The parses a build keeps between runs: one file `.NAME.isms-parsed`
//! beside the output folder (like the build cache), written after each
//! successful publish.
//!
//! Parsing the YAML of every register entry, plan and review is most of a
//! rebuild's load. The file holds, for each of those content files of the
//! last build, the SHA-256 of the text it parsed and what parsing gave
//! (the values and the problems found, encoded with postcard): the next
//! build takes a file's parse from it when the file's bytes have that
//! SHA-256 ([`crate::content::Cache::for_build`]), and parses the rest.
//! A register file's parse also depends on the evidence list, whose digest
//! is kept too. Every check across files runs on every build.
//!
//! The layout: the header line, a line naming the binary (its version and
//! file identity, as the build cache's key takes them: a parse made by
//! another binary is never used), the body, and the seal of everything
//! before it (`integrity::Seal`, a checksum). The body is the evidence list's digest, then one record per
//! file: its kind, its path, the SHA-256 of its text and its encoded parse
//! (lengths as 4-byte little-endian numbers).
//!
//! It is only a hint: a missing, damaged, foreign, oversized or linked file
//! means parsing as before, never an error. It is never followed through a
//! symbolic link, and a file of that name that is not ours is left alone.

use crate::content::{Digests, ParsedFile, ParsedKind, ParsedSet, Shared};
use crate::output::integrity::{self, Front, Sealing};
use crate::output::sink::Hashing;
use crate::site::publish;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The first line of the file: what proves it ours.
pub const HEADER: &str = publish::PARSED.header;

/// Larger files are not read (10,000 entries keep about 20 MB).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The content files whose parses are kept, among the files of the
/// content folder `content` with their digests (`reuse::tree_with_sums`),
/// by the path the loader reads them at.
pub fn digests(content: &Path, files: crate::site::reuse::FileSums) -> Digests {
    files
        .into_iter()
        .filter(|(rel, _)| {
            ["register/", "plans/", "reviews/"]
                .iter()
                .any(|d| rel.starts_with(d))
        })
        .map(|(rel, digested)| (content.join(rel), digested))
        .collect()
}

/// The binary these parses are for: a parse is used only by the binary
/// that made it (another build of isms-site may parse differently).
fn identity() -> String {
    format!(
        "{} {}\n",
        env!("ISMS_SITE_VERSION"),
        crate::site::reuse::binary_identity()
    )
}

/// The parses kept beside `output`; `None` when there are none, or the
/// file is damaged, too large, a link, for another binary or not ours.
pub fn read(output: &Path) -> Option<ParsedSet> {
    decode(publish::PARSED.read(output, MAX_BYTES)?, &identity())
}

/// The set `bytes` hold, when they are a whole file of ours for the
/// binary `identity`; `None` for anything else, whatever the bytes. The
/// records are parts of `bytes` ([`Shared`]), not copies.
pub fn decode(bytes: Vec<u8>, identity: &str) -> Option<ParsedSet> {
    let all = Arc::new(bytes);
    let (sealed, seal) = integrity::split_seal(&all)?;
    // Checked while the body is split into records: the two were one
    // after the other 80 ms of one core at 10,000 entries (issue 27).
    let (whole, set) = rayon::join(
        || integrity::seal(sealed) == seal,
        || records(&all, sealed.len(), identity),
    );
    set.filter(|_| whole)
}

/// The records of the file's first `sealed` bytes (all but its seal).
fn records(all: &Arc<Vec<u8>>, sealed: usize, identity: &str) -> Option<ParsedSet> {
    let body = all
        .get(..sealed)?
        .strip_prefix(HEADER.as_bytes())?
        .strip_prefix(identity.as_bytes())?;
    // Where `body` starts within `all`.
    let body_at = HEADER.len() + identity.len();
    let mut r = Front(body);
    let evidence = r.array()?;
    let mut files = Vec::new();
    while !r.0.is_empty() {
        let kind = ParsedKind::of_tag(r.take(1)?[0])?;
        let path = PathBuf::from(r.string()?);
        let sum = r.array()?;
        let field = r.field()?.len();
        // The field ends where what is left to read begins.
        let end = body_at + body.len() - r.0.len();
        let bytes = Shared::part(all, end - field..end)?;
        files.push(ParsedFile {
            kind,
            path,
            sum,
            bytes,
        });
    }
    Some(ParsedSet { evidence, files })
}

/// The file's bytes for `set` made by the binary `identity`. Files whose
/// path is not UTF-8 text are left out (parsed again next time).
pub fn encode(set: &ParsedSet, identity: &str) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = encode_into(set, identity, &mut out);
    out
}

/// [`encode`] into `w`, a chunk at a time, the seal of every byte
/// last: the file was gathered whole before (36 MB at 10,000 entries,
/// much of its cost in page faults of a fresh buffer, issue 27).
fn encode_into(set: &ParsedSet, identity: &str, w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, Hashing::<_, Sealing>::new(w));
    out.write_all(HEADER.as_bytes())?;
    out.write_all(identity.as_bytes())?;
    out.write_all(&set.evidence)?;
    for f in &set.files {
        let Some(path) = f.path.to_str() else {
            continue;
        };
        let (Ok(path_len), Ok(len)) = (u32::try_from(path.len()), u32::try_from(f.bytes.len()))
        else {
            continue;
        };
        out.write_all(&[f.kind.tag()])?;
        out.write_all(&path_len.to_le_bytes())?;
        out.write_all(path.as_bytes())?;
        out.write_all(&f.sum)?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(&f.bytes)?;
    }
    let (w, sum) = out.into_inner().map_err(|e| e.into_error())?.into_parts();
    w.write_all(&sum)
}

/// Writes `set` as the parses kept beside `output`, replacing the last
/// build's: under a temporary name, then renamed into place, under the build's
/// lock. Any failure only means nothing is kept; a file of that name that
/// is not ours (or a link) is left as it is.
pub fn write(output: &Path, set: &ParsedSet) {
    let identity = identity();
    publish::PARSED.write_with(output, |w| encode_into(set, &identity, w));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ParsedSet {
        ParsedSet {
            evidence: [7; 32],
            files: vec![
                ParsedFile {
                    kind: ParsedKind::Register,
                    path: PathBuf::from("c/register/CI-001.yaml"),
                    sum: [1; 32],
                    bytes: vec![1, 2, 3].into(),
                },
                ParsedFile {
                    kind: ParsedKind::Review,
                    path: PathBuf::from("c/reviews/r.md"),
                    sum: [2; 32],
                    bytes: Vec::new().into(),
                },
            ],
        }
    }

    /// Written beside an output (streamed, its digest last) and read
    /// back: the same set, in a file of the bytes `encode` gives; a set
    /// larger than a write chunk too.
    #[test]
    fn a_set_written_beside_an_output_reads_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut set = sample();
        set.files.push(ParsedFile {
            kind: ParsedKind::Plan,
            path: PathBuf::from("c/plans/big.md"),
            sum: [3; 32],
            bytes: (0..200_000u32).map(|i| i as u8).collect::<Vec<u8>>().into(),
        });
        write(&out, &set);
        let path = publish::PARSED.path(&out);
        assert_eq!(std::fs::read(&path).unwrap(), encode(&set, &identity()));
        assert_eq!(read(&out), Some(set));
    }

    #[test]
    fn a_set_reads_back_as_written_by_the_same_binary_only() {
        let bytes = encode(&sample(), "0.1.0 me\n");
        assert_eq!(decode(bytes.clone(), "0.1.0 me\n"), Some(sample()));
        assert_eq!(decode(bytes.clone(), "0.1.0 another\n"), None);
        // Any byte changed, or the file cut short anywhere: nothing.
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0x20;
            assert_eq!(decode(changed, "0.1.0 me\n"), None, "byte {at}");
            assert_eq!(
                decode(bytes[..at].to_vec(), "0.1.0 me\n"),
                None,
                "cut at {at}"
            );
        }
    }

    /// Random bytes, and random bodies under a valid header and seal
    /// (lengths that run past the end, unknown kinds), never panic.
    #[test]
    fn random_bytes_never_panic() {
        let mut rng = crate::model::rng::XorShift::new(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next_u64();
        for round in 0..2000 {
            let len = (next() % 300) as usize;
            let body: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            assert_eq!(decode(body.clone(), "x\n"), None);
            let mut sealed = format!("{HEADER}x\n").into_bytes();
            sealed.extend_from_slice(&body);
            let sealed = integrity::sealed(sealed);
            // Decodes or not; never panics, never allocates past the input.
            if let Some(set) = decode(sealed, "x\n") {
                assert!(set.files.len() <= len, "round {round}");
            }
        }
    }
}
