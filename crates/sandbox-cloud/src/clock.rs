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
    Stamp::seconds(t).as_str().to_owned()
}

/// `yyyy-MM-ddTHH:mmZ`, used by some Filter values.
pub fn iso_minutes(t: SimTime) -> String {
    Stamp::minutes(t).as_str().to_owned()
}

/// A time as the API writes it, held inline and serialised as a string: list views
/// write one per item (30,000 disks a scale inventory), which through `format` and a
/// `String` each was a good part of their cost.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    bytes: [u8; 20],
    len: u8,
}

impl Stamp {
    /// No time: written as `""`, as the API writes a time that never was.
    pub const EMPTY: Stamp = Stamp {
        bytes: [0; 20],
        len: 0,
    };

    /// `yyyy-MM-ddTHH:mm:ssZ`.
    pub fn seconds(t: SimTime) -> Self {
        Self::write(t, true)
    }

    /// `yyyy-MM-ddTHH:mmZ`.
    pub fn minutes(t: SimTime) -> Self {
        Self::write(t, false)
    }

    fn write(t: SimTime, seconds: bool) -> Self {
        use chrono::{Datelike, Timelike};
        let d = to_datetime(t);
        // The API's years have four digits; clamp rather than write a fifth.
        let year = d.year().clamp(0, 9999) as u32;
        let mut bytes = [0u8; 20];
        let mut len = 0;
        let mut put = |v: u32, digits: u32, after: u8| {
            for k in (0..digits).rev() {
                bytes[len] = b'0' + (v / 10u32.pow(k) % 10) as u8;
                len += 1;
            }
            bytes[len] = after;
            len += 1;
        };
        put(year, 4, b'-');
        put(d.month(), 2, b'-');
        put(d.day(), 2, b'T');
        put(d.hour(), 2, b':');
        if seconds {
            put(d.minute(), 2, b':');
            put(d.second(), 2, b'Z');
        } else {
            put(d.minute(), 2, b'Z');
        }
        Self {
            bytes,
            len: len as u8,
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and separators are written.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl std::fmt::Debug for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
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
    fn stamps_write_what_chrono_formats() {
        for t in [
            0,
            1,
            59_999,
            1_700_000_000_123,
            1_735_689_599_999,
            4_102_444_800_000,
            -1,
        ] {
            let d = to_datetime(t);
            assert_eq!(
                Stamp::seconds(t).as_str(),
                d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
            assert_eq!(
                Stamp::minutes(t).as_str(),
                d.format("%Y-%m-%dT%H:%MZ").to_string()
            );
        }
        assert_eq!(
            serde_json::to_string(&Stamp::seconds(0)).unwrap(),
            r#""1970-01-01T00:00:00Z""#
        );
    }

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
