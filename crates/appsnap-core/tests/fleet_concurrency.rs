//! The fleet inventory overlaps its calls: inside a region the disk walk and the agent and
//! role batches run while the instance listing goes on, and regions (each its own
//! endpoint with its own politeness limits) run together. Proven with injected latency:
//! the wall time stays near the longest chain of dependent calls, far below the sum a
//! one-call-at-a-time read costs. The margins are wide (a debug build on a loaded
//! machine adds CPU time to every call, it never removes latency), and the results are
//! checked to be complete.

mod ram_support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use appsnap_core::fleet::{inventory, Inventory, InventoryOptions};
use appsnap_core::progress::Reporter;
use ram_support::Sandbox;
use serde_json::json;

async fn scale_with_latency(instances: usize, regions: usize, latency_ms: u64) -> Sandbox {
    let sb = Sandbox::start().await;
    sb.control(
        reqwest::Method::POST,
        "scenario",
        json!({"name": "scale", "seed": 3, "instances": instances, "regions": regions}),
    )
    .await;
    sb.fault(json!({"action": "*", "latency_ms": latency_ms}))
        .await;
    sb
}

async fn timed(sb: &Sandbox, regions: &[&str]) -> (Inventory, Duration) {
    let options = InventoryOptions {
        regions: regions.iter().map(|r| r.to_string()).collect(),
        ..InventoryOptions::default()
    };
    let started = Instant::now();
    let inv = inventory(&sb.client("admin"), &options, &Reporter::silent())
        .await
        .unwrap();
    (inv, started.elapsed())
}

fn unique_ids(inv: &Inventory) -> usize {
    inv.instances
        .iter()
        .map(|a| a.instance.instance_id.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_regions_batches_run_while_its_listing_goes_on() {
    // 250 instances: 3 pages, the disk pages, 3 agent and 5 role batches.
    let sb = scale_with_latency(250, 1, 400).await;
    let before = sb.calls().await;
    let (inv, took) = timed(&sb, &["cn-hangzhou"]).await;
    let after = sb.calls().await;
    assert!(inv.is_complete(), "{:?}", inv.missing);
    assert_eq!((inv.instances.len(), unique_ids(&inv)), (250, 250));
    let disks: usize = inv
        .instances
        .iter()
        .map(|a| a.instance.disks.as_ref().unwrap().len())
        .sum();
    let disk_pages = disks.div_ceil(500) as u64;
    assert_eq!(disk_pages, 2, "{disks} disks");
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    assert_eq!(delta("DescribeInstances"), 3);
    assert_eq!(delta("DescribeDisks"), disk_pages);
    assert_eq!(delta("DescribeCloudAssistantStatus"), 3);
    assert_eq!(delta("DescribeInstanceRamRole"), 5);
    // Longest chain: 3 pages, then the last batch = 4 × 400 ms; one at a time 13 × 400.
    assert!(took >= Duration::from_millis(1600), "{took:?}");
    assert!(
        took < Duration::from_millis(3400),
        "calls did not overlap: {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn regions_are_read_together_each_within_its_own_endpoint_limits() {
    // 8 regions of 20: per region 1 page, then disks, agents and roles at once (4 calls,
    // a chain of 2). Four regions at a time, each in sequence, would be 8 × 400 ms.
    let sb = scale_with_latency(160, 8, 400).await;
    let regions = [
        "cn-hangzhou",
        "cn-shanghai",
        "cn-beijing",
        "cn-shenzhen",
        "cn-hongkong",
        "ap-southeast-1",
        "us-west-1",
        "eu-central-1",
    ];
    let (inv, took) = timed(&sb, &regions).await;
    assert!(inv.is_complete(), "{:?}", inv.missing);
    assert_eq!((inv.instances.len(), unique_ids(&inv)), (160, 160));
    let order: Vec<&str> = inv
        .instances
        .iter()
        .map(|a| a.instance.region_id.as_str())
        .collect::<Vec<_>>()
        .chunk_by(|a, b| a == b)
        .map(|c| c[0])
        .collect();
    assert_eq!(order, regions, "results keep the regions' order");
    assert!(took >= Duration::from_millis(800), "{took:?}");
    assert!(
        took < Duration::from_millis(2000),
        "regions did not overlap: {took:?}"
    );
}
