//! The simulated clock. Every state transition is scheduled on it, so tests can pause it and
//! step it (`time_scale` 0) instead of sleeping, and the demo can run at wall speed.

use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};

/// Milliseconds since the Unix epoch, on the simulated clock.
pub type SimTime = i64;

#[derive(Debug, Clone)]
pub struct Clock {
    wall_anchor: Instant,
    sim_anchor: SimTime,
    time_scale: f64,
}

impl Clock {
    /// Starts at the real current time.
    pub fn new(time_scale: f64) -> Self {
        Self {
            wall_anchor: Instant::now(),
            sim_anchor: Utc::now().timestamp_millis(),
            time_scale: time_scale.max(0.0),
        }
    }

    pub fn now(&self) -> SimTime {
        self.at(Instant::now())
    }

    /// The simulated time at a given wall instant (tests pass one instead of sleeping).
    fn at(&self, wall: Instant) -> SimTime {
        let elapsed = wall
            .saturating_duration_since(self.wall_anchor)
            .as_secs_f64()
            * 1000.0
            * self.time_scale;
        self.sim_anchor + elapsed as SimTime
    }

    pub fn time_scale(&self) -> f64 {
        self.time_scale
    }

    pub fn set_time_scale(&mut self, scale: f64) {
        self.sim_anchor = self.now();
        self.wall_anchor = Instant::now();
        self.time_scale = scale.max(0.0);
    }

    pub fn step(&mut self, millis: SimTime) {
        self.sim_anchor += millis.max(0);
    }
}

fn to_datetime(t: SimTime) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(t).single().unwrap_or_default()
}

/// `yyyy-MM-ddTHH:mm:ssZ`, the API's time format.
pub fn iso(t: SimTime) -> String {
    to_datetime(t).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `yyyy-MM-ddTHH:mmZ`, used by some Filter values.
pub fn iso_minutes(t: SimTime) -> String {
    to_datetime(t).format("%Y-%m-%dT%H:%MZ").to_string()
}

/// Log-line time, as the plugin writes it.
pub fn log_time(t: SimTime) -> String {
    to_datetime(t).format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

/// `YYYYMMDD`, the plugin log file's date part.
pub fn date_compact(t: SimTime) -> String {
    to_datetime(t).format("%Y%m%d").to_string()
}

/// `YYYYMMDDHHMM`, the console's default group name suffix.
pub fn minute_compact(t: SimTime) -> String {
    to_datetime(t).format("%Y%m%d%H%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_clock_only_moves_when_stepped() {
        let mut c = Clock::new(0.0);
        let t0 = c.now();
        let later = c.wall_anchor + std::time::Duration::from_secs(5);
        assert_eq!(c.at(later), t0);
        c.step(1500);
        assert_eq!(c.at(later), t0 + 1500);
        c.set_time_scale(1000.0);
        assert_eq!(
            c.at(c.wall_anchor + std::time::Duration::from_millis(5)),
            t0 + 1500 + 5000
        );
    }

    #[test]
    fn formats_times_like_the_api() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_minutes(61_000), "1970-01-01T00:01Z");
        assert_eq!(minute_compact(0), "197001010000");
        assert_eq!(date_compact(0), "19700101");
        assert_eq!(log_time(1234), "1970-01-01 00:00:01.234");
    }
}
