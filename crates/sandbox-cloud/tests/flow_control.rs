//! Per-account, per-action flow control over HTTP: the bucket empties, answers
//! `Throttling.User` with the limit and `TimeLeft` in `x-ratelimit-user-api`, refills on the
//! sandbox clock (paused and stepped here), and the control API configures and counts it.

mod support;

use serde_json::{json, Value};
use support::{control, raw, sandbox, step, Client, ADMIN, ECS, READ_ONLY};

async fn regions(c: &Client) -> (u16, Option<String>, Value) {
    let r = raw(
        c.addr,
        &c.build("DescribeRegions", ECS, &[("RegionId", "cn-hangzhou")]),
    )
    .await
    .expect("response");
    let header = r
        .headers
        .iter()
        .find(|(k, _)| k == "x-ratelimit-user-api")
        .map(|(_, v)| v.clone());
    (r.status, header, r.json())
}

#[tokio::test]
async fn a_bucket_throttles_with_its_limit_and_refills_on_the_sandbox_clock() {
    let sb = sandbox().await;
    let addr = sb.local_addr();
    let admin = Client::new(&sb, ADMIN);
    let (s, cfg) = control(
        addr,
        "PUT",
        "/_sandbox/flow-control",
        Some(json!({"actions": {"DescribeRegions": {"per_second": 2.0, "burst": 3}}})),
    )
    .await;
    assert_eq!(s, 200, "{cfg}");
    assert_eq!(
        cfg,
        json!({"enabled": true, "default": null, "actions": {"DescribeRegions": {"per_second": 2.0, "burst": 3}}})
    );
    for _ in 0..3 {
        let (status, header, _) = regions(&admin).await;
        assert_eq!((status, header), (200, None));
    }
    let (status, header, body) = regions(&admin).await;
    assert_eq!(status, 400);
    assert_eq!(body["Code"], "Throttling.User");
    assert_eq!(
        body["Message"],
        "Request was denied due to user flow control."
    );
    assert_eq!(
        header.as_deref(),
        Some("Limit:3,Remain:0,TimeLeft:500,Reset:1")
    );
    // The bucket is the account's: another user of the same account meets it too.
    let ro = Client::new(&sb, READ_ONLY);
    assert_eq!(regions(&ro).await.0, 400);
    // Actions without a limit (no default here) are never throttled.
    for _ in 0..20 {
        admin
            .ok("DescribeInstances", ECS, &[("RegionId", "cn-hangzhou")])
            .await;
    }

    // Half a token after 0.25 s: still refused, 250 ms to go; one token after 0.5 s.
    step(addr, 0.25).await;
    let (status, header, _) = regions(&admin).await;
    assert_eq!(status, 400);
    assert_eq!(
        header.as_deref(),
        Some("Limit:3,Remain:0,TimeLeft:250,Reset:1")
    );
    step(addr, 0.25).await;
    assert_eq!(regions(&admin).await.0, 200);
    assert_eq!(regions(&admin).await.0, 400);

    // Every call is counted, the throttled ones also under `throttled`.
    let (_, calls) = control(addr, "GET", "/_sandbox/state/calls", None).await;
    assert_eq!(calls["calls"]["DescribeRegions"], 8);
    assert_eq!(calls["throttled"], json!({"DescribeRegions": 4}));
    assert_eq!(calls["throttled_total"], 4);
    assert_eq!(calls["calls"]["DescribeInstances"], 20);

    // A throttling fault is counted as throttled too.
    control(
        addr,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeInstances", "throttle_next": 1})),
    )
    .await;
    admin
        .err(
            "DescribeInstances",
            ECS,
            &[("RegionId", "cn-hangzhou")],
            "Throttling.User",
        )
        .await;
    let (_, calls) = control(addr, "GET", "/_sandbox/state/calls", None).await;
    assert_eq!(calls["throttled"]["DescribeInstances"], 1);

    // Off: nothing is throttled.
    let (s, _) = control(
        addr,
        "PUT",
        "/_sandbox/flow-control",
        Some(json!({"enabled": false, "actions": {"DescribeRegions": {"per_second": 2.0, "burst": 3}}})),
    )
    .await;
    assert_eq!(s, 200);
    for _ in 0..5 {
        assert_eq!(regions(&admin).await.0, 200);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn demo_starts_with_generous_defaults_and_reset_restores_them() {
    let sb = sandbox().await;
    let addr = sb.local_addr();
    let (s, cfg) = control(addr, "GET", "/_sandbox/flow-control", None).await;
    assert_eq!(s, 200);
    assert_eq!(cfg["enabled"], true);
    assert_eq!(cfg["default"], json!({"per_second": 20.0, "burst": 200}));
    assert_eq!(
        cfg["actions"]["InvokeCommand"],
        json!({"per_second": 5.0, "burst": 50})
    );
    assert_eq!(
        cfg["actions"]["StopInvocation"],
        json!({"per_second": 5.0, "burst": 50})
    );
    // The default read limit: a burst of 200 from full, then 20 per second.
    let admin = Client::new(&sb, ADMIN);
    for n in 0..200 {
        assert_eq!(regions(&admin).await.0, 200, "call {n}");
    }
    let (status, header, _) = regions(&admin).await;
    assert_eq!(status, 400);
    assert_eq!(
        header.as_deref(),
        Some("Limit:200,Remain:0,TimeLeft:50,Reset:1")
    );
    step(addr, 0.05).await;
    assert_eq!(regions(&admin).await.0, 200);

    // A changed configuration lasts until the next reset.
    control(
        addr,
        "PUT",
        "/_sandbox/flow-control",
        Some(json!({"default": {"per_second": 1.0, "burst": 1}})),
    )
    .await;
    let (s, _) = control(addr, "POST", "/_sandbox/reset", None).await;
    assert_eq!(s, 200);
    let (_, after) = control(addr, "GET", "/_sandbox/flow-control", None).await;
    assert_eq!(after, cfg);
    // The reset refilled the buckets.
    assert_eq!(regions(&admin).await.0, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn limits_that_would_do_something_else_are_refused() {
    let sb = sandbox().await;
    let addr = sb.local_addr();
    let (_, before) = control(addr, "GET", "/_sandbox/flow-control", None).await;
    for (body, why) in [
        (
            json!({"actions": {"DescribeNothing": {"per_second": 1.0, "burst": 1}}}),
            "unknown action 'DescribeNothing'",
        ),
        (
            json!({"default": {"per_second": 0.0, "burst": 1}}),
            "per_second",
        ),
        (json!({"default": {"per_second": 1.0, "burst": 0}}), "burst"),
        (json!({"limit": 5}), "unknown field"),
        (
            json!({"default": {"per_second": 1.0, "burst": 1, "window": 3}}),
            "unknown field",
        ),
    ] {
        let (s, e) = control(addr, "PUT", "/_sandbox/flow-control", Some(body.clone())).await;
        assert_eq!(s, 400, "{body}");
        assert!(e["error"].as_str().unwrap().contains(why), "{body}: {e}");
    }
    let (_, after) = control(addr, "GET", "/_sandbox/flow-control", None).await;
    assert_eq!(after, before, "a refused PUT changed nothing");
    sb.shutdown().await;
}
