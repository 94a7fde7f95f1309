//! `appsnap instances --all-regions --check --output json` on a 10,000-instance fleet over
//! 25 regions (the sandbox's `scale` scenario, no latency): the real binary lists every
//! instance exactly once — the same ids the cloud lists — with a prediction and its
//! checks, and exits 0. Its run time is printed (it is part of `make test`).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::Instant;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::{Client, Credentials};
use futures::TryStreamExt;
use sandbox_cloud::SandboxOptions;
use serde_json::Value;
use test_support::sandbox::demo_account;

const INSTANCES: usize = 10_000;
const REGIONS: usize = 25;

/// What the cloud itself lists, region by region, through the client.
async fn listed_by_the_cloud(endpoint: &str) -> BTreeMap<String, String> {
    let admin = demo_account("admin");
    let c = Client::builder()
        .endpoint(endpoint)
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()
        .unwrap();
    let regions = c
        .describe_regions("cn-hangzhou")
        .await
        .unwrap()
        .regions
        .region;
    let mut all = BTreeMap::new();
    for r in regions {
        let page = DescribeInstancesRequest {
            max_results: Some(100),
            ..Default::default()
        };
        let found: Vec<_> = c
            .describe_instances_stream(&r.region_id, page)
            .try_collect()
            .await
            .unwrap();
        all.extend(
            found
                .into_iter()
                .map(|i| (i.instance_id, r.region_id.clone())),
        );
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_instances_over_25_regions_each_exactly_once() {
    let sb = sandbox_cloud::start(SandboxOptions {
        scenario: "scale".into(),
        seed: 42,
        time_scale: 0.0,
        scale_instances: INSTANCES,
        scale_regions: REGIONS,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    // The scale scenario's flow control refills on the sandbox clock, which this test
    // holds still (time_scale 0): it would throttle forever. Completeness is the point here.
    let off = reqwest::Client::new()
        .put(format!("{}/_sandbox/flow-control", sb.endpoint()))
        .json(&serde_json::json!({"enabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 200, "flow control switched off");
    let home = tempfile::tempdir().unwrap();
    let admin = demo_account("admin");
    let endpoint = sb.endpoint().to_owned();
    let home_path = home.path().to_owned();
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_appsnap"));
        for (k, _) in std::env::vars() {
            if k.starts_with("ALIBABA") || k.starts_with("ALICLOUD") || k.starts_with("XDG_") {
                cmd.env_remove(k);
            }
        }
        cmd.args(["--endpoint", &endpoint])
            .args(["instances", "--all-regions", "--check", "--output", "json"])
            .env("HOME", &home_path)
            .env("XDG_DATA_HOME", home_path.join("data"))
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", admin.access_key_id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", admin.access_key_secret)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    eprintln!("appsnap instances --all-regions --check on {INSTANCES} instances: {took:?}");

    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), INSTANCES);
    let mut printed = BTreeMap::new();
    for row in &rows {
        let id = row["instanceId"].as_str().unwrap().to_owned();
        let region = row["regionId"].as_str().unwrap().to_owned();
        assert!(
            printed.insert(id.clone(), region).is_none(),
            "{id} printed twice"
        );
        let predicted = row["predicted"].as_str().unwrap();
        assert!(
            ["application", "filesystem", "none"].contains(&predicted),
            "{id}: {predicted}"
        );
        let checks = row["checks"].as_array().unwrap();
        assert!(
            checks.iter().any(|c| c["id"] == "DisksEssd"),
            "{id}: {checks:?}"
        );
    }
    // Exactly the cloud's instances, each in its own region, 400 in each of the 25.
    let cloud = listed_by_the_cloud(sb.endpoint()).await;
    assert_eq!(cloud.len(), INSTANCES);
    assert_eq!(printed, cloud);
    let mut per_region: BTreeMap<&str, usize> = BTreeMap::new();
    for region in printed.values() {
        *per_region.entry(region).or_default() += 1;
    }
    assert_eq!(per_region.len(), REGIONS, "{per_region:?}");
    assert!(
        per_region.values().all(|n| *n == INSTANCES / REGIONS),
        "{per_region:?}"
    );
    // Without a deep check nothing is predicted application-consistent yet.
    let undecided: BTreeSet<&str> = rows
        .iter()
        .map(|r| r["predicted"].as_str().unwrap())
        .collect();
    assert!(!undecided.contains("application"), "{undecided:?}");
    sb.shutdown().await;
}
