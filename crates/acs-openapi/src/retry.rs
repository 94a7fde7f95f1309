//! When and how long to wait before trying a call again.
//!
//! Exponential backoff with full jitter (delay = random(0, min(cap, base·2^n))). Only
//! calls that are safe to repeat are retried: reads (`Describe*`/`List*`/`Get*`) and
//! calls carrying a `ClientToken` (the server deduplicates them).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::AcsError;

/// Scales a backoff ceiling to the actual delay. Injectable so tests are exact.
#[derive(Clone)]
pub struct Jitter(Arc<dyn Fn(Duration) -> Duration + Send + Sync>);

impl Jitter {
    /// Full jitter: uniform in `[0, ceiling]`.
    pub fn full() -> Self {
        Self(Arc::new(|ceiling| ceiling.mul_f64(fastrand::f64())))
    }

    /// Always the ceiling (deterministic tests).
    pub fn none() -> Self {
        Self(Arc::new(|ceiling| ceiling))
    }

    pub fn from_fn(f: impl Fn(Duration) -> Duration + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub fn apply(&self, ceiling: Duration) -> Duration {
        (self.0)(ceiling)
    }
}

impl Default for Jitter {
    fn default() -> Self {
        Self::full()
    }
}

impl fmt::Debug for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Jitter")
    }
}

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Total tries including the first.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    pub jitter: Jitter,
    /// Upper bound on the wait a throttled reply asks for (its `TimeLeft`).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(20),
            jitter: Jitter::full(),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait after failed attempt number `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(16);
        let ceiling = self.base_delay.saturating_mul(1 << exp).min(self.max_delay);
        self.jitter.apply(ceiling)
    }

    /// The wait after failed attempt number `attempt`: the backoff, but never less than
    /// what a throttled reply asked for (capped at `max_retry_after`).
    pub fn delay_after(&self, attempt: u32, err: &AcsError) -> Duration {
        let backoff = self.delay(attempt);
        match self.throttle_wait(err) {
            Some(hint) => backoff.max(hint),
            None => backoff,
        }
    }

    /// The wait a throttled reply asked for, capped at `max_retry_after`.
    pub fn throttle_wait(&self, err: &AcsError) -> Option<Duration> {
        let hint = err.service()?.retry_after?;
        Some(hint.min(self.max_retry_after))
    }
}

/// The headers in which Alibaba Cloud's gateway says how long a throttle lasts, e.g.
/// `x-ratelimit-user-api: Limit:100,Remain:0,TimeLeft:1000,Reset:1` (milliseconds).
pub const THROTTLE_HEADERS: [&str; 2] = ["x-ratelimit-user-api", "x-ratelimit-user"];

/// The longest positive `TimeLeft:<ms>` in [`THROTTLE_HEADERS`], as the official SDKs
/// read it (comma-separated `Key:Value` pairs).
pub fn throttle_time_left(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    THROTTLE_HEADERS
        .iter()
        .flat_map(|name| headers.get_all(*name))
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|pair| pair.split_once(':'))
        .filter(|(key, _)| key.trim() == "TimeLeft")
        .filter_map(|(_, ms)| ms.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .max()
        .map(Duration::from_millis)
}

/// A read call, or one the server can deduplicate by `ClientToken`.
pub fn is_retry_safe(action: &str, has_client_token: bool) -> bool {
    has_client_token
        || ["Describe", "List", "Get"]
            .iter()
            .any(|p| action.starts_with(p))
}

/// Transient failures: throttling, unavailable/5xx, and lost connections.
pub fn is_transient(err: &AcsError) -> bool {
    match err {
        AcsError::Service(e) => {
            e.code.starts_with("Throttling")
                || e.code == "ServiceUnavailable"
                || e.http_status >= 500
        }
        AcsError::NotSent { .. } | AcsError::TimedOut { .. } | AcsError::NoResponse { .. } => true,
        AcsError::Unparseable { http_status, .. } => *http_status >= 500,
        AcsError::InvalidRequest(_) | AcsError::Credentials(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::service;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            jitter: Jitter::none(),
            ..RetryPolicy::default()
        };
        let delays: Vec<u64> = (1..=6).map(|n| p.delay(n).as_millis() as u64).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
    }

    #[test]
    fn jitter_is_applied_to_the_ceiling() {
        let p = RetryPolicy {
            jitter: Jitter::from_fn(|c| c / 4),
            base_delay: Duration::from_millis(400),
            ..RetryPolicy::default()
        };
        assert_eq!(p.delay(2), Duration::from_millis(200));
        let full = Jitter::full();
        for _ in 0..100 {
            assert!(full.apply(Duration::from_millis(50)) <= Duration::from_millis(50));
        }
    }

    #[test]
    fn only_reads_and_client_token_calls_are_retry_safe() {
        assert!(is_retry_safe("DescribeInstances", false));
        assert!(is_retry_safe("ListTagResources", false));
        assert!(is_retry_safe("GetCallerIdentity", false));
        assert!(!is_retry_safe("RunCommand", false));
        assert!(is_retry_safe("RunCommand", true));
        assert!(!is_retry_safe("DeleteSnapshotGroup", false));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, reqwest::header::HeaderValue::from_static(value));
        }
        h
    }

    #[test]
    fn time_left_is_read_from_either_rate_limit_header() {
        let ms = |pairs: &[(&'static str, &'static str)]| {
            throttle_time_left(&headers(pairs)).map(|d| d.as_millis())
        };
        assert_eq!(
            ms(&[(
                "x-ratelimit-user-api",
                "Limit:100,Remain:0,TimeLeft:1000,Reset:1"
            )]),
            Some(1000)
        );
        assert_eq!(
            ms(&[("X-RateLimit-User", " Remain:0 , TimeLeft: 250 ")]),
            Some(250)
        );
        // Both present: the longer wait wins.
        assert_eq!(
            ms(&[
                ("x-ratelimit-user-api", "Remaining:10,TimeLeft:5"),
                ("x-ratelimit-user", "Remaining:20,TimeLeft:3000"),
            ]),
            Some(3000)
        );
        assert_eq!(ms(&[]), None);
        assert_eq!(ms(&[("x-ratelimit-user-api", "Limit:100,Remain:0")]), None);
        assert_eq!(ms(&[("x-ratelimit-user-api", "TimeLeft:0")]), None);
        assert_eq!(
            ms(&[("x-ratelimit-user-api", "TimeLeft:-5,TimeLeft:x")]),
            None
        );
        assert_eq!(ms(&[("x-ratelimit-other", "TimeLeft:900")]), None);
    }

    #[test]
    fn a_throttle_hint_lengthens_the_wait_up_to_the_cap() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            jitter: Jitter::none(),
            max_retry_after: Duration::from_secs(30),
            ..RetryPolicy::default()
        };
        let throttled = |ms: u64| {
            let mut e = service("Throttling.User", 400);
            if let AcsError::Service(s) = &mut e {
                s.retry_after = Some(Duration::from_millis(ms));
            }
            e
        };
        let ms = |attempt, e: &AcsError| p.delay_after(attempt, e).as_millis();
        assert_eq!(ms(1, &service("Throttling.User", 400)), 100);
        assert_eq!(ms(1, &throttled(2500)), 2500);
        // Never shorter than our own backoff, never longer than the cap.
        assert_eq!(ms(4, &throttled(50)), 800);
        assert_eq!(ms(1, &throttled(600_000)), 30_000);
    }

    #[test]
    fn transient_errors_by_code_and_5xx() {
        assert!(is_transient(&service("Throttling.User", 400)));
        assert!(is_transient(&service("ServiceUnavailable", 503)));
        assert!(is_transient(&service("InternalError", 500)));
        assert!(!is_transient(&service("InvalidParameter", 400)));
        assert!(!is_transient(&service("SignatureDoesNotMatch", 400)));
    }
}
