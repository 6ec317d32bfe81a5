//! When a durable scheduled job runs next (SPEC §16): after a success, at its next regular time
//! (missed times are skipped, never run in a burst); after a failure, sooner, with a delay that
//! doubles with each failed attempt but never exceeds the job's interval.

use chrono::{DateTime, Duration, Utc};

/// The first retry waits this long; each further failed attempt doubles it.
pub const FIRST_RETRY_DELAY_SECS: i64 = 10;

/// A job's interval, in seconds: 1 second to 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobInterval(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a job's interval is from 1 second to 7 days (604 800 seconds), not {0}")]
pub struct JobIntervalError(u64);

impl JobInterval {
    pub const MAX_SECS: u64 = 7 * 24 * 3600;
    pub const HOURLY: Self = Self(3600);

    pub fn parse(secs: u64) -> Result<Self, JobIntervalError> {
        match i64::try_from(secs) {
            Ok(value) if (1..=Self::MAX_SECS).contains(&secs) => Ok(Self(value)),
            _ => Err(JobIntervalError(secs)),
        }
    }

    pub fn secs(self) -> i64 {
        self.0
    }

    fn duration(self) -> Duration {
        Duration::seconds(self.0)
    }
}

/// After a successful run that was due at `due`: the first regular time after `now`.
pub fn next_regular_run(
    due: DateTime<Utc>,
    interval: JobInterval,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let next = due + interval.duration();
    if next > now {
        return next;
    }
    // Behind by several intervals (the server was down): the next time on the same grid.
    let behind = (now - due).num_milliseconds();
    let step = interval.duration().num_milliseconds().max(1);
    due + Duration::milliseconds((behind / step + 1) * step)
}

/// After the `attempts`-th failed attempt in a row (1 for the first): when to try again.
pub fn retry_after_failure(
    attempts: u32,
    interval: JobInterval,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let doublings = attempts.saturating_sub(1).min(20);
    let delay = FIRST_RETRY_DELAY_SECS.saturating_mul(1_i64 << doublings);
    now + Duration::seconds(delay.min(interval.secs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0).unwrap()
    }

    fn hourly() -> JobInterval {
        JobInterval::parse(3600).unwrap()
    }

    #[test]
    fn an_interval_is_from_one_second_to_seven_days() {
        assert!(JobInterval::parse(0).is_err());
        assert_eq!(JobInterval::parse(1).unwrap().secs(), 1);
        assert_eq!(JobInterval::parse(604_800).unwrap().secs(), 604_800);
        assert!(JobInterval::parse(604_801).is_err());
        assert!(JobInterval::parse(u64::MAX).is_err());
    }

    #[test]
    fn a_run_on_time_is_followed_one_interval_after_it_was_due() {
        assert_eq!(next_regular_run(at(0), hourly(), at(5)), at(3600));
    }

    #[test]
    fn missed_times_are_skipped_not_run_in_a_burst() {
        // Due at 0, run at 2h 10min: the next is 3h, on the same grid.
        assert_eq!(
            next_regular_run(at(0), hourly(), at(2 * 3600 + 600)),
            at(3 * 3600)
        );
        // Exactly on a grid time: the one after it.
        assert_eq!(next_regular_run(at(0), hourly(), at(3600)), at(7200));
    }

    #[test]
    fn retries_double_from_ten_seconds_up_to_the_interval() {
        let delays: Vec<i64> = (1..=10)
            .map(|attempt| (retry_after_failure(attempt, hourly(), at(0)) - at(0)).num_seconds())
            .collect();
        assert_eq!(
            delays,
            vec![10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]
        );
        let every_second = JobInterval::parse(1).unwrap();
        assert_eq!(retry_after_failure(1, every_second, at(0)), at(1));
        assert_eq!(retry_after_failure(u32::MAX, hourly(), at(0)), at(3600));
    }
}
