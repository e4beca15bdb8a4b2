//! What makes a copy of the site checkable: `build.json`, the build's
//! identity, and `SHA256SUMS`, the SHA-256 of every published file in the
//! format `sha256sum -c` reads. Written last, through the same [`Out`] as
//! everything else, over the sums of the bytes actually written.

use super::sink::{Out, RenderError};
use crate::model::{Enumerated, Visibility};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The checksum file, at the top of the site.
pub const SUMS: &str = "SHA256SUMS";
/// The build's identity, at the top of the site.
pub const BUILD_JSON: &str = "build.json";

/// Who built what: enough for `verify --content` to build it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The full id of the commit the content repository's HEAD named, or
    /// `None` outside git or with `--no-git`.
    pub content_commit: Option<String>,
    /// `YYYY-MM-DD`.
    pub as_of: String,
    /// `public`, `internal` or `restricted`.
    pub audience: String,
    /// As `isms-site --version` prints it: `0.1.0 (commit 0123456789ab)`.
    pub version: String,
    /// An auditor pack's scope (`site`, `entry ID`, `nonconformity REF`);
    /// absent from a built site's `build.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
}

impl Identity {
    pub fn new(content_commit: Option<String>, as_of: NaiveDate, audience: Visibility) -> Self {
        Identity {
            content_commit,
            as_of: as_of.format("%Y-%m-%d").to_string(),
            audience: audience.slug().to_string(),
            version: env!("ISMS_SITE_VERSION").to_string(),
            pack: None,
        }
    }

    /// The `build.json` text: fixed key order, LF, a final newline.
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Writes `build.json`, then `SHA256SUMS` over everything written into
/// `out` so far (`build.json` included, itself not); call it once every
/// other file is written. Returns how many files it wrote.
pub fn write(identity: &Identity, out: &Out) -> Result<usize, RenderError> {
    out.write(BUILD_JSON, identity.json().as_bytes())?;
    let sums = out.sums();
    let mut text = String::new();
    for (rel, sum) in sums.iter().filter(|(rel, _)| rel.as_str() != SUMS) {
        text.push_str(&sums_line(rel, sum));
    }
    out.write(SUMS, text.as_bytes())?;
    Ok(2)
}

/// The checksum that ends each file a build keeps for the next (its
/// parses, Markdown memo, search terms, folders seen): it tells a whole
/// file from one damaged or cut short, and nothing more. A planted file
/// could carry a right seal as easily as a right SHA-256, so a
/// cryptographic digest bought no safety here, and at 10,000 entries it
/// cost about 100 ms of CPU a build over some 170 MB read and written
/// (issue 27). XXH3's 128 bits: a damaged file passes once in 2^128.
/// The keys these files are looked up by stay SHA-256.
pub type Seal = [u8; SEAL_LEN];

/// A [`Seal`]'s length in bytes.
pub const SEAL_LEN: usize = 16;

/// A [`Seal`] made a block at a time (through [`super::sink::Summer`]).
#[derive(Clone, Default)]
pub(crate) struct Sealing(xxhash_rust::xxh3::Xxh3Default);

impl super::sink::Summer for Sealing {
    type Sum = Seal;
    fn add(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn sum(self) -> Seal {
        self.0.digest128().to_le_bytes()
    }
}

/// The [`Seal`] of `bytes`.
pub fn seal(bytes: &[u8]) -> Seal {
    xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes()
}

/// `bytes` with their seal appended.
pub fn sealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let seal = seal(&bytes);
    bytes.extend(seal);
    bytes
}

/// What comes before the [`Seal`] that ends `bytes`, when it is right.
pub(crate) fn unsealed(bytes: &[u8]) -> Option<&[u8]> {
    let (body, seal) = split_seal(bytes)?;
    (self::seal(body) == seal).then_some(body)
}

/// `bytes` split before the [`Seal`] that ends them, unchecked (for a
/// caller that checks it beside other work).
pub(crate) fn split_seal(bytes: &[u8]) -> Option<(&[u8], Seal)> {
    let (body, seal) = bytes.split_at_checked(bytes.len().checked_sub(SEAL_LEN)?)?;
    Some((body, seal.try_into().ok()?))
}

/// The bytes of a file a build keeps for the next (its parses, its search
/// terms), read front to back: every length is checked against what is
/// left, so a damaged or planted file gives `None`, never a panic or an
/// allocation past its size.
pub(crate) struct Front<'a>(pub &'a [u8]);

