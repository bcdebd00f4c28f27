//! A small deterministic random source (SplitMix64): the same seed gives the same
//! numbers on every platform and every version, which byte-identical output needs
//! (a crate's generator may change between releases).

use std::collections::HashMap;

#[derive(Debug)]
pub struct Rng {
    state: u64,
    /// Cumulative weights of Zipf distributions already asked for, by (n, s).
    zipf_cdfs: HashMap<(usize, u64), Vec<f64>>,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng {
            state: seed,
            zipf_cdfs: HashMap::new(),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)`; 0 when `n == 0`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A rank in `[0, n)` with probability proportional to `1 / (rank + 1)^s`:
    /// a few hot keys, a long tail.
    pub fn zipf(&mut self, n: usize, s: f64) -> usize {
        let n = n.max(1);
        // Draw first: the table is borrowed from `self` below (no per-call clone).
        let u = self.unit();
        let cdf = self.zipf_cdfs.entry((n, s.to_bits())).or_insert_with(|| {
            let mut acc = 0.0;
            let mut cdf: Vec<f64> = (0..n)
                .map(|k| {
                    acc += 1.0 / ((k + 1) as f64).powf(s);
                    acc
                })
                .collect();
            let total = acc;
            cdf.iter_mut().for_each(|c| *c /= total);
            cdf
        });
        cdf.partition_point(|c| *c <= u).min(n - 1)
    }
}
