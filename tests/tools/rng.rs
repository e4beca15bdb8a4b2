//! SplitMix64: a small seeded generator for the tests' generated
//! registers and edits, so every case can be replayed from its seed (any
//! seed, 0 included), with no dependency.

use chrono::Duration;

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// A whole number of days in `lo..=hi`.
    pub fn days(&mut self, lo: i64, hi: i64) -> Duration {
        Duration::days(lo + self.below((hi - lo + 1) as u64) as i64)
    }
}
