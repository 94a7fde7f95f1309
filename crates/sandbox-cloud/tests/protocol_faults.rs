//! Protocol behaviour over real HTTP: injected faults (throttling, failures, dropped
//! connections, latency) and the ClientToken that makes retries safe.

mod support;

use serde_json::json;
use support::{control, raw, Client, ADMIN, ECS};

#[tokio::test]
async fn faults_throttle_fail_and_drop_and_client_tokens_make_retries_safe() {
    let sb = support::sandbox().await;
    let a = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeRegions", "throttle_next": 1})),
    )
    .await;
    assert_eq!(s, 200);
    let r = raw(a, &c.build("DescribeRegions", ECS, &[])).await.unwrap();
    assert_eq!(
        (r.status, r.json()["Code"].as_str().unwrap()),
        (400, "Throttling.User")
    );
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "x-ratelimit-user-api" && v.contains("TimeLeft:")));
    c.ok("DescribeRegions", ECS, &[]).await;
    control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "*", "error_next": 1, "error_status": 500})),
    )
    .await;
    let (s, _) = c.err("DescribeRegions", ECS, &[], "InternalError").await;
    assert_eq!(s, 500);
    control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeRegions", "drop_next": 1})),
    )
    .await;
    assert!(raw(a, &c.build("DescribeRegions", ECS, &[])).await.is_err());
    // Ratios: 1 hits every call of that action, and only that action.
    let (_, t) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeDisks", "throttle_ratio": 1.0})),
    )
    .await;
    let (_, e) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeSnapshots", "error_ratio": 1.0})),
    )
    .await;
    for _ in 0..3 {
        c.err(
            "DescribeDisks",
            ECS,
            &[("RegionId", "cn-hangzhou")],
            "Throttling.User",
        )
        .await;
        let (s, _) = c
            .err(
                "DescribeSnapshots",
                ECS,
                &[("RegionId", "cn-hangzhou")],
                "ServiceUnavailable",
            )
            .await;
        assert_eq!(s, 503);
    }
    c.ok("DescribeRegions", ECS, &[]).await;
    for id in [&t["id"], &e["id"]] {
        let (s, _) = control(a, "DELETE", &format!("/_sandbox/faults/{id}"), None).await;
        assert_eq!(s, 200);
    }
    c.ok("DescribeDisks", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    // A spec that would do something else than asked is refused.
    for bad in [
        json!({"action": "*", "throttle_ratio": 1.5}),
        json!({"action": "*", "error_next": 1, "error_status": 404}),
        json!({"throttle_next": 1}),
        json!({"action": "*", "latency": 5}),
    ] {
        let (s, b) = control(a, "POST", "/_sandbox/faults", Some(bad.clone())).await;
        assert_eq!(s, 400, "{bad} -> {b}");
        assert!(b["error"].is_string());
    }
    // The create is applied, the answer is lost; the retry with the same token gets the same ids.
    let (_, f) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "RunCommand", "drop_after_apply_next": 1})),
    )
    .await;
    let id = c.instance_id("cn-hangzhou", "app-centos79-mysql").await;
    let params = [
        ("RegionId", "cn-hangzhou"),
        ("Type", "RunShellScript"),
        ("CommandContent", "echo"),
        ("InstanceId.1", id.as_str()),
        ("ClientToken", "tok-123"),
    ];
    assert!(raw(a, &c.build("RunCommand", ECS, &params)).await.is_err());
    let first = c.ok("RunCommand", ECS, &params).await;
    let again = c.ok("RunCommand", ECS, &params).await;
    assert_eq!(first["InvokeId"], again["InvokeId"]);
    assert_ne!(first["RequestId"], again["RequestId"]);
    let inv = c
        .ok("DescribeInvocations", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    assert_eq!(inv["TotalCount"], 1);
    let changed = [
        ("RegionId", "cn-hangzhou"),
        ("Type", "RunShellScript"),
        ("CommandContent", "echo 2"),
        ("InstanceId.1", id.as_str()),
        ("ClientToken", "tok-123"),
    ];
    c.err("RunCommand", ECS, &changed, "IdempotentParameterMismatch")
        .await;
    let (_, list) = control(a, "GET", "/_sandbox/faults", None).await;
    assert_eq!(list["faults"].as_array().unwrap().len(), 4);
    let (s, _) = control(a, "DELETE", &format!("/_sandbox/faults/{}", f["id"]), None).await;
    assert_eq!(s, 200);
    let (_, calls) = control(a, "GET", "/_sandbox/state/calls", None).await;
    assert_eq!(calls["calls"]["RunCommand"], 4);
    sb.shutdown().await;
}

/// Latency is a real delay in the server (`tokio::time::sleep`). With tokio's clock paused
/// it is measured in virtual time: exact, and no test waits for it.
#[tokio::test(start_paused = true)]
async fn latency_faults_delay_the_answer_of_that_action_only() {
    let sb = support::sandbox().await;
    let a = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeRegions", "latency_ms": 1500})),
    )
    .await;
    assert_eq!(s, 200);
    let t0 = tokio::time::Instant::now();
    c.ok("DescribeInstances", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    assert_eq!(t0.elapsed(), std::time::Duration::ZERO);
    c.ok("DescribeRegions", ECS, &[]).await;
    assert!(t0.elapsed() >= std::time::Duration::from_millis(1500));
    sb.shutdown().await;
}
