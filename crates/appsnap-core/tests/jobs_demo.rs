//! Snapshot jobs against the sandbox's `demo` scenario over real HTTP: RAM set up with
//! the ram engine, the MySQL template pushed with SendFile, then each seed case run
//! through plan → run and checked in the result, in history and in the sandbox's state.

mod ram_support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use acs_openapi::actions::cloud_assistant::SendFileRequest;
use acs_openapi::{Jitter, RetryPolicy};
use appsnap_core::fleet::{inventory, Assessed, InventoryOptions};
use appsnap_core::jobs::{
    new_job_id, plan, resume_all, run, FindingSource, GroupState, JobEvent, JobReport, JobStore,
    JobTuning, Mandate, ResultConsistency, RunResult, RunStatus, SnapshotOptions, Trigger,
    DEFAULT_PATTERN,
};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::{apply, RamOptions};
use ram_support::{client_retrying, tuning, Sandbox};
use serde_json::json;

fn fast() -> JobTuning {
    JobTuning {
        first_poll: Duration::from_millis(30),
        max_poll: Duration::from_millis(200),
        ..JobTuning::default()
    }
}

/// RAM for `names`, the clock running 20× (a demo run takes ~3 s simulated).
async fn ready(names: &[&str]) -> Sandbox {
    ready_at(names, 20.0).await
}

/// RAM for `names`, then the clock at `time_scale` (0: paused).
async fn ready_at(names: &[&str], time_scale: f64) -> Sandbox {
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
        json!({ "time_scale": time_scale }),
    )
    .await;
    sb
}

async fn push_mysql(sb: &Sandbox, name: &str) {
    let i = sb.instance(name);
    let pair = appsnap_core::scripts::render("mysql", &BTreeMap::new(), 30).expect("render");
    for (file, text) in [
        ("prescript.sh", &pair.freeze),
        ("postscript.sh", &pair.thaw),
    ] {
        sb.client("admin")
            .send_file(
                &i.region_id,
                &SendFileRequest {
                    instance_ids: vec![i.instance_id.clone()],
                    name: file.into(),
                    target_dir: "/tmp".into(),
                    content: text.clone(),
                    file_mode: Some("0700".into()),
                    file_owner: Some("root".into()),
                    file_group: Some("root".into()),
                    overwrite: Some(true),
                    ..SendFileRequest::default()
                },
            )
            .await
            .expect("SendFile");
    }
    // Delivery 0.5 s + write 0.2 s simulated.
    sb.control(reqwest::Method::POST, "clock/step", json!({"seconds": 2}))
        .await;
}

async fn assessed(sb: &Sandbox, names: &[&str]) -> Vec<Assessed> {
    let mut regions: Vec<String> = names.iter().map(|n| sb.instance(n).region_id).collect();
    regions.dedup();
    let inv = inventory(
        &sb.client("admin"),
        &InventoryOptions {
            regions,
            ..InventoryOptions::default()
        },
        &Reporter::silent(),
    )
    .await
    .unwrap();
    names
        .iter()
        .map(|n| {
            let id = sb.instance(n).instance_id;
            inv.instances
                .iter()
                .find(|a| a.instance.instance_id == id)
                .cloned()
                .unwrap()
        })
        .collect()
}

async fn job(
    sb: &Sandbox,
    store: &JobStore,
    names: &[&str],
    options: SnapshotOptions,
) -> JobReport {
    let instances = assessed(sb, names).await;
    let client = sb.client("admin");
    let id = new_job_id();
    let p = plan(&client, &id, &instances, &options, 4, DEFAULT_PATTERN)
        .await
        .expect("plan");
    assert!(!p.experimental);
    run(
        &client,
        store,
        "sandbox",
        &id,
        &p,
        &fast(),
        &Reporter::silent(),
    )
    .await
    .expect("run")
}

fn result<'a>(sb: &Sandbox, report: &'a JobReport, name: &str) -> &'a RunResult {
    let id = sb.instance(name).instance_id;
    report.results.iter().find(|r| r.instance_id == id).unwrap()
}

async fn sandbox_groups(sb: &Sandbox) -> Vec<serde_json::Value> {
    sb.control(reqwest::Method::GET, "state/snapshot-groups", json!(null))
        .await["snapshot_groups"]
        .as_array()
        .unwrap()
        .clone()
}

