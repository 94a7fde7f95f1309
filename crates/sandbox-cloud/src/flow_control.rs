//! Per-account, per-action flow control: one token bucket per (account, action), refilled
//! on the sandbox clock, answering `Throttling.User` (reference §2.3, §2.5) with the
//! `x-ratelimit-user-api` header the official SDKs read for `TimeLeft:<ms>`.
//!
//! Alibaba does not publish per-action limits (reference §7.2 "API rate limits"), so every
//! number here is sandbox-chosen: generous enough that no single-instance workflow or
//! existing test meets them, tight enough that a batch of hundreds of instances does.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::clock::SimTime;

/// The response header that carries the limit (its name is from the reference; only its
/// `TimeLeft:<ms>` pair is documented, `Limit`/`Remain`/`Reset` are sandbox-chosen).
pub const HEADER: &str = "x-ratelimit-user-api";

/// A token bucket's size and refill rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// Tokens added per second of sandbox time.
    pub per_second: f64,
    /// Bucket size: calls allowed in a burst from full.
    pub burst: u32,
}

impl Limit {
    const fn new(per_second: f64, burst: u32) -> Self {
        Self { per_second, burst }
    }

    fn validate(&self, what: &str) -> Result<(), String> {
        if !(self.per_second.is_finite() && self.per_second > 0.0) {
            return Err(format!("{what}: per_second must be a positive number"));
        }
        if self.burst == 0 {
            return Err(format!("{what}: burst must be at least 1"));
        }
        Ok(())
    }
}

/// The configuration the control API reads and writes (`/_sandbox/flow-control`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The limit of every action not listed in `actions`; `None`: those are unlimited.
    #[serde(default)]
    pub default: Option<Limit>,
    #[serde(default)]
    pub actions: BTreeMap<String, Limit>,
}

fn yes() -> bool {
    true
}

/// Sandbox-chosen defaults of `demo` and `scale`: reads 20/s (burst 200), writes 10/s
/// (burst 100), the calls a snapshot batch makes per instance 5/s (burst 50).
const DEFAULT: Limit = Limit::new(20.0, 200);
const PER_ACTION: &[(&str, Limit)] = &[
    ("RunCommand", Limit::new(5.0, 50)),
    ("InvokeCommand", Limit::new(5.0, 50)),
    ("SendFile", Limit::new(5.0, 50)),
    ("CreateSnapshotGroup", Limit::new(5.0, 50)),
    ("StopInvocation", Limit::new(5.0, 50)),
    ("CreateCommand", Limit::new(10.0, 100)),
    ("DeleteCommand", Limit::new(10.0, 100)),
    ("DeleteSnapshotGroup", Limit::new(10.0, 100)),
    ("TagResources", Limit::new(10.0, 100)),
    ("UntagResources", Limit::new(10.0, 100)),
];

impl FlowConfig {
    /// No limits at all.
    pub fn off() -> Self {
        Self {
            enabled: false,
            default: None,
            actions: BTreeMap::new(),
        }
    }

    /// What a scenario starts with: the defaults in `demo` and `scale`, off otherwise.
    pub fn for_scenario(name: &str) -> Self {
        match name {
            "demo" | "scale" => Self {
                enabled: true,
                default: Some(DEFAULT),
                actions: PER_ACTION
                    .iter()
                    .map(|(a, l)| (a.to_string(), *l))
                    .collect(),
            },
            _ => Self::off(),
        }
    }

    /// Refuse limits that would do something else than asked; `known` says whether an
    /// action name is one the sandbox implements.
    pub fn validate(&self, known: impl Fn(&str) -> bool) -> Result<(), String> {
        if let Some(d) = &self.default {
            d.validate("default")?;
        }
        for (action, limit) in &self.actions {
            if !known(action) {
                return Err(format!("unknown action '{action}'"));
            }
            limit.validate(action)?;
        }
        Ok(())
    }

    fn limit(&self, action: &str) -> Option<Limit> {
        if !self.enabled {
            return None;
        }
        self.actions.get(action).copied().or(self.default)
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: SimTime,
}

/// A refused call: the limit it met and how long until a token is back.
#[derive(Debug, Clone, PartialEq)]
pub struct Throttle {
    pub limit: Limit,
    pub time_left_ms: i64,
}

impl Throttle {
    /// The wait as a client feels it: `TimeLeft` is time to wait, so on a clock running
    /// `time_scale` times wall speed it is that much shorter (a paused clock, 0, is stepped
    /// by its test and keeps sandbox time). Without this, a client at time scale 10 waits ten
    /// times too long for a token the bucket already holds.
    pub fn on_wall_clock(mut self, time_scale: f64) -> Self {
        if time_scale > 0.0 && time_scale != 1.0 {
            self.time_left_ms = ((self.time_left_ms as f64 / time_scale).ceil() as i64).max(1);
        }
        self
    }

