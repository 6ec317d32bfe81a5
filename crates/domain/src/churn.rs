//! SPEC §8's churn score: how likely a customer is to leave, 0–100.

use chrono::{DateTime, Utc};

/// A churn score, 0 (staying) to 100 (leaving).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChurnScore(u8);

impl ChurnScore {
    /// `round(100 × (0.6 × (1 − active/total) + 0.4 × expiry_pressure))`, where the pressure is
    /// 1 once the key has expired, else `max(0, 1 − days_left / 365)`.
    pub fn compute(active: u32, total: u32, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        let usage = if total == 0 {
            0.0
        } else {
            (f64::from(active) / f64::from(total)).min(1.0)
        };
        let seconds_left = (expires_at - now).num_seconds();
        let expiry_pressure = if seconds_left <= 0 {
            1.0
        } else {
            let days_left = seconds_left as f64 / 86_400.0;
            (1.0 - days_left / 365.0).max(0.0)
        };
        let score = (100.0 * (0.6 * (1.0 - usage) + 0.4 * expiry_pressure)).round();
        // The formula stays within 0..=100; the clamp only guards the conversion.
        Self(score.clamp(0.0, 100.0) as u8)
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn the_score_follows_the_formula_of_section_8() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let cases = [
            // active, total, days until expiry, expected
            (10, 10, 365, 0),
            (0, 10, 365, 60),
            (5, 10, 365, 30),
            (10, 10, 0, 40),
            (10, 10, -30, 40),
            (0, 10, -1, 100),
            (10, 10, 182, 20),
            (3, 4, 73, 47),
            (10, 10, 400, 0),
        ];
        for (active, total, days_left, expected) in cases {
            let score = ChurnScore::compute(active, total, now + Duration::days(days_left), now);
            assert_eq!(
                score.value(),
                expected,
                "active {active}/{total}, {days_left} days left"
            );
        }
    }
}
