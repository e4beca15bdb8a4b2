//! A small deterministic pseudo-random sequence (xorshift64): the
//! randomized tests, and the YAML readers' differential check, draw their
//! cases from it, so the same seed gives the same cases on every machine
//! with no dependency. Not for anything that must be unpredictable.

/// The sequence from one seed.
#[derive(Clone, Debug)]
pub struct XorShift(u64);

impl XorShift {
    /// A seed of 0 would stay 0; it is taken as 1.
    pub fn new(seed: u64) -> XorShift {
        XorShift(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A text of fewer than `len` characters of `alphabet` (not empty).
    pub fn text(&mut self, alphabet: &[char], len: usize) -> String {
        let len = self.below(len);
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}
