//! The client's main error paths against the sandbox cloud over real HTTP: auth failures,
//! permission denied, retried throttling and 5xx, the throttle's time left, and timeouts.

mod common;

use acs_openapi::actions::ecs_instances::DescribeDisksRequest;
use acs_openapi::{AcsError, Client, Credentials, ErrorKind, RetryPolicy, SignatureVersion};
use common::{assert_request_id, instance, Sandbox, HZ};
use serde_json::{json, Value};
use std::time::Duration;
use test_support::sandbox::demo_account;

#[tokio::test]
async fn bad_key_and_bad_signature_are_auth_failures() {
    let sb = Sandbox::start().await;
    let unknown = Client::builder()
        .strict_decoding(true)
        .endpoint(sb.endpoint())
        .static_credentials(Credentials::access_key("LTAI-no-such-key", "x"))
        .build()
        .unwrap();
    let e = unknown.get_caller_identity().await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidAccessKeyId.NotFound"), "{e}");
    assert_eq!(e.kind(), ErrorKind::AuthFailed);
    assert_request_id(e.request_id().unwrap());

    let admin = &demo_account("admin");
    for sig in [SignatureVersion::Acs3, SignatureVersion::V1] {
        let wrong_secret = Client::builder()
            .strict_decoding(true)
            .endpoint(sb.endpoint())
            .signature(sig)
            .static_credentials(Credentials::access_key(admin.access_key_id, "wrong-secret"))
            .build()
            .unwrap();
        let e = wrong_secret.describe_regions(HZ).await.unwrap_err();
        assert_eq!(e.code(), Some("SignatureDoesNotMatch"), "{sig:?}: {e}");
        assert_eq!(e.kind(), ErrorKind::AuthFailed);
    }
}

#[tokio::test]
async fn read_only_keys_get_permission_denied_for_writes() {
    let sb = Sandbox::start().await;
    let ro = sb.builder("read-only").build().unwrap();
    let mysql = instance(&ro, HZ, "app-centos79-mysql").await;
    let e = ro
        .stop_instance(HZ, &mysql.instance_id, false)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
}

#[tokio::test]
async fn throttling_and_5xx_are_retried_for_reads_only() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    sb.fault(json!({"action": "DescribeRegions", "throttle_next": 2}))
        .await;
    client.describe_regions(HZ).await.unwrap();
    assert_eq!(sb.calls("DescribeRegions").await, 3);

    sb.fault(json!({"action": "DescribeDisks", "error_next": 1, "error_status": 500}))
        .await;
    client
        .describe_disks(HZ, &DescribeDisksRequest::default())
        .await
        .unwrap();
    assert_eq!(sb.calls("DescribeDisks").await, 2);

    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    sb.fault(json!({"action": "StopInstance", "error_next": 1, "error_status": 503}))
        .await;
    let e = client
        .stop_instance(HZ, &mysql.instance_id, false)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ServiceUnavailable"));
    assert_eq!(
        sb.calls("StopInstance").await,
        1,
        "a write without ClientToken is not retried"
    );
}

#[tokio::test]
async fn a_throttled_error_carries_the_sandbox_time_left() {
    let sb = Sandbox::start().await;
    sb.fault(json!({"action": "DescribeRegions", "throttle_next": 10}))
        .await;
    let e = sb.admin().describe_regions(HZ).await.unwrap_err();
    assert_eq!(sb.calls("DescribeRegions").await, 4);
    assert_eq!(e.kind(), ErrorKind::Throttled, "{e}");
    assert_eq!(
        e.service().unwrap().retry_after,
        Some(Duration::from_millis(1000))
    );
}

#[tokio::test]
async fn slow_replies_time_out() {
    let sb = Sandbox::start().await;
    sb.fault(json!({"action": "DescribeRegions", "latency_ms": 1500}))
        .await;
    let client = sb
        .builder("admin")
        .read_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let e = client.describe_regions(HZ).await.unwrap_err();
    assert!(matches!(e, AcsError::TimedOut { .. }), "{e}");
    assert_eq!(e.kind(), ErrorKind::Network);
}

/// Many callers of one action over its limit: after the first throttle the client paces
/// the action by the gateway's `TimeLeft`, so nearly every call goes through on its first
/// retry instead of the callers being refused again together (the sandbox's flow control,
/// on its running clock, counts the refusals).
#[tokio::test]
async fn callers_over_a_limit_are_paced_by_the_time_left_not_refused_again() {
    let sb = Sandbox {
        running: test_support::sandbox::running().await,
        http: reqwest::Client::new(),
    };
    sb.control(
        reqwest::Method::PUT,
        "flow-control",
        json!({"actions": {"DescribeRegions": {"per_second": 10.0, "burst": 4}}}),
    )
    .await;
    // The default retry policy: TimeLeft honoured up to 30 s, four tries per call.
    let client = sb
        .builder("admin")
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    let calls = 24;
    let started = std::time::Instant::now();
    let results = futures::future::join_all((0..calls).map(|_| client.describe_regions(HZ))).await;
    let elapsed = started.elapsed();
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
    let state = sb
        .control(reqwest::Method::GET, "state/calls", Value::Null)
        .await;
    let throttled = state["throttled"]["DescribeRegions"].as_u64().unwrap_or(0);
    // Four from the burst, then 20 at 10/s: about 2 s. The first wave (8 in flight, four
    // over the burst) is refused; after that, a refusal is a turn that came a little early.
    assert!(throttled <= 12, "{throttled} refusals of {calls} calls");
    assert_eq!(sb.calls("DescribeRegions").await, calls + throttled);
    assert!(elapsed >= Duration::from_millis(1800), "{elapsed:?}");
    assert!(
        client
            .pacer()
            .interval(acs_openapi::Product::Ecs, "DescribeRegions")
            .is_some_and(|i| i <= Duration::from_millis(100)),
        "paced by the bucket's interval"
    );
}
