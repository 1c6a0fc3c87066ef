//! The few statistics the metrics use, with the spec's rules for the awkward cases: a
//! median of an even count is the mean of the two middle values, and a ratio over zero is
//! absent rather than 0 or NaN.

use std::fmt;

use serde::{Serialize, Serializer};

/// A ratio, `None` when the denominator is 0.
pub fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator != 0.0).then(|| numerator / denominator)
}

/// The arithmetic mean, `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    ratio(values.iter().sum(), values.len() as f64)
}

/// The median, `None` for no values; an even count gives the mean of the two middle values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The median of whole day counts: a whole number, or a half when the count is even.
pub fn median_days(values: &[i64]) -> Option<Days> {
    let floats: Vec<f64> = values.iter().map(|&v| v as f64).collect();
    median(&floats).map(Days)
}

/// A number of days that is whole or, as the median of an even count of whole days, may
/// end in .5.
///
/// Serialization rule: a JSON integer when the value is whole (`3`), a JSON float
/// otherwise (`3.5`), so medians of day counts read like the day counts they summarise.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Days(pub f64);

impl Days {
    pub fn get(self) -> f64 {
        self.0
    }

    fn as_whole(self) -> Option<i64> {
        // 2^53: beyond it every f64 is whole and i64 conversion stops being exact.
        let exact = self.0.fract() == 0.0 && self.0.abs() < 9_007_199_254_740_992.0;
        exact.then_some(self.0 as i64)
    }
}

impl Serialize for Days {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_whole() {
            Some(whole) => s.serialize_i64(whole),
            None => s.serialize_f64(self.0),
        }
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_whole() {
            Some(whole) => write!(f, "{whole}"),
            None => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_over_zero_is_absent() {
        assert_eq!(ratio(3.0, 4.0), Some(0.75));
        assert_eq!(ratio(0.0, 4.0), Some(0.0));
        assert_eq!(ratio(3.0, 0.0), None);
        assert_eq!(ratio(0.0, 0.0), None);
    }

    #[test]
    fn mean_of_nothing_is_absent() {
        assert_eq!(mean(&[]), None);
        // (8 + 13 + 30) / 3 = 17
        assert_eq!(mean(&[8.0, 13.0, 30.0]), Some(17.0));
    }

    #[test]
    fn median_odd_even_and_unsorted() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5.0]), Some(5.0));
        // sorted 1, 3, 9 → 3
        assert_eq!(median(&[9.0, 1.0, 3.0]), Some(3.0));
        // sorted 1, 3, 4, 9 → (3 + 4) / 2 = 3.5
        assert_eq!(median(&[4.0, 9.0, 1.0, 3.0]), Some(3.5));
    }

    #[test]
    fn day_medians_serialize_whole_as_integers_and_halves_as_floats() {
        // odd count of integers: that integer
        let odd = median_days(&[3, -2, 10]).unwrap();
        assert_eq!(serde_json::to_string(&odd).unwrap(), "3");
        // even count: (3 + 4) / 2 = 3.5
        let half = median_days(&[3, 4]).unwrap();
        assert_eq!(serde_json::to_string(&half).unwrap(), "3.5");
        // even count with a whole mean: (2 + 4) / 2 = 3
        let whole = median_days(&[2, 4]).unwrap();
        assert_eq!(serde_json::to_string(&whole).unwrap(), "3");
        assert_eq!(serde_json::to_string(&Days(-1.5)).unwrap(), "-1.5");
        assert_eq!(Days(7.0).to_string(), "7");
    }
}
