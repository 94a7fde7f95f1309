//! The fleet inventory under load and faults against the sandbox: batch sizes proven by
//! counting calls on a `scale` fleet, and throttling, 503s and dropped connections give
//! a complete result or a partial one that names the region and the call — never a
//! silently short list.

mod ram_support;

use std::collections::BTreeSet;

use appsnap_core::fleet::{inventory, CheckId, CheckStatus, InventoryOptions};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ErrorCode;
use ram_support::Sandbox;
use serde_json::json;

fn ceil(n: usize, per: usize) -> u64 {
    n.div_ceil(per).max(1) as u64
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scale_fleet_costs_one_call_per_batch_and_lists_every_instance_once() {
    let sb = Sandbox::start().await;
    sb.control(
        reqwest::Method::POST,
        "scenario",
        json!({"name": "scale", "seed": 7, "instances": 730, "regions": 3}),
    )
    .await;
    let before = sb.calls().await;
    let inv = inventory(
        &sb.client("admin"),
        &InventoryOptions::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let after = sb.calls().await;
    assert!(inv.is_complete(), "{:?}", inv.missing);
    let ids: BTreeSet<&str> = inv
        .instances
        .iter()
        .map(|a| a.instance.instance_id.as_str())
        .collect();
    assert_eq!(inv.instances.len(), 730);
    assert_eq!(ids.len(), 730, "every instance exactly once");

    let mut expect = std::collections::BTreeMap::<&str, u64>::new();
    for region in &inv.regions {
        let here: Vec<_> = inv
            .instances
            .iter()
            .filter(|a| &a.instance.region_id == region)
            .collect();
        let disks: usize = here
            .iter()
            .map(|a| a.instance.disks.as_ref().unwrap().len())
            .sum();
        *expect.entry("DescribeInstances").or_default() += ceil(here.len(), 100);
        if !here.is_empty() {
            *expect.entry("DescribeDisks").or_default() += ceil(disks, 500);
            *expect.entry("DescribeCloudAssistantStatus").or_default() += ceil(here.len(), 100);
            *expect.entry("DescribeInstanceRamRole").or_default() += ceil(here.len(), 50);
        }
    }
    for (action, n) in expect {
        let got = after.get(action).unwrap_or(&0) - before.get(action).unwrap_or(&0);
        assert_eq!(got, n, "{action}");
    }
    assert!(
        expect_no_per_instance(&after),
        "no per-instance action was called: {after:?}"
    );
}

fn expect_no_per_instance(calls: &std::collections::BTreeMap<String, u64>) -> bool {
    ["DescribeInstanceAttribute", "DescribeInstanceStatus"]
        .iter()
        .all(|a| !calls.contains_key(*a))
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_503s_and_drops_that_retries_absorb_give_the_whole_fleet() {
    let sb = Sandbox::start().await;
    // Counted faults, not ratios: regions run in parallel, so a ratio's draws land on
    // different calls each run and now and then all four tries of one call fail (a
    // CI run did). At most three failures reach any one call here, below the four tries.
    for action in [
        "DescribeInstances",
        "DescribeDisks",
        "DescribeCloudAssistantStatus",
        "DescribeInstanceRamRole",
    ] {
        sb.fault(json!({"action": action, "throttle_next": 1}))
            .await;
    }
    sb.fault(json!({"action": "DescribeInstanceRamRole", "throttle_next": 2}))
        .await;
    sb.fault(json!({"action": "DescribeDisks", "error_next": 2, "error_status": 503}))
        .await;
    sb.fault(json!({"action": "DescribeCloudAssistantStatus", "drop_next": 2}))
        .await;
    let inv = inventory(
        &sb.client("admin"),
        &InventoryOptions::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert!(inv.is_complete(), "{:?}", inv.missing);
    assert_eq!(inv.instances.len(), 21);
    // Every counted fault fired: the retries absorbed them, nothing went around them.
    let left = sb
        .control(reqwest::Method::GET, "faults", serde_json::Value::Null)
        .await;
    for f in left["faults"].as_array().unwrap() {
        for key in ["throttle_next", "error_next", "drop_next"] {
            assert!(f[key].is_null() || f[key] == 0, "{key} not used up: {f}");
        }
    }
    for a in &inv.instances {
        for c in &a.checks {
            if matches!(
                c.id,
                CheckId::DisksEssd | CheckId::AgentInstalled | CheckId::RamRole
            ) {
                assert_ne!(
                    c.status,
                    CheckStatus::Unknown,
                    "{} {:?}",
                    a.instance.name,
                    c.id
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_that_keeps_failing_makes_a_partial_result_naming_region_and_action() {
    let sb = Sandbox::start().await;
    // More failures than the client's tries: cn-shanghai's disks stay unread.
    sb.fault(json!({"action": "DescribeDisks", "error_next": 40, "error_status": 503}))
        .await;
    let options = InventoryOptions {
        regions: vec!["cn-shanghai".into()],
        ..InventoryOptions::default()
    };
    let inv = inventory(&sb.client("admin"), &options, &Reporter::silent())
        .await
        .unwrap();
    assert!(!inv.is_complete());
    assert_eq!(inv.missing.len(), 1, "{:?}", inv.missing);
    let m = &inv.missing[0];
    assert_eq!(
        (m.region_id.as_str(), m.action.as_str(), m.error.code),
        ("cn-shanghai", "DescribeDisks", ErrorCode::Cloud)
    );
    assert_eq!(m.effect, "disk categories and counts are unknown");
    // The instances are still listed, their disk checks unknown, never passed.
    assert_eq!(inv.instances.len(), 5);
    for a in &inv.instances {
        let disks = a
            .checks
            .iter()
            .find(|c| c.id == CheckId::DisksEssd)
            .unwrap();
        assert_eq!(disks.status, CheckStatus::Unknown, "{}", a.instance.name);
        assert!(a.instance.disks.is_none());
    }

    // A region whose instances cannot be listed is named too, the others complete.
    sb.reset().await;
    sb.fault(json!({"action": "DescribeInstances", "error_next": 40, "error_status": 500}))
        .await;
    let options = InventoryOptions {
        regions: vec!["cn-beijing".into()],
        ..InventoryOptions::default()
    };
    let inv = inventory(&sb.client("admin"), &options, &Reporter::silent())
        .await
        .unwrap();
    assert_eq!(inv.instances.len(), 0);
    assert_eq!(
        inv.missing
            .iter()
            .map(|m| (m.region_id.as_str(), m.action.as_str()))
            .collect::<Vec<_>>(),
        [("cn-beijing", "DescribeInstances")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_regions_are_refused_and_cancellation_stops_between_calls() {
    let sb = Sandbox::start().await;
    let client = sb.client("admin");
    let bad = InventoryOptions {
        regions: vec!["CN Hangzhou".into()],
        ..InventoryOptions::default()
    };
    let err = inventory(&client, &bad, &Reporter::silent())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let before = sb.calls().await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let reporter = Reporter::new(|_| {}, cancel);
    let err = inventory(&client, &InventoryOptions::default(), &reporter)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert_eq!(sb.calls().await, before, "no call after a cancel");
}