    /// The header value: `Limit:<burst>,Remain:0,TimeLeft:<ms>,Reset:<s>`.
    pub fn header_value(&self) -> String {
        let reset = (self.time_left_ms + 999) / 1000;
        format!(
            "Limit:{},Remain:0,TimeLeft:{},Reset:{reset}",
            self.limit.burst, self.time_left_ms
        )
    }
}

#[derive(Debug)]
pub struct FlowControl {
    pub config: FlowConfig,
    buckets: HashMap<(String, String), Bucket>,
}

impl FlowControl {
    pub fn new(config: FlowConfig) -> Self {
        Self {
            config,
            buckets: HashMap::new(),
        }
    }

    /// Replace the configuration; every bucket starts full again.
    pub fn set(&mut self, config: FlowConfig) {
        self.config = config;
        self.buckets.clear();
    }

    /// Take a token for one call at `now`, or say how long to wait.
    pub fn take(&mut self, account: &str, action: &str, now: SimTime) -> Result<(), Throttle> {
        let Some(limit) = self.config.limit(action) else {
            return Ok(());
        };
        let cap = f64::from(limit.burst);
        let b = self
            .buckets
            .entry((account.to_string(), action.to_string()))
            .or_insert(Bucket {
                tokens: cap,
                at: now,
            });
        let elapsed = (now - b.at).max(0) as f64 / 1000.0;
        b.tokens = (b.tokens + elapsed * limit.per_second).min(cap);
        b.at = now.max(b.at);
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            return Ok(());
        }
        let time_left_ms = ((1.0 - b.tokens) / limit.per_second * 1000.0).ceil() as i64;
        Err(Throttle {
            limit,
            time_left_ms: time_left_ms.max(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(per_second: f64, burst: u32) -> FlowControl {
        FlowControl::new(FlowConfig {
            enabled: true,
            default: None,
            actions: [("InvokeCommand".to_string(), Limit::new(per_second, burst))].into(),
        })
    }

    #[test]
    fn a_bucket_empties_then_refills_on_sandbox_time() {
        let mut f = one(2.0, 3);
        for _ in 0..3 {
            assert!(f.take("a", "InvokeCommand", 0).is_ok());
        }
        let t = f.take("a", "InvokeCommand", 0).unwrap_err();
        assert_eq!(t.time_left_ms, 500);
        assert_eq!(t.header_value(), "Limit:3,Remain:0,TimeLeft:500,Reset:1");
        // At ten times wall speed the token is due in a tenth of the wall time.
        let fast = t.clone().on_wall_clock(10.0);
        assert_eq!(fast.header_value(), "Limit:3,Remain:0,TimeLeft:50,Reset:1");
        assert_eq!(t.clone().on_wall_clock(0.0).time_left_ms, 500);
        assert_eq!(t.clone().on_wall_clock(1.0).time_left_ms, 500);
        assert_eq!(t.on_wall_clock(1e6).time_left_ms, 1);
        // Half a token after 250 ms: still refused, 250 ms to go.
        assert_eq!(
            f.take("a", "InvokeCommand", 250).unwrap_err().time_left_ms,
            250
        );
        assert!(f.take("a", "InvokeCommand", 500).is_ok());
        assert!(f.take("a", "InvokeCommand", 500).is_err());
        // Never more than the burst, however long it waited.
        for _ in 0..3 {
            assert!(f.take("a", "InvokeCommand", 60_000).is_ok());
        }
        assert!(f.take("a", "InvokeCommand", 60_000).is_err());
    }

    #[test]
    fn buckets_are_per_account_and_action_and_unlisted_actions_are_free() {
        let mut f = one(1.0, 1);
        assert!(f.take("a", "InvokeCommand", 0).is_ok());
        assert!(f.take("a", "InvokeCommand", 0).is_err());
        assert!(f.take("b", "InvokeCommand", 0).is_ok());
        for _ in 0..1000 {
            assert!(f.take("a", "DescribeInstances", 0).is_ok());
        }
        f.config.enabled = false;
        assert!(f.take("a", "InvokeCommand", 0).is_ok());
    }

    #[test]
    fn scenarios_get_their_defaults_and_bad_limits_are_refused() {
        let demo = FlowConfig::for_scenario("demo");
        assert!(demo.enabled);
        assert_eq!(demo.limit("DescribeInstances"), Some(DEFAULT));
        assert_eq!(demo.limit("InvokeCommand"), Some(Limit::new(5.0, 50)));
        assert_eq!(FlowConfig::for_scenario("other").limit("X"), None);
        // Every per-action default names an action the route table has.
        let routed = |a: &str| crate::api::routes::ROUTES.iter().any(|r| r.action == a);
        assert!(demo.validate(routed).is_ok());
        assert_eq!(
            demo.validate(|a| a != "InvokeCommand").unwrap_err(),
            "unknown action 'InvokeCommand'"
        );
        let mut bad = FlowConfig::off();
        bad.default = Some(Limit::new(0.0, 1));
        assert!(bad.validate(|_| true).unwrap_err().contains("per_second"));
        bad.default = Some(Limit::new(1.0, 0));
        assert!(bad.validate(|_| true).unwrap_err().contains("burst"));
    }
}
