//! Fault injection per action: latency, throttling, server errors, dropped connections
//! (before or after the action is applied). Ratios use a seeded generator.

use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::ids::Rng;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(default)]
    pub id: u64,
    /// Action name or `*`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle_ratio: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle_next: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_ratio: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_next: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_next: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_after_apply_next: Option<u32>,
}

impl FaultSpec {
    /// Reject a spec that would silently do something else than asked.
    pub fn validate(&self) -> Result<(), String> {
        if self.action.is_empty() {
            return Err("action is required (an action name or \"*\")".into());
        }
        for (name, ratio) in [
            ("throttle_ratio", self.throttle_ratio),
            ("error_ratio", self.error_ratio),
        ] {
            if ratio.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
                return Err(format!("{name} must be between 0 and 1"));
            }
        }
        if self.error_status.is_some_and(|s| s != 500 && s != 503) {
            return Err(
                "error_status must be 500 (InternalError) or 503 (ServiceUnavailable)".into(),
            );
        }
        Ok(())
    }
}

/// What to do with one call.
#[derive(Debug, Default)]
pub struct Decision {
    pub latency_ms: u64,
    pub reject: Option<ApiError>,
    pub drop: bool,
    pub drop_after_apply: bool,
}

#[derive(Debug)]
pub struct Faults {
    pub list: Vec<FaultSpec>,
    next_id: u64,
    rng: Rng,
}

fn take(n: &mut Option<u32>) -> bool {
    match n {
        Some(k) if *k > 0 => {
            *k -= 1;
            true
        }
        _ => false,
    }
}

impl Faults {
    pub fn new(seed: u64) -> Self {
        Self {
            list: Vec::new(),
            next_id: 1,
            rng: Rng::new(seed.wrapping_add(17)),
        }
    }

    pub fn add(&mut self, mut spec: FaultSpec) -> u64 {
        spec.id = self.next_id;
        self.next_id += 1;
        self.list.push(spec);
        self.next_id - 1
    }

    pub fn clear(&mut self) {
        self.list.clear();
    }

    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.list.len();
        self.list.retain(|f| f.id != id);
        before != self.list.len()
    }

    pub fn decide(&mut self, action: &str) -> Decision {
        let mut d = Decision::default();
        for f in self
            .list
            .iter_mut()
            .filter(|f| f.action == "*" || f.action == action)
        {
            d.latency_ms += f.latency_ms.unwrap_or(0);
            if d.reject.is_some() || d.drop || d.drop_after_apply {
                continue;
            }
            if take(&mut f.drop_next) {
                d.drop = true;
            } else if take(&mut f.drop_after_apply_next) {
                d.drop_after_apply = true;
            } else if take(&mut f.throttle_next)
                || f.throttle_ratio.is_some_and(|r| self.rng.unit() < r)
            {
                d.reject = Some(ApiError::throttled());
            } else if take(&mut f.error_next) || f.error_ratio.is_some_and(|r| self.rng.unit() < r)
            {
                d.reject = Some(match f.error_status.unwrap_or(503) {
                    500 => ApiError::internal(),
                    _ => ApiError::unavailable(),
                });
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_n_faults_count_down_and_apply_per_action() {
        let mut f = Faults::new(1);
        f.add(FaultSpec {
            action: "RunCommand".into(),
            throttle_next: Some(2),
            latency_ms: Some(5),
            ..Default::default()
        });
        assert_eq!(
            f.decide("RunCommand").reject.unwrap().code,
            "Throttling.User"
        );
        assert!(f.decide("DescribeInstances").reject.is_none());
        let d = f.decide("RunCommand");
        assert!(d.reject.is_some() && d.latency_ms == 5);
        assert!(f.decide("RunCommand").reject.is_none());
        let id = f.add(FaultSpec {
            action: "*".into(),
            drop_after_apply_next: Some(1),
            ..Default::default()
        });
        assert!(f.decide("X").drop_after_apply);
        assert!(!f.decide("X").drop_after_apply);
        assert!(f.remove(id));
    }

    #[test]
    fn specs_that_would_do_something_else_are_refused() {
        let spec = |f: fn(&mut FaultSpec)| {
            let mut s = FaultSpec {
                action: "*".into(),
                ..Default::default()
            };
            f(&mut s);
            s.validate()
        };
        assert!(spec(|_| {}).is_ok());
        assert!(spec(|s| s.action.clear()).unwrap_err().contains("action"));
        assert!(spec(|s| s.throttle_ratio = Some(1.5))
            .unwrap_err()
            .contains("throttle_ratio"));
        assert!(spec(|s| s.error_ratio = Some(-0.1))
            .unwrap_err()
            .contains("error_ratio"));
        assert!(spec(|s| s.error_status = Some(404))
            .unwrap_err()
            .contains("error_status"));
        assert!(spec(|s| s.error_status = Some(500)).is_ok());
    }

    #[test]
    fn ratios_are_reproducible() {
        let run = || {
            let mut f = Faults::new(42);
            f.add(FaultSpec {
                action: "*".into(),
                error_ratio: Some(0.5),
                error_status: Some(500),
                ..Default::default()
            });
            (0..64)
                .map(|_| f.decide("A").reject.is_some())
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let hits = a.iter().filter(|x| **x).count();
        assert!((16..=48).contains(&hits), "{hits}");
    }
}
