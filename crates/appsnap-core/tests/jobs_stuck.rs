//! The stuck path against the sandbox's `demo` scenario: a guest stalled by the control
//! API freezes and never goes on, so the run passes freeze timeout + allowance, is
//! stopped with StopInvocation, seen to end, and nothing stays frozen; a prescript that
//! hangs (`freeze-hangs-ubuntu2204`) ends on the plugin's freeze timeout, named in the
//! explanation.

mod ram_support;

use std::time::{Duration, Instant};

use appsnap_core::fleet::{inventory, Assessed, InventoryOptions};
use appsnap_core::jobs::{
    new_job_id, plan, run, FindingSource, JobReport, JobStore, JobTuning, ResultConsistency,
    RunStatus, SnapshotOptions, DEFAULT_PATTERN,
};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, RamOptions};
use ram_support::{tuning, Sandbox};
use serde_json::{json, Value};

async fn ready(names: &[&str]) -> Sandbox {
    let sb = Sandbox::start().await;
    let options = RamOptions {
        instances: names.iter().map(|n| sb.instance(n)).collect(),
        ..RamOptions::default()
    };
    apply(
        &sb.client("admin"),
        &options,
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .expect("RAM setup");
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    sb
}

async fn assessed(sb: &Sandbox, name: &str) -> Vec<Assessed> {
    let i = sb.instance(name);
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
    inv.instances
        .into_iter()
        .filter(|a| a.instance.instance_id == i.instance_id)
        .collect()
}

async fn job(sb: &Sandbox, name: &str, options: SnapshotOptions, t: &JobTuning) -> JobReport {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let client = sb.client("admin");
    let id = new_job_id();
    let p = plan(
        &client,
        &id,
        &assessed(sb, name).await,
        &options,
        4,
        DEFAULT_PATTERN,
    )
    .await
    .expect("plan");
    let report = run(&client, &store, "sandbox", &id, &p, t, &Reporter::silent())
        .await
        .expect("run");
    assert_eq!(store.report(&id).unwrap(), report, "history has it all");
    assert!(store.unfinished().unwrap().is_empty());
    report
}

fn text(report: &JobReport) -> String {
    report.results[0]
        .explanation
        .iter()
        .map(|f| format!("{:?}: {}", f.source, f.finding))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn frozen(sb: &Sandbox) -> Value {
    sb.control(reqwest::Method::GET, "state/frozen", Value::Null)
        .await["frozen"]
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_guest_is_stopped_past_the_bound_and_left_thawed() {
    let name = "app-centos79-mysql";
    let sb = ready(&[name]).await;
    let id = sb.instance(name).instance_id;
    sb.control(
        reqwest::Method::POST,
        &format!("instances/{id}/stall"),
        json!({"stalled": true}),
    )
    .await;
    let t = JobTuning {
        first_poll: Duration::from_millis(50),
        max_poll: Duration::from_millis(200),
        stuck_allowance: Duration::from_secs(1),
        stop_wait: Duration::from_secs(10),
        ..JobTuning::default()
    };
    let before = sb.calls().await;
    let started = Instant::now();
    // The stall is checked while it holds: the guest's file systems are frozen now.
    let watch = async {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let f = frozen(&sb).await;
            if f.as_array().is_some_and(|a| !a.is_empty()) {
                return f;
            }
            assert!(Instant::now() < deadline, "the stalled guest never froze");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let options = SnapshotOptions {
        freeze_timeout_secs: Some(2),
        ..SnapshotOptions::default()
    };
    let (report, seen) = tokio::join!(job(&sb, name, options, &t), watch);
    let elapsed = started.elapsed();
    assert_eq!(seen[0]["instance_id"], json!(id), "{seen}");
    let r = &report.results[0];
    assert_eq!(r.status, RunStatus::Stuck, "{r:#?}");
    assert_eq!(r.consistency, Some(ResultConsistency::Failed));
    assert!(!report.all_met());
    assert!(
        elapsed >= Duration::from_secs(3),
        "stopped only past 2 s + 1 s: {elapsed:?}"
    );
    let stuck = r
        .explanation
        .iter()
        .find(|f| f.source == FindingSource::Stuck)
        .unwrap_or_else(|| panic!("{}", text(&report)));
    assert!(
        stuck.finding.contains("freeze timeout (2 s) plus 1 s")
            && stuck.finding.contains("ended Terminated")
            && stuck.finding.contains("plugin's log"),
        "{}",
        stuck.finding
    );
    let after = sb.calls().await;
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    assert_eq!(delta("StopInvocation"), 1);
    assert_eq!(delta("InvokeCommand"), 1);
    assert_eq!(frozen(&sb).await, json!([]), "nothing left frozen");
    let history = sb
        .control(reqwest::Method::GET, "state/freeze-history", Value::Null)
        .await;
    let thawed: Vec<&Value> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["instance_id"] == json!(id))
        .collect();
    assert_eq!(thawed.len(), 1, "{history}");
    assert_eq!(thawed[0]["thaw_reason"], "invocation stopped");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_prescript_ends_on_the_freeze_timeout_and_names_it() {
    let name = "freeze-hangs-ubuntu2204";
    let sb = ready(&[name]).await;
    let t = JobTuning {
        first_poll: Duration::from_millis(50),
        max_poll: Duration::from_millis(200),
        ..JobTuning::default()
    };
    let options = SnapshotOptions {
        freeze_timeout_secs: Some(5),
        ..SnapshotOptions::default()
    };
    let before = sb.calls().await;
    let report = job(&sb, name, options, &t).await;
    let r = &report.results[0];
    let all = text(&report);
    assert_ne!(r.status, RunStatus::Stuck, "{all}");
    assert_ne!(r.consistency, Some(ResultConsistency::Application), "{all}");
    assert!(
        r.explanation
            .iter()
            .any(|f| f.source == FindingSource::Output && f.finding.contains("within 5s")),
        "the timeout is named: {all}"
    );
    let after = sb.calls().await;
    assert_eq!(after.get("StopInvocation"), before.get("StopInvocation"));
    assert_eq!(frozen(&sb).await, json!([]));
}
