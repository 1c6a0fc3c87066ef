//! The random draws of the simulation, and the distributions they add up to.
//!
//! Draws are counter-based: the sample item `id` takes in trial `t` is a pure function of a
//! fixed seed, the id and t (SplitMix64's finaliser over the three). No generator state is
//! carried from one draw to the next, so trials can run in any order, on any number of
//! threads, and an item's draws do not change when other items are added or removed.

/// The number of trials of a simulated forecast.
pub const TRIALS: u32 = 10_000;

/// The fixed seed ("throughl" in ASCII).
const SEED: u64 = 0x7468_726f_7567_686c;

/// SplitMix64's output function (Steele, Lea and Flood 2014): a bijection on u64 whose
/// outputs pass BigCrush for consecutive inputs.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of the id's bytes.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The stream of draws of one item.
#[derive(Clone, Copy, Debug)]
pub struct Draws {
    key: u64,
}

impl Draws {
    pub fn of(id: &str) -> Draws {
        Draws {
            key: mix(SEED ^ fnv1a(id)),
        }
    }

    /// The sample (0..n) drawn in `trial`; n ≥ 1. Uniform up to 2⁻⁶⁴ per outcome (Lemire's
    /// multiply-shift instead of a modulo).
    pub fn pick(self, trial: u32, n: usize) -> usize {
        let x = mix(self.key ^ mix(u64::from(trial)));
        ((u128::from(x) * n as u128) >> 64) as usize
    }
}

/// Ship dates as working-day indices with how often each occurs, sorted by index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Distribution {
    pub counts: Vec<(i64, u32)>,
    pub total: u32,
}

impl Distribution {
    /// Counts `values` (any order).
    pub fn of(values: &mut [i64]) -> Distribution {
        let total = values.len() as u32;
        let (Some(&lo), Some(&hi)) = (values.iter().min(), values.iter().max()) else {
            return Distribution::default();
        };
        let mut counts: Vec<(i64, u32)> = Vec::new();
        // Trials spread over a few hundred working days at most: counting beats sorting.
        if (hi - lo) as u128 <= 4 * values.len() as u128 {
            let mut bins = vec![0u32; (hi - lo + 1) as usize];
            for &v in values.iter() {
                bins[(v - lo) as usize] += 1;
            }
            counts.extend(
                bins.iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(i, c)| (lo + i as i64, *c)),
            );
        } else {
            values.sort_unstable();
            for &v in values.iter() {
                match counts.last_mut() {
                    Some((last, c)) if *last == v => *c += 1,
                    _ => counts.push((v, 1)),
                }
            }
        }
        Distribution { counts, total }
    }

    /// Nearest rank: the value at 1-based position ⌈percent ÷ 100 × N⌉ of the sorted values.
    pub fn percentile(&self, percent: u32) -> Option<i64> {
        let n = u64::from(self.total);
        let rank = (u64::from(percent) * n).div_ceil(100).max(1);
        let mut seen = 0u64;
        for &(v, c) in &self.counts {
            seen += u64::from(c);
            if seen >= rank {
                return Some(v);
            }
        }
        None
    }

    /// The share of values below `limit`.
    pub fn share_below(&self, limit: i64) -> Option<f64> {
        (self.total > 0).then(|| {
            let below: u64 = self
                .counts
                .iter()
                .take_while(|(v, _)| *v < limit)
                .map(|(_, c)| u64::from(*c))
                .sum();
            below as f64 / f64::from(self.total)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_is_exact() {
        // 20 values 1..=20: ⌈0.5 × 20⌉ = 10, ⌈0.85 × 20⌉ = 17
        let mut v: Vec<i64> = (1..=20).rev().collect();
        let d = Distribution::of(&mut v);
        assert_eq!((d.percentile(50), d.percentile(85)), (Some(10), Some(17)));
        // 7 values: ⌈3.5⌉ = 4, ⌈5.95⌉ = 6
        let mut v = vec![10, 40, 20, 70, 30, 60, 50];
        let d = Distribution::of(&mut v);
        assert_eq!((d.percentile(50), d.percentile(85)), (Some(40), Some(60)));
        // 3 below 40 out of 7
        assert_eq!(d.share_below(40), Some(3.0 / 7.0));
        assert_eq!(Distribution::of(&mut []).percentile(50), None);
    }

    #[test]
    fn sparse_values_are_sorted_instead_of_binned() {
        let mut v = vec![5, 1_000_000, 5, -3];
        let d = Distribution::of(&mut v);
        assert_eq!(d.counts, [(-3, 1), (5, 2), (1_000_000, 1)]);
        assert_eq!(d.total, 4);
    }

    #[test]
    fn draws_are_uniform_and_depend_only_on_id_and_trial() {
        let a = Draws::of("checkout");
        let mut hist = [0u32; 6];
        for t in 0..TRIALS {
            hist[a.pick(t, 6)] += 1;
        }
        // 10,000 ÷ 6 ≈ 1,667 each; a fair die stays within ±150 (over 3.5 σ) here
        for h in hist {
            assert!((1517..=1817).contains(&h), "{hist:?}");
        }
        assert_eq!(a.pick(17, 1000), Draws::of("checkout").pick(17, 1000));
        let same = (0..100)
            .filter(|&t| a.pick(t, 1000) == Draws::of("search").pick(t, 1000))
            .count();
        assert!(same < 5, "different ids draw differently");
    }
}
