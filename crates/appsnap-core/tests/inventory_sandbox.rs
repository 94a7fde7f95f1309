//! `inventory::scan_regions` against the sandbox cloud over real HTTP.

use std::sync::{Arc, Mutex};

use acs_openapi::{Client, Credentials};
use appsnap_core::inventory::{scan_regions, RegionCount, RegionScanEvent};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ErrorCode;
use sandbox_cloud::{demo_accounts, RunningSandbox, SandboxOptions};

async fn sandbox(options: SandboxOptions) -> RunningSandbox {
    sandbox_cloud::start(SandboxOptions {
        time_scale: 0.0,
        ..options
    })
    .await
    .expect("sandbox starts")
}

fn client(sb: &RunningSandbox, secret: Option<&str>) -> Client {
    let admin = demo_accounts()
        .into_iter()
        .find(|a| a.name == "admin")
        .unwrap();
    Client::builder()
        .endpoint(sb.endpoint())
        .region("cn-hangzhou")
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            secret.unwrap_or(admin.access_key_secret),
        ))
        .build()
        .unwrap()
}

fn counted(events: &[RegionScanEvent]) -> Vec<RegionCount> {
    events
        .iter()
        .filter_map(|e| match e {
            RegionScanEvent::Counted { region } => Some(region.clone()),
            RegionScanEvent::Listed { .. } => None,
        })
        .collect()
}

#[tokio::test]
async fn counts_every_region_of_the_demo_account_one_event_each() {
    let sb = sandbox(SandboxOptions::default()).await;
    let (reporter, events) = Reporter::collecting();
    let scan = scan_regions(&client(&sb, None), &reporter).await.unwrap();
    let events = events.lock().unwrap().clone();

    let RegionScanEvent::Listed { region_ids } = &events[0] else {
        panic!("the first event lists the regions: {events:?}");
    };
    assert_eq!(region_ids.len(), 8, "{region_ids:?}");
    assert_eq!(events.len(), 1 + region_ids.len());
    let counted = counted(&events);
    assert_eq!(
        counted.iter().map(|r| &r.region_id).collect::<Vec<_>>(),
        region_ids.iter().collect::<Vec<_>>(),
        "one Counted per listed region, in the listed order"
    );
    assert_eq!(scan.regions, counted, "the reply is what the events said");

    let by_id = |id: &str| scan.regions.iter().find(|r| r.region_id == id).unwrap();
    // The demo scenario's table (sandbox-cloud README).
    assert_eq!(by_id("cn-hangzhou").instances, 10);
    assert_eq!(by_id("cn-hangzhou").local_name, "华东1（杭州）");
    assert_eq!(by_id("cn-shanghai").instances, 5);
    assert_eq!(by_id("ap-southeast-1").instances, 5);
    assert_eq!(by_id("cn-beijing").instances, 1);
    let total: u32 = scan.regions.iter().map(|r| r.instances).sum();
    assert_eq!(total, 21);
    sb.shutdown().await;
}

#[tokio::test]
async fn follows_next_token_past_one_page() {
    let sb = sandbox(SandboxOptions {
        scenario: "scale".into(),
        scale_instances: 250,
        scale_regions: 1,
        ..Default::default()
    })
    .await;
    let scan = scan_regions(&client(&sb, None), &Reporter::silent())
        .await
        .unwrap();
    let total: u32 = scan.regions.iter().map(|r| r.instances).sum();
    assert_eq!(total, 250, "{:?}", scan.regions);
    assert!(
        scan.regions.iter().any(|r| r.instances > 100),
        "{:?}",
        scan.regions
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn stops_between_regions_when_cancelled() {
    let sb = sandbox(SandboxOptions::default()).await;
    let cancel = CancellationToken::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (sink, token) = (seen.clone(), cancel.clone());
    // The user presses Cancel as soon as the first region is counted.
    let reporter = Reporter::new(
        move |e: RegionScanEvent| {
            if matches!(e, RegionScanEvent::Counted { .. }) {
                token.cancel();
            }
            sink.lock().unwrap().push(e);
        },
        cancel,
    );
    let err = scan_regions(&client(&sb, None), &reporter)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        2,
        "Listed and one Counted, then nothing: {seen:?}"
    );
    assert_eq!(counted(&seen).len(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_fails_with_auth_failed_before_any_region() {
    let sb = sandbox(SandboxOptions::default()).await;
    let (reporter, events) = Reporter::collecting();
    let err = scan_regions(&client(&sb, Some("not-the-secret")), &reporter)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AuthFailed, "{err:?}");
    assert!(err.request_id.is_some(), "the cloud's RequestId is kept");
    assert!(events.lock().unwrap().is_empty());
    sb.shutdown().await;
}
