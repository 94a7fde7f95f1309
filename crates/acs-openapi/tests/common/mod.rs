//! The sandbox cloud as the client tests use it: a paused sandbox, strict clients of its
//! demo accounts with quick retries, its control API, and the checks the tests share.
#![allow(dead_code)]

use std::time::Duration;

use acs_openapi::actions::ecs_instances::{DescribeInstancesRequest, Instance};
use acs_openapi::{Client, ClientBuilder, Credentials, Jitter, RetryPolicy};
use futures::TryStreamExt;
use sandbox_cloud::RunningSandbox;
use serde_json::{json, Value};
use test_support::sandbox::demo_account;

pub const HZ: &str = "cn-hangzhou";
pub const ECS_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
pub const POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#;

pub struct Sandbox {
    pub running: RunningSandbox,
    pub http: reqwest::Client,
}

impl Sandbox {
    /// A fresh sandbox with its clock paused (tests step it).
    pub async fn start() -> Self {
        Self {
            running: test_support::sandbox::paused().await,
            http: reqwest::Client::new(),
        }
    }

    pub fn endpoint(&self) -> &str {
        self.running.endpoint()
    }

    pub fn builder(&self, power: &str) -> ClientBuilder {
        let account = demo_account(power);
        Client::builder()
            .strict_decoding(true)
            .endpoint(self.endpoint())
            .region(HZ)
            .static_credentials(Credentials::access_key(
                account.access_key_id,
                account.access_key_secret,
            ))
            .retry(RetryPolicy {
                jitter: Jitter::from_fn(|_| Duration::from_millis(5)),
                // The sandbox asks for TimeLeft:1000 when it throttles; keep tests quick.
                max_retry_after: Duration::from_millis(20),
                ..RetryPolicy::default()
            })
    }

    pub fn admin(&self) -> Client {
        self.builder("admin").build().unwrap()
    }

    pub async fn control(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/_sandbox/{path}", self.endpoint());
        let r = self
            .http
            .request(method, url)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "control {path}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn step(&self, seconds: f64) {
        self.control(
            reqwest::Method::POST,
            "clock/step",
            json!({ "seconds": seconds }),
        )
        .await;
    }

    pub async fn fault(&self, fault: Value) {
        self.control(reqwest::Method::POST, "faults", fault).await;
    }

    pub async fn calls(&self, action: &str) -> u64 {
        let v = self
            .control(reqwest::Method::GET, "state/calls", Value::Null)
            .await;
        v["calls"][action].as_u64().unwrap_or(0)
    }
}

/// The sandbox's RequestId format: 8-4-4-4-12 uppercase hex, as the cloud's.
pub fn assert_request_id(id: &str) {
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert!(
        id.chars().all(|c| c == '-'
            || c.is_ascii_digit()
            || c.is_ascii_uppercase() && c.is_ascii_hexdigit()),
        "{id}"
    );
}

pub async fn instance(client: &Client, region: &str, name: &str) -> Instance {
    client
        .describe_instances_stream(region, DescribeInstancesRequest::default())
        .try_filter(|i| futures::future::ready(i.instance_name == name))
        .try_next()
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("instance {name}"))
}