fn text(r: &RunResult) -> String {
    r.explanation
        .iter()
        .map(|f| format!("{:?}: {}", f.source, f.finding))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn mysql_with_scripts_and_sqlserver_with_writers_are_application_consistent() {
    let names = ["app-centos79-mysql", "win2019-sqlserver"];
    let sb = ready(&names).await;
    push_mysql(&sb, names[0]).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let before = sb.calls().await;
    let report = job(&sb, &store, &names, SnapshotOptions::default()).await;
    let after = sb.calls().await;
    assert!(report.all_met(), "{report:#?}");
    for name in names {
        let r = result(&sb, &report, name);
        assert_eq!(r.status, RunStatus::Succeeded, "{name}");
        assert_eq!(
            r.consistency,
            Some(ResultConsistency::Application),
            "{name}"
        );
        assert_eq!(r.exit_code, Some(0));
        assert!(r.explanation.is_empty(), "{name}: {}", text(r));
        let group = r.snapshot_group_id.as_deref().unwrap();
        assert!(group.starts_with("ssg-"));
        assert!(!r.disks.is_empty());
        for d in &r.disks {
            assert_eq!(
                d.tags.get("APPConsistent").map(String::as_str),
                Some("True"),
                "{name} {d:?}"
            );
            assert_eq!(d.consistency, ResultConsistency::Application);
        }
    }
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    assert_eq!(delta("InvokeCommand"), 2);
    assert_eq!(delta("DescribeCommands"), 2, "once per region and OS type");
    // Exactly one group per instance-run in the sandbox, and history has it all.
    let groups = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", json!(null))
        .await;
    assert_eq!(groups["snapshot_groups"].as_array().unwrap().len(), 2);
    let back = store.report(&report.job_id).unwrap();
    assert_eq!(back, report);
    assert!(store.unfinished().unwrap().is_empty());
    let frozen = sb
        .control(reqwest::Method::GET, "state/frozen", json!(null))
        .await;
    assert_eq!(frozen["frozen"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_writers_sqlserver_is_filesystem_and_a_broken_writer_is_named() {
    let names = ["win2019-sqlserver", "win2019-sql-vss-broken"];
    let sb = ready(&names).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let report = job(
        &sb,
        &store,
        &names[..1],
        SnapshotOptions {
            include_writers: false,
            ..SnapshotOptions::default()
        },
    )
    .await;
    let r = result(&sb, &report, names[0]);
    assert_eq!(r.consistency, Some(ResultConsistency::Filesystem), "{r:#?}");
    assert_eq!(r.status, RunStatus::Succeeded, "allow fallback");
    assert!(r
        .disks
        .iter()
        .all(|d| d.tags.get("FsConsistent").map(String::as_str) == Some("True")));
    assert!(
        text(r).contains("Preflight: include writers is off"),
        "{}",
        text(r)
    );

    let report = job(&sb, &store, &names[1..], SnapshotOptions::default()).await;
    let r = result(&sb, &report, names[1]);
    assert_eq!(r.consistency, Some(ResultConsistency::Filesystem));
    let t = text(r);
    assert!(
        t.contains("Output: [WARN]") && t.contains("SqlServerWriter"),
        "{t}"
    );
    assert!(r
        .explanation
        .iter()
        .any(|f| f.source == FindingSource::Tags));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_prescript_gives_filesystem_and_fails_the_mandate() {
    let names = ["freeze-fails-centos79"];
    let sb = ready(&names).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let report = job(&sb, &store, &names, SnapshotOptions::default()).await;
    let r = result(&sb, &report, names[0]);
    assert_eq!(r.consistency, Some(ResultConsistency::Filesystem));
    assert!(
        text(r).contains("Prescript failed, exit code 1"),
        "{}",
        text(r)
    );
    assert!(report.all_met());

    let report = job(
        &sb,
        &store,
        &names,
        SnapshotOptions {
            mandate: Mandate::Require,
            ..SnapshotOptions::default()
        },
    )
    .await;
    let r = result(&sb, &report, names[0]);
    assert_eq!(r.consistency, Some(ResultConsistency::Failed));
    assert_eq!(r.status, RunStatus::Failed);
    assert!(r
        .explanation
        .iter()
        .any(|f| f.source == FindingSource::Mandate));
    assert!(r
        .disks
        .iter()
        .all(|d| d.consistency == ResultConsistency::Filesystem));
    assert!(!report.all_met());
}

#[tokio::test(flavor = "multi_thread")]
async fn ineligible_instances_and_bad_input_are_refused_before_any_call() {
    let sb = ready(&["app-centos79-mysql"]).await;
    let client = sb.client("admin");
    let ok = assessed(&sb, &["app-centos79-mysql"]).await;
    let legacy = assessed(&sb, &["legacy-centos74"]).await;
    let before = sb.calls().await;
    let e = plan(
        &client,
        "job-x",
        &legacy,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, appsnap_core::ErrorCode::InvalidInput);
    assert!(e.message.contains("cannot be snapshotted"), "{}", e.message);
    for (options, says) in [
        (
            SnapshotOptions {
                name: Some("x".repeat(129)),
                ..Default::default()
            },
            "the name has 129 characters",
        ),
        (
            SnapshotOptions {
                description: Some("d".repeat(257)),
                ..Default::default()
            },
            "the description has 257",
        ),
        (
            SnapshotOptions {
                retention_days: Some(0),
                ..Default::default()
            },
            "retention days is 0",
        ),
        (
            SnapshotOptions {
                exclude_disk_ids: vec!["d-nope".into()],
                ..Default::default()
            },
            "belongs to none",
        ),
    ] {
        let e = plan(&client, "job-x", &ok, &options, 4, DEFAULT_PATTERN)
            .await
            .unwrap_err();
        assert_eq!(e.code, appsnap_core::ErrorCode::InvalidInput);
        assert!(e.message.contains(says), "{}", e.message);
    }
    let after = sb.calls().await;
    assert_eq!(before, after, "nothing was sent");
}

/// ESSD snapshots are instant-access (the cloud no longer lets it be turned off), so a run
/// ends when every snapshot is `Available`, not when the copy is `accomplished` later.
#[tokio::test(flavor = "multi_thread")]
async fn a_run_ends_when_its_snapshots_are_available_not_when_the_copy_ends() {
    let names = ["win2022-fileserver"];
    // Real time: available at +0.8 s, accomplished at +2 s (plus 1 ms/GiB) after creation.
    let sb = ready_at(&names, 1.0).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();

    let report = job(&sb, &store, &names, SnapshotOptions::default()).await;
    let r = &report.results[0];
    assert_eq!(r.status, RunStatus::Succeeded, "{r:#?}");
    assert_eq!(r.group_state, Some(GroupState::Available));
    assert_eq!(r.consistency, Some(ResultConsistency::Application));
    assert!(r.explanation.is_empty(), "{}", text(r));
    let g = sandbox_groups(&sb).await;
    let g = g
        .iter()
        .find(|g| g["snapshot_group_id"] == json!(r.snapshot_group_id))
        .unwrap();
    assert!(g["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["available"] == json!(true)));

    // History keeps the state the run ended with.
    assert_eq!(store.report(&report.job_id).unwrap(), report);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_public_command_falls_back_to_the_plugin_marked_experimental() {
    let names = ["app-centos79-mysql"];
    let sb = ready(&names).await;
    sb.control(
        reqwest::Method::POST,
        "config",
        json!({"linux_command_name": "Renamed-Snapshot-Thing"}),
    )
    .await;
    let client = sb.client("admin");
    let instances = assessed(&sb, &names).await;
    let p = plan(
        &client,
        "job-p",
        &instances,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap();
    assert!(p.experimental);
    assert!(matches!(p.runs[0].trigger, Trigger::Plugin { .. }));
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let report = run(
        &client,
        &store,
        "sandbox",
        "job-p",
        &p,
        &fast(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let r = &report.results[0];
    assert_eq!(r.consistency, Some(ResultConsistency::Filesystem), "{r:#?}");
    assert!(r.snapshot_group_id.as_deref().unwrap().starts_with("ssg-"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_dropped_mid_poll_resumes_from_history_and_runs_nothing_twice() {
    let names = ["app-centos79-mysql", "win2019-sqlserver"];
    // Paused clock: the invocations stay running while the engine is dropped.
    let sb = ready_at(&names, 0.0).await;
    let dir = tempfile::tempdir().unwrap();
    let instances = assessed(&sb, &names).await;
    let client = sb.client("admin");
    let id = new_job_id();
    let p = plan(
        &client,
        &id,
        &instances,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap();
    let before = sb.calls().await;
    let running = Arc::new(Mutex::new(0));
    let cancel = CancellationToken::new();
    let seen = running.clone();
    let reporter = Reporter::new(
        move |e: JobEvent| {
            if let JobEvent::RunChanged {
                status: RunStatus::Running,
                ..
            } = e
            {
                *seen.lock().unwrap() += 1;
            }
        },
        cancel,
    );
    {
        let store = JobStore::open(dir.path()).unwrap();
        let t = fast();
        let work = run(&client, &store, "sandbox", &id, &p, &t, &reporter);
        // Drop the engine once both are in flight and a few polls went by.
        let _ = tokio::time::timeout(Duration::from_millis(600), work).await;
    }
    assert_eq!(*running.lock().unwrap(), 2);
    let mid = sb.calls().await;
    assert_eq!(
        mid.get("InvokeCommand").unwrap_or(&0) - before.get("InvokeCommand").unwrap_or(&0),
        2
    );
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    let store = JobStore::open(dir.path()).unwrap();
    assert_eq!(store.unfinished().unwrap(), vec![id.clone()]);
    let reports = resume_all(&client, &store, &fast(), &Reporter::silent())
        .await
        .unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].all_met(), "{:#?}", reports[0]);
    let after = sb.calls().await;
    assert_eq!(
        after.get("InvokeCommand").unwrap_or(&0) - before.get("InvokeCommand").unwrap_or(&0),
        2,
        "nothing ran twice"
    );
    let groups = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", json!(null))
        .await;
    assert_eq!(groups["snapshot_groups"].as_array().unwrap().len(), 2);
    assert!(store.unfinished().unwrap().is_empty());
    assert_eq!(store.invocations(&id).unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_shows_running_as_soon_as_its_own_invocation_is_accepted() {
    let names = ["app-centos79-mysql", "win2019-sqlserver"];
    // Paused clock: both invocations stay running, so only the sending is watched.
    let sb = ready_at(&names, 0.0).await;
    let region = sb.instance(names[0]).region_id;
    assert_eq!(
        region,
        sb.instance(names[1]).region_id,
        "one region: one batch"
    );
    let instances = assessed(&sb, &names).await;
    // Every retry waits 400 ms: a throttled invocation is sent again that much later.
    let wait = Duration::from_millis(400);
    let client = client_retrying(
        sb.endpoint(),
        "admin",
        RetryPolicy {
            jitter: Jitter::from_fn(move |_| wait),
            max_retry_after: wait,
            ..RetryPolicy::default()
        },
    );
    let id = new_job_id();
    let p = plan(
        &client,
        &id,
        &instances,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap();
    sb.fault(json!({"action": "InvokeCommand", "throttle_next": 1}))
        .await;
    let invoked = |calls: &BTreeMap<String, u64>| *calls.get("InvokeCommand").unwrap_or(&0);
    let before = invoked(&sb.calls().await);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let reporter = Reporter::new(
        move |e: JobEvent| {
            if let JobEvent::RunChanged {
                status: RunStatus::Running,
                instance_id,
                ..
            } = e
            {
                let _ = tx.send(instance_id);
            }
        },
        CancellationToken::new(),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let t = fast();
    let work = tokio::time::timeout(
        Duration::from_secs(3),
        run(&client, &store, "sandbox", &id, &p, &t, &reporter),
    );
    let watch = async {
        let first = rx.recv().await.expect("a run is running");
        // The accepted run is running while the throttled one waits for its retry.
        let sent = invoked(&sb.calls().await) - before;
        let second = tokio::time::timeout(Duration::from_secs(2), rx.recv())
            .await
            .expect("the throttled run is sent again")
            .expect("a second run is running");
        (first, sent, second)
    };
    let (_, (first, sent_at_first, second)) = futures::join!(work, watch);
    assert_eq!(
        sent_at_first, 2,
        "one accepted, one throttled, its retry not yet sent"
    );
    let mut both = [first, second];
    both.sort();
    let mut expected: Vec<String> = names.iter().map(|n| sb.instance(n).instance_id).collect();
    expected.sort();
    assert_eq!(both.to_vec(), expected);
    assert_eq!(invoked(&sb.calls().await) - before, 3, "the retry, once");
}
