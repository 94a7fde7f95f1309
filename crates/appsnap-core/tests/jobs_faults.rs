//! Snapshot jobs under faults against the sandbox's `scale` scenario: 10% 5xx, 10%
//! throttling and 5% dropped connections (half of them after the call was applied) on
//! every action, for a batch of 50 instances with RAM set up first. Every run ends in the
//! state the cloud's own record implies, with exactly one invocation and one snapshot
//! group per instance-run, and nothing left frozen.

mod ram_support;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use appsnap_core::fleet::{inventory, Assessed, Consistency, InventoryOptions};
use appsnap_core::jobs::{
    disk_consistency, group_consistency, judge, new_job_id, plan, run, DiskResult, GroupState,
    JobStore, JobTuning, Mandate, SnapshotOptions, DEFAULT_PATTERN,
};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, InstanceRef, RamOptions};
use ram_support::{tuning, Sandbox};
use serde_json::{json, Value};

const BATCH: usize = 50;
const REGIONS: usize = 2;

async fn eligible(sb: &Sandbox) -> Vec<Assessed> {
    let inv = inventory(
        &sb.client("admin"),
        &InventoryOptions::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert!(inv.is_complete(), "{:?}", inv.missing);
    inv.instances
        .into_iter()
        .filter(|a| a.prediction.consistency != Consistency::None)
        .collect()
}

/// Adds one dropped connection for every 20 calls the sandbox sees (5%), alternating
/// "nothing applied" and "applied, then dropped", until `stop`.
async fn drop_connections(sb: &Sandbox, stop: Arc<AtomicBool>) -> u64 {
    let total = |v: &Value| v["total"].as_u64().unwrap();
    let start = total(
        &sb.control(reqwest::Method::GET, "state/calls", Value::Null)
            .await,
    );
    let mut dropped = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let now = total(
            &sb.control(reqwest::Method::GET, "state/calls", Value::Null)
                .await,
        );
        while (now - start) / 20 > dropped {
            let kind = match dropped % 2 {
                0 => "drop_next",
                _ => "drop_after_apply_next",
            };
            sb.fault(json!({"action": "*", kind: 1})).await;
            dropped += 1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    dropped
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_instances_under_faults_end_right_with_one_group_each() {
    let sb = Sandbox::start().await;
    sb.control(
        reqwest::Method::POST,
        "scenario",
        json!({"name": "scale", "seed": 11, "instances": 72, "regions": REGIONS}),
    )
    .await;
    // Candidates: running with Cloud Assistant online (the rest waits for a role).
    let all = inventory(
        &sb.client("admin"),
        &InventoryOptions::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let chosen: Vec<Assessed> = all
        .instances
        .into_iter()
        .filter(|a| {
            a.instance.status == "Running" && a.instance.agent.as_ref().is_some_and(|g| g.online)
        })
        .collect();
    let options = RamOptions {
        instances: chosen
            .iter()
            .map(|a| InstanceRef {
                instance_id: a.instance.instance_id.clone(),
                region_id: a.instance.region_id.clone(),
            })
            .collect(),
        ..RamOptions::default()
    };
    let admin = sb.client("admin");
    apply(&admin, &options, &tuning(), &Reporter::silent())
        .await
        .expect("RAM setup");
    let ids: Vec<String> = chosen
        .iter()
        .map(|a| a.instance.instance_id.clone())
        .collect();
    let instances: Vec<Assessed> = eligible(&sb)
        .await
        .into_iter()
        .filter(|a| ids.contains(&a.instance.instance_id))
        .take(BATCH)
        .collect();
    assert_eq!(instances.len(), BATCH, "enough eligible instances");

    // Faults on every action from here on; the clock runs 20×.
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    sb.fault(json!({"action": "*", "error_ratio": 0.1, "error_status": 503}))
        .await;
    sb.fault(json!({"action": "*", "error_ratio": 0.02, "error_status": 500}))
        .await;
    sb.fault(json!({"action": "*", "throttle_ratio": 0.1}))
        .await;
    // The creating call itself sees both kinds of drop at least twice.
    sb.fault(json!({"action": "InvokeCommand", "drop_after_apply_next": 2, "drop_next": 2}))
        .await;
    let stop = Arc::new(AtomicBool::new(false));
    let dropper = {
        let (sb, stop) = (&sb, stop.clone());
        async move { drop_connections(sb, stop).await }
    };
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let id = new_job_id();
    let t = JobTuning {
        first_poll: Duration::from_millis(50),
        max_poll: Duration::from_millis(300),
        ..JobTuning::default()
    };
    let started = Instant::now();
    let work = async {
        let p = plan(
            &admin,
            &id,
            &instances,
            &SnapshotOptions::default(),
            25,
            DEFAULT_PATTERN,
        )
        .await
        .expect("plan under faults");
        let report = run(&admin, &store, "sandbox", &id, &p, &t, &Reporter::silent()).await;
        stop.store(true, Ordering::Relaxed);
        report
    };
    let (report, dropped) = tokio::join!(work, dropper);
    let report = report.expect("run under faults");
    let elapsed = started.elapsed();
    sb.control(reqwest::Method::DELETE, "faults", Value::Null)
        .await;
    let calls = sb
        .control(reqwest::Method::GET, "state/calls", Value::Null)
        .await;
    eprintln!(
        "50 runs under faults: {elapsed:?}, {} calls, {} throttled, {dropped} dropped",
        calls["total"], calls["throttled_total"]
    );
    assert!(dropped >= 1, "connections were dropped");
    assert!(calls["throttled_total"].as_u64().unwrap() > 0);

    // The cloud's own record is the truth each result is checked against.
    let groups = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", Value::Null)
        .await;
    let mut by_instance: HashMap<String, Vec<Value>> = HashMap::new();
    for g in groups["snapshot_groups"].as_array().unwrap() {
        by_instance
            .entry(g["instance_id"].as_str().unwrap().to_owned())
            .or_default()
            .push(g.clone());
    }
    let invocations = sb
        .control(reqwest::Method::GET, "state/invocations", Value::Null)
        .await;
    let mut invoked: HashMap<String, usize> = HashMap::new();
    for inv in invocations["invocations"].as_array().unwrap() {
        for i in inv["instances"].as_array().unwrap() {
            *invoked
                .entry(i["instance_id"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    assert_eq!(report.results.len(), BATCH);
    for r in &report.results {
        let who = &r.instance_id;
        assert_eq!(invoked.get(who), Some(&1), "{who}: invoked once");
        let g = by_instance.get(who).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(g.len(), 1, "{who}: exactly one group: {g:?}");
        let g = &g[0];
        // The run ends once every snapshot is usable; the group may have become
        // accomplished since, never the other way round.
        let usable = g["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["available"] == true);
        match r.group_state {
            Some(GroupState::Accomplished) => assert_eq!(g["status"], "accomplished", "{who}"),
            Some(GroupState::Available) => assert!(
                usable && (g["status"] == "accomplished" || g["status"] == "progressing"),
                "{who}: {g}"
            ),
            other => panic!("{who}: group state {other:?}"),
        }
        assert_eq!(
            r.snapshot_group_id.as_deref(),
            g["snapshot_group_id"].as_str(),
            "{who}"
        );
        let disks: Vec<DiskResult> = g["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let tags: BTreeMap<String, String> =
                    serde_json::from_value(s["tags"].clone()).unwrap();
                DiskResult {
                    disk_id: s["source_disk_id"].as_str().unwrap().to_owned(),
                    snapshot_id: s["snapshot_id"].as_str().unwrap().to_owned(),
                    consistency: disk_consistency(&tags),
                    tags,
                }
            })
            .collect();
        let (consistency, status) = judge(group_consistency(&disks), Mandate::Allow);
        assert_eq!(r.consistency, Some(consistency), "{who}: {r:#?}");
        assert_eq!(r.status, status, "{who}: {r:#?}");
        assert_eq!(r.disks.len(), disks.len(), "{who}");
    }
    assert_eq!(
        sb.control(reqwest::Method::GET, "state/frozen", Value::Null)
            .await["frozen"],
        json!([]),
        "nothing left frozen"
    );
    assert_eq!(store.report(&id).unwrap(), report);
    assert!(store.unfinished().unwrap().is_empty());
    assert!(
        elapsed < Duration::from_secs(30),
        "bounded in time: {elapsed:?}"
    );
}

async fn demo_mysql() -> (Sandbox, Vec<Assessed>) {
    let sb = Sandbox::start().await;
    let i = sb.instance("app-centos79-mysql");
    apply(
        &sb.client("admin"),
        &RamOptions {
            instances: vec![i.clone()],
            ..RamOptions::default()
        },
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .expect("RAM setup");
    let inv = inventory(
        &sb.client("admin"),
        &InventoryOptions {
            regions: vec![i.region_id.clone()],
            ..InventoryOptions::default()
        },
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let chosen = inv
        .instances
        .into_iter()
        .filter(|a| a.instance.instance_id == i.instance_id)
        .collect();
    (sb, chosen)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_named_in_another_region_fails_with_the_cloud_s_error_and_no_group() {
    let (sb, mut chosen) = demo_mysql().await;
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    // A stale picker row: the instance as if it lived in cn-shanghai.
    chosen[0].instance.region_id = "cn-shanghai".into();
    let client = sb.client("admin");
    let id = new_job_id();
    let p = plan(
        &client,
        &id,
        &chosen,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .expect("plan");
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let before = sb.calls().await;
    let report = run(
        &client,
        &store,
        "sandbox",
        &id,
        &p,
        &JobTuning::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let after = sb.calls().await;
    let r = &report.results[0];
    assert_eq!(r.status, appsnap_core::jobs::RunStatus::Failed, "{r:#?}");
    let refused = r
        .explanation
        .iter()
        .find(|f| f.source == appsnap_core::jobs::FindingSource::ErrorCode)
        .expect("the refusal is a finding");
    assert!(
        refused.finding.starts_with("the invocation was refused: ")
            && refused.finding.contains("InvalidInstance.NotFound")
            && refused.finding.contains("RequestId"),
        "{}",
        refused.finding
    );
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    assert_eq!(delta("InvokeCommand"), 1, "a refusal is not sent again");
    assert_eq!(delta("DescribeInvocationResults"), 0, "nothing to poll");
    let groups = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", Value::Null)
        .await;
    assert_eq!(groups["snapshot_groups"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_replies_are_clear_errors_and_are_not_sent_again() {
    use test_support::mock_server::{ok, MockServer};
    let (sb, chosen) = demo_mysql().await;
    // Pre-flight: a DescribeCommands reply that is not JSON refuses the plan.
    let mock = MockServer::start(vec![ok("<html>gateway</html>")]).await;
    let client = ram_support::client_for(&mock.endpoint, "admin");
    let e = plan(
        &client,
        "job-m",
        &chosen,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("DescribeCommands"), "{e:?}");
    assert_eq!(mock.requests().len(), 1, "nothing else was sent");

    // A plan made against the sandbox, then an InvokeCommand reply without InvokeId: the
    // run fails saying so, and nothing is polled or sent again.
    let p = plan(
        &sb.client("admin"),
        "job-m",
        &chosen,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap();
    let mock = MockServer::start(vec![ok(r#"{"RequestId":"r-1"}"#)]).await;
    let client = ram_support::client_for(&mock.endpoint, "admin");
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let report = run(
        &client,
        &store,
        "sandbox",
        "job-m",
        &p,
        &JobTuning::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let r = &report.results[0];
    assert_eq!(r.status, appsnap_core::jobs::RunStatus::Failed);
    assert_eq!(r.invoke_id, None);
    assert!(
        r.explanation
            .iter()
            .any(|f| f.finding.contains("the reply has no InvokeId") && f.finding.contains("r-1")),
        "{r:#?}"
    );
    let sent = mock.requests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].header("x-acs-action"), Some("InvokeCommand"));
}
