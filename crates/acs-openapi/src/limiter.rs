//! Per-endpoint politeness: at most N calls in flight and a token bucket on the start
//! rate, so a batch over many instances never floods one region's endpoint.

use std::time::Duration;

use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    pub max_in_flight: usize,
    /// Sustained calls per second.
    pub rate_per_sec: f64,
    /// Calls allowed at once after a quiet period.
    pub burst: f64,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            max_in_flight: 8,
            rate_per_sec: 20.0,
            burst: 20.0,
        }
    }
}

#[derive(Debug)]
pub struct EndpointLimiter {
    settings: LimitSettings,
    in_flight: Arc<Semaphore>,
    bucket: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl EndpointLimiter {
    pub fn new(settings: LimitSettings) -> Self {
        Self {
            settings,
            in_flight: Arc::new(Semaphore::new(settings.max_in_flight.max(1))),
            bucket: Mutex::new(Bucket {
                tokens: settings.burst.max(1.0),
                last: Instant::now(),
            }),
        }
    }

    /// Waits for a token and a free slot; the slot is held until the permit drops.
    pub async fn acquire(&self) -> OwnedSemaphorePermit {
        self.take_token().await;
        self.in_flight
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore never closed")
    }

    async fn take_token(&self) {
        let rate = self.settings.rate_per_sec;
        if rate <= 0.0 || !rate.is_finite() {
            return;
        }
        loop {
            let wait = {
                let mut b = self.bucket.lock().await;
                let now = Instant::now();
                let refill = now.duration_since(b.last).as_secs_f64() * rate;
                b.tokens = (b.tokens + refill).min(self.settings.burst.max(1.0));
                b.last = now;
                if b.tokens >= 1.0 {
                    b.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - b.tokens) / rate)
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn token_bucket_spaces_calls_after_the_burst() {
        let l = EndpointLimiter::new(LimitSettings {
            max_in_flight: 100,
            rate_per_sec: 10.0,
            burst: 2.0,
        });
        let start = Instant::now();
        for _ in 0..4 {
            drop(l.acquire().await);
        }
        // Two immediately, then one every 100 ms.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(250), "{elapsed:?}");
    }

    // Paused time: the timeouts below are virtual, so the result never depends on load.
    #[tokio::test(start_paused = true)]
    async fn at_most_max_in_flight_permits() {
        let l = EndpointLimiter::new(LimitSettings {
            max_in_flight: 2,
            rate_per_sec: 0.0,
            burst: 1.0,
        });
        let a = l.acquire().await;
        let _b = l.acquire().await;
        let third = tokio::time::timeout(Duration::from_millis(30), l.acquire()).await;
        assert!(third.is_err(), "a third call must wait");
        drop(a);
        let third = tokio::time::timeout(Duration::from_millis(30), l.acquire()).await;
        assert!(third.is_ok());
    }
}
