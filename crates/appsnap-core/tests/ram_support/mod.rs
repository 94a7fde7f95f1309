//! The sandbox cloud for the RAM engine's tests: clients for the demo accounts, the
//! control API (state, calls, faults), the demo instances by name, and a way to act as
//! "someone else" in the middle of an apply.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::{Client, Credentials, Jitter, LimitSettings, RetryPolicy};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::{ApplyTuning, InstanceRef, RamApplyEvent};
use futures::TryStreamExt;
use sandbox_cloud::{RunningSandbox, SandboxOptions};
use serde_json::{json, Value};

pub const ECS_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
pub const SEED_POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#;
pub const WRITES: [&str; 5] = [
    "CreateRole",
    "CreatePolicy",
    "AttachPolicyToRole",
    "AttachInstanceRamRole",
    "DetachInstanceRamRole",
];
const REGIONS: [&str; 4] = ["cn-hangzhou", "cn-shanghai", "ap-southeast-1", "cn-beijing"];

pub struct Sandbox {
    pub running: RunningSandbox,
    http: reqwest::Client,
    /// Demo instance name → (id, region).
    pub instances: HashMap<String, InstanceRef>,
}

impl Sandbox {
    /// The demo scenario with its clock paused.
    pub async fn start() -> Self {
        let running = sandbox_cloud::start(SandboxOptions {
            time_scale: 0.0,
            ..SandboxOptions::default()
        })
        .await
        .expect("sandbox starts");
        let mut sb = Self {
            running,
            http: reqwest::Client::new(),
            instances: HashMap::new(),
        };
        let admin = sb.client("admin");
        for region in REGIONS {
            let list: Vec<_> = admin
                .describe_instances_stream(region, DescribeInstancesRequest::default())
                .try_collect()
                .await
                .unwrap();
            for i in list {
                sb.instances.insert(
                    i.instance_name,
                    InstanceRef {
                        instance_id: i.instance_id,
                        region_id: region.into(),
                    },
                );
            }
        }
        sb
    }

    pub fn endpoint(&self) -> &str {
        self.running.endpoint()
    }

    /// A client for a demo account (`admin`, `operator`, `read-only`), fast read retries.
    pub fn client(&self, power: &str) -> Client {
        client_for(self.endpoint(), power)
    }

    pub fn instance(&self, name: &str) -> InstanceRef {
        self.instances
            .get(name)
            .unwrap_or_else(|| panic!("demo instance {name}"))
            .clone()
    }

    pub async fn control(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/_sandbox/{path}", self.endpoint());
        let mut req = self.http.request(method, url);
        if !body.is_null() {
            req = req.json(&body);
        }
        let r = req.send().await.unwrap();
        assert!(r.status().is_success(), "control {path}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn reset(&self) {
        self.control(reqwest::Method::POST, "reset", json!({}))
            .await;
    }

    pub async fn fault(&self, fault: Value) {
        self.control(reqwest::Method::POST, "faults", fault).await;
    }

    /// Calls per action so far.
    pub async fn calls(&self) -> BTreeMap<String, u64> {
        let v = self
            .control(reqwest::Method::GET, "state/calls", Value::Null)
            .await;
        serde_json::from_value(v["calls"].clone()).unwrap()
    }

    /// Write calls between two `calls()` snapshots.
    pub fn writes_between(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> u64 {
        WRITES
            .iter()
            .map(|a| after.get(*a).unwrap_or(&0) - before.get(*a).unwrap_or(&0))
            .sum()
    }

    /// The demo account's RAM as the sandbox holds it: roles and custom policies.
    pub async fn ram(&self) -> Value {
        let v = self
            .control(reqwest::Method::GET, "state/ram", Value::Null)
            .await;
        v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["account_id"] == sandbox_cloud::DEMO_ACCOUNT_ID)
            .cloned()
            .expect("demo account")
    }

    pub async fn role(&self, name: &str) -> Option<Value> {
        self.ram().await["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["role_name"] == name)
            .cloned()
    }

    pub async fn policy_document(&self, name: &str) -> Option<String> {
        self.ram().await["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["policy_name"] == name)
            .map(|p| p["document"].as_str().unwrap().to_owned())
    }

    /// `["Custom:AppSnapshotPolicy", …]` attached to a role.
    pub async fn role_policies(&self, role: &str) -> Vec<String> {
        self.role(role).await.map_or_else(Vec::new, |r| {
            r["policies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    format!(
                        "{}:{}",
                        p["policy_type"].as_str().unwrap(),
                        p["policy_name"].as_str().unwrap()
                    )
                })
                .collect()
        })
    }

    /// The RAM role the sandbox says the instance holds.
    pub async fn instance_role(&self, instance_id: &str) -> Option<String> {
        let v = self
            .control(
                reqwest::Method::GET,
                &format!("instances/{instance_id}"),
                Value::Null,
            )
            .await;
        v["ram_role"].as_str().map(str::to_owned)
    }
}

pub fn client_for(endpoint: &str, power: &str) -> Client {
    client_retrying(
        endpoint,
        power,
        RetryPolicy {
            jitter: Jitter::from_fn(|_| Duration::from_millis(5)),
            // The sandbox asks for TimeLeft:1000 when it throttles; keep tests quick.
            max_retry_after: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
    )
}

/// A client for a demo account with the given retries.
pub fn client_retrying(endpoint: &str, power: &str, retry: RetryPolicy) -> Client {
    let account = sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == power)
        .expect("demo account");
    Client::builder()
        .endpoint(endpoint)
        .region("cn-hangzhou")
        .static_credentials(Credentials::access_key(
            account.access_key_id,
            account.access_key_secret,
        ))
        // The sandbox is local: no need for the real cloud's 20 calls a second.
        .limits(LimitSettings {
            rate_per_sec: 1000.0,
            burst: 1000.0,
            ..LimitSettings::default()
        })
        .retry(retry)
        .build()
        .unwrap()
}

/// Short waits: the sandbox answers at once.
pub fn tuning() -> ApplyTuning {
    ApplyTuning {
        write_attempts: 4,
        retry_delay: Duration::from_millis(10),
        retry_max_delay: Duration::from_millis(50),
        verify_timeout: Duration::from_secs(2),
        verify_delay: Duration::from_millis(10),
        verify_max_delay: Duration::from_millis(50),
    }
}

/// A reporter that collects events and runs `on_event` on each (to cancel, or to act
/// as someone else mid-apply).
pub fn reporter(
    cancel: CancellationToken,
    on_event: impl Fn(&RamApplyEvent) + Send + Sync + 'static,
) -> (Reporter<RamApplyEvent>, Arc<Mutex<Vec<RamApplyEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let r = Reporter::new(
        move |e: RamApplyEvent| {
            on_event(&e);
            sink.lock().unwrap().push(e);
        },
        cancel,
    );
    (r, events)
}

/// Runs `f` to completion on a runtime of its own, from inside a synchronous event
/// sink: "someone else" changing the account between two of our calls.
pub fn meanwhile<F, Fut>(f: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f())
    })
    .join()
    .expect("the concurrent change ran");
}

/// The events' names in order, e.g. `stepDone:role`.
pub fn event_names(events: &[RamApplyEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let v = serde_json::to_value(e).unwrap();
            let id = v["stepId"].as_str().unwrap_or("");
            format!("{}:{id}", v["event"].as_str().unwrap())
        })
        .collect()
}