impl<'a> Front<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// A 4-byte little-endian number.
    pub(crate) fn u32(&mut self) -> Option<usize> {
        usize::try_from(u32::from_le_bytes(self.array()?)).ok()
    }

    /// A 4-byte little-endian length, then that many bytes.
    pub(crate) fn field(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()?;
        self.take(n)
    }

    /// A [`Front::field`] of UTF-8 text.
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.field()?).ok()
    }

    /// A count of items at least `min` bytes each, when what is left has
    /// room for them all.
    pub(crate) fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u32()?;
        (n <= self.0.len() / min).then_some(n)
    }
}

/// Lower-case hexadecimal, as `sha256sum` prints a digest.
pub fn hex(sum: &[u8; 32]) -> String {
    // By table, into one buffer: a `format!` a byte was 32 allocations for
    // each of the 12,000 files a 10,000-entry build lists, several times.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in sum {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// The 32 bytes 64 hex digits (either case) give; `None` for anything
/// else.
pub fn unhex(s: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let hex = s.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0; 32];
    for (b, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *b = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// One line as GNU `sha256sum` writes it: digest, two spaces (text mode),
/// the path. A path holding a backslash or line break is written escaped
/// (`\\`, `\n`, `\r`) on a line that starts with a backslash.
pub fn sums_line(rel: &str, sum: &[u8; 32]) -> String {
    if rel.contains(['\\', '\n', '\r']) {
        let escaped = rel
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        format!("\\{}  {escaped}\n", hex(sum))
    } else {
        format!("{}  {rel}\n", hex(sum))
    }
}

/// Reads one line of a `SHA256SUMS` (without its line feed) back into path
/// and digest; a message saying what is wrong otherwise. Both modes
/// `sha256sum` writes are read (`  path` and ` *path`).
pub fn parse_line(line: &str) -> Result<(String, [u8; 32]), String> {
    let wrong = || "not a `<64 hex digits>  <path>` line".to_string();
    let (escaped, line) = match line.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let digest = line.get(..64).ok_or_else(wrong)?;
    let rest = line.get(64..).ok_or_else(wrong)?;
    let path = rest
        .strip_prefix("  ")
        .or_else(|| rest.strip_prefix(" *"))
        .ok_or_else(wrong)?;
    let mut sum = [0u8; 32];
    for (i, b) in sum.iter_mut().enumerate() {
        *b = u8::from_str_radix(digest.get(2 * i..2 * i + 2).ok_or_else(wrong)?, 16)
            .map_err(|_| wrong())?;
    }
    if !digest.bytes().all(|b| b.is_ascii_hexdigit()) || path.is_empty() {
        return Err(wrong());
    }
    let path = if escaped {
        unescape(path).ok_or("a backslash in an escaped path is not `\\\\`, `\\n` or `\\r`")?
    } else {
        path.to_string()
    };
    Ok((path, sum))
}

fn unescape(path: &str) -> Option<String> {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives what `{:02x}` gives, for every byte in every place.
    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        for b in 0..=255u8 {
            let mut sum = [0u8; 32];
            sum[usize::from(b) % 32] = b;
            let plain: String = sum.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex(&sum), plain);
        }
    }

    #[test]
    fn lines_round_trip_with_escapes() {
        let sum = [0xab; 32];
        for rel in ["index.html", "evidence/a b.pdf", "evidence/x\\y\nz\r.txt"] {
            let line = sums_line(rel, &sum);
            assert!(line.ends_with('\n'));
            let parsed = parse_line(line.trim_end_matches('\n')).unwrap();
            assert_eq!(parsed, (rel.to_string(), sum));
        }
        assert!(parse_line("abc  x").is_err());
        assert!(parse_line(&format!("{}  ", "0".repeat(64))).is_err());
        assert!(parse_line(&format!("{}  x", "g".repeat(64))).is_err());
        assert!(parse_line(&format!("\\{}  a\\q", "0".repeat(64))).is_err());
        assert!(parse_line("é".repeat(40).as_str()).is_err());
    }

    /// A kept file sealed a block at a time (as the memo and the parses
    /// are written) is unsealed whole (as the parses and folders are
    /// read), and any byte changed, or any cut, is refused.
    #[test]
    fn a_seal_made_in_blocks_is_the_seal_of_the_whole_and_catches_damage() {
        use super::super::sink::Summer;
        let body: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        for block in [1, 63, 64, 1000, 5000] {
            let mut s = Sealing::default();
            body.chunks(block).for_each(|c| s.add(c));
            assert_eq!(s.sum(), seal(&body), "blocks of {block}");
        }
        let file = sealed(body.clone());
        assert_eq!(unsealed(&file), Some(&body[..]));
        for at in (0..file.len()).step_by(97).chain([file.len() - 1]) {
            let mut damaged = file.clone();
            damaged[at] ^= 0x10;
            assert_eq!(unsealed(&damaged), None, "byte {at} changed");
            assert_eq!(unsealed(&file[..at]), None, "cut at {at}");
        }
    }
}
