//! Before a Linux run the scripts AppSnap recorded pushing are pushed again to `/tmp` and
//! verified (they vanish on reboot), the picker's drift check compares the guest's
//! scripts with those records, and a group the mandate refused can be deleted on
//! request: against the sandbox's `demo` scenario over real HTTP, with a real
//! `appsnap.db`.

mod ram_support;

use std::collections::BTreeMap;
use std::time::Duration;

use appsnap_core::fleet::{
    inventory, now_ms, Assessed, Check, CheckId, CheckStatus, FixAction, FleetStore,
    InventoryOptions, ReasonKey,
};
use appsnap_core::jobs::{
    delete_refused_group, new_job_id, note_scripts, plan, resume, run, JobEvent, JobReport,
    JobStore, JobTuning, Mandate, ResultConsistency, RunStatus, SnapshotOptions, DEFAULT_PATTERN,
};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, RamOptions};
use appsnap_core::scripts::{prepare, push, render, ScriptsTuning};
use appsnap_core::ErrorCode;
use ram_support::{tuning, Sandbox};
use serde_json::{json, Value};

const MYSQL: &str = "app-centos79-mysql";

fn fast() -> JobTuning {
    JobTuning {
        first_poll: Duration::from_millis(30),
        max_poll: Duration::from_millis(200),
        scripts: ScriptsTuning {
            poll_interval: Duration::from_millis(50),
            wait: Duration::from_secs(20),
            ..ScriptsTuning::default()
        },
        ..JobTuning::default()
    }
}

/// RAM for `name`, the clock running 20×.
async fn ready(name: &str) -> Sandbox {
    let sb = Sandbox::start().await;
    let options = RamOptions {
        instances: vec![sb.instance(name)],
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

/// Pushes the MySQL template as the Scripts screen does and records it for `profile`.
async fn push_and_record(sb: &Sandbox, dir: &std::path::Path, profile: &str) {
    let pair = render("mysql", &BTreeMap::new(), 30).unwrap();
    let scripts = prepare(pair.freeze.as_bytes(), pair.thaw.as_bytes()).unwrap();
    let report = push(
        &sb.client("admin"),
        &[sb.instance(MYSQL)],
        &scripts,
        "mysql",
        &fast().scripts,
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert!(report.instances[0].verified);
    FleetStore::open(dir)
        .unwrap()
        .record_push(profile, &report, now_ms())
        .unwrap();
}

async fn remove_prescript(sb: &Sandbox) -> bool {
    let id = sb.instance(MYSQL).instance_id;
    let v = sb
        .control(
            reqwest::Method::POST,
            &format!("instances/{id}/guest/remove-file"),
            json!({"path": "/tmp/prescript.sh"}),
        )
        .await;
    v["removed"].as_bool().unwrap()
}

async fn prescript_on_guest(sb: &Sandbox) -> bool {
    let id = sb.instance(MYSQL).instance_id;
    let v = sb
        .control(
            reqwest::Method::GET,
            &format!("instances/{id}"),
            Value::Null,
        )
        .await;
    v["guest"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "/tmp/prescript.sh")
}

/// Plans (with the scripts' note for `profile`) and runs; the plan's warnings, the
/// report and the events.
async fn job(
    sb: &Sandbox,
    store: &JobStore,
    profile: &str,
    options: &SnapshotOptions,
) -> (Vec<String>, JobReport, Vec<JobEvent>) {
    let client = sb.client("admin");
    let id = new_job_id();
    let mut p = plan(
        &client,
        &id,
        &assessed(sb, MYSQL).await,
        options,
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap();
    note_scripts(store, profile, &mut p).unwrap();
    let (reporter, events) = Reporter::collecting();
    let report = run(&client, store, profile, &id, &p, &fast(), &reporter)
        .await
        .unwrap();
    let events = events.lock().unwrap().clone();
    (p.runs[0].warnings.clone(), report, events)
}

#[tokio::test(flavor = "multi_thread")]
async fn recorded_scripts_are_pushed_again_before_the_run_so_a_deleted_one_does_not_matter() {
    let sb = ready(MYSQL).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    push_and_record(&sb, dir.path(), "sandbox").await;
    assert!(remove_prescript(&sb).await, "the push had written it");
    assert!(!prescript_on_guest(&sb).await);

    let (warnings, report, events) = job(&sb, &store, "sandbox", &SnapshotOptions::default()).await;
    assert!(
        warnings.iter().any(|w| w.contains("(mysql, freeze SHA-256")
            && w.contains("are pushed again to /tmp and verified before the run")),
        "{warnings:?}"
    );
    let r = &report.results[0];
    assert_eq!(r.consistency, Some(ResultConsistency::Application), "{r:?}");
    assert_eq!(r.status, RunStatus::Succeeded);
    assert!(prescript_on_guest(&sb).await, "pushed again");
    // The step is in the timeline's events, before the invocation.
    let pushed = events
        .iter()
        .position(|e| matches!(e, JobEvent::ScriptsPushed { verified: true, detail, .. } if detail.contains("pushed again to /tmp and verified")))
        .expect("a scriptsPushed event");
    let invoking = events
        .iter()
        .position(|e| {
            matches!(
                e,
                JobEvent::RunChanged {
                    status: RunStatus::Invoking,
                    ..
                }
            )
        })
        .unwrap();
    assert!(pushed < invoking, "{events:?}");
    assert_eq!(
        store.runs(&report.job_id).unwrap()[0].scripts_pushed,
        Some(true)
    );

    // Without a record (another profile) nothing is pushed, the plan says so, and the
    // deleted script gives file-system consistency.
    assert!(remove_prescript(&sb).await);
    let (warnings, report, events) = job(&sb, &store, "other", &SnapshotOptions::default()).await;
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("AppSnap has no record of pushing scripts to this instance")),
        "{warnings:?}"
    );
    assert!(!events
        .iter()
        .any(|e| matches!(e, JobEvent::ScriptsPushed { .. })));
    assert_eq!(
        report.results[0].consistency,
        Some(ResultConsistency::Filesystem)
    );
    assert!(!prescript_on_guest(&sb).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_that_crashed_before_its_scripts_were_pushed_pushes_them_when_resumed() {
    let sb = ready(MYSQL).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    push_and_record(&sb, dir.path(), "sandbox").await;
    assert!(remove_prescript(&sb).await);
    // The process died right after writing the job: queued, nothing pushed, nothing sent.
    let client = sb.client("admin");
    let id = new_job_id();
    let mut p = plan(
        &client,
        &id,
        &assessed(&sb, MYSQL).await,
        &SnapshotOptions::default(),
        4,
        DEFAULT_PATTERN,
    )
    .await
    .unwrap();
    note_scripts(&store, "sandbox", &mut p).unwrap();
    store.create(&id, "sandbox", &p).unwrap();
    assert_eq!(store.unfinished().unwrap(), std::slice::from_ref(&id));

    let (reporter, events) = Reporter::collecting();
    let report = resume(&client, &store, &id, &fast(), &reporter)
        .await
        .unwrap();
    let r = &report.results[0];
    assert_eq!(
        (r.status, r.consistency),
        (RunStatus::Succeeded, Some(ResultConsistency::Application)),
        "{r:?}"
    );
    assert!(prescript_on_guest(&sb).await, "pushed on resume");
    assert_eq!(
        events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| matches!(e, JobEvent::ScriptsPushed { verified: true, .. }))
            .count(),
        1
    );
    assert_eq!(store.runs(&id).unwrap()[0].scripts_pushed, Some(true));
    assert_eq!(sb.calls().await.get("InvokeCommand"), Some(&1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_the_mandate_refused_is_deleted_on_request_and_only_that_one() {
    let sb = ready(MYSQL).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    // No scripts on the guest: file-system-consistent.
    let allow = SnapshotOptions::default();
    let (_, kept, _) = job(&sb, &store, "sandbox", &allow).await;
    let kept = kept.results[0].snapshot_group_id.clone().unwrap();
    let require = SnapshotOptions {
        mandate: Mandate::Require,
        ..SnapshotOptions::default()
    };
    let (_, report, _) = job(&sb, &store, "sandbox", &require).await;
    let r = &report.results[0];
    assert_eq!(
        (r.status, r.consistency),
        (RunStatus::Failed, Some(ResultConsistency::Failed))
    );
    let refused = r.snapshot_group_id.clone().unwrap();
    assert!(
        r.output.as_deref().unwrap().trim_end().ends_with(&refused),
        "{:?}",
        r.output
    );

    let client = sb.client("admin");
    let e = delete_refused_group(&client, &store, &kept)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let e = delete_refused_group(&client, &store, "ssg-nothere0")
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(
        sb.calls().await.get("DeleteSnapshotGroup"),
        None,
        "nothing sent"
    );

    let after = delete_refused_group(&client, &store, &refused)
        .await
        .unwrap();
    assert!(after.group_deleted);
    let groups = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", Value::Null)
        .await;
    let ids: Vec<&str> = groups["snapshot_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["snapshot_group_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [kept.as_str()]);
    // History keeps it; asking again sends nothing.
    assert!(store.report(&report.job_id).unwrap().results[0].group_deleted);
    delete_refused_group(&client, &store, &refused)
        .await
        .unwrap();
    assert_eq!(sb.calls().await.get("DeleteSnapshotGroup"), Some(&1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_whose_reply_was_lost_is_recorded_once_the_group_is_gone() {
    let sb = ready(MYSQL).await;
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::open(dir.path()).unwrap();
    let require = SnapshotOptions {
        mandate: Mandate::Require,
        ..SnapshotOptions::default()
    };
    let (_, report, _) = job(&sb, &store, "sandbox", &require).await;
    let refused = report.results[0].snapshot_group_id.clone().unwrap();
    sb.fault(json!({"action": "DeleteSnapshotGroup", "drop_after_apply_next": 1}))
        .await;
    let client = sb.client("admin");
    let e = delete_refused_group(&client, &store, &refused)
        .await
        .unwrap_err();
    assert_ne!(e.code, ErrorCode::Conflict, "{e:?}");
    assert!(!store.report(&report.job_id).unwrap().results[0].group_deleted);
    // Asked again: the cloud no longer knows the group, the look-up confirms it is gone.
    let after = delete_refused_group(&client, &store, &refused)
        .await
        .unwrap();
    assert!(after.group_deleted);
}

/// The picker's ScriptsDrift check of the MySQL instance after a deep check, as the
/// stored inventory is read (`load_checked`).
async fn drift_check(sb: &Sandbox, dir: &std::path::Path, profile: &str) -> Check {
    use appsnap_core::fleet::{deep_check, ProbeTuning};
    let i = sb.instance(MYSQL);
    let mut inv = inventory(
        &sb.client("admin"),
        &InventoryOptions {
            regions: vec![i.region_id.clone()],
            ..InventoryOptions::default()
        },
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let probe = ProbeTuning {
        poll_interval: Duration::from_millis(50),
        ..ProbeTuning::default()
    };
    deep_check(
        &sb.client("admin"),
        &mut inv,
        std::slice::from_ref(&i.instance_id),
        &probe,
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let mut store = FleetStore::open(dir).unwrap();
    store.save(profile, &inv, now_ms()).unwrap();
    let stored = store.load_checked(profile, now_ms()).unwrap().unwrap();
    let a = stored
        .inventory
        .instances
        .iter()
        .find(|a| a.instance.instance_id == i.instance_id)
        .unwrap();
    let c = a
        .checks
        .iter()
        .find(|c| c.id == CheckId::ScriptsDrift)
        .cloned()
        .unwrap();
    // Informational: the run pushes the recorded scripts again, so the prediction stays.
    assert_eq!(a.prediction, appsnap_core::fleet::predict(&a.checks));
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn the_picker_names_scripts_missing_or_changed_since_the_recorded_push() {
    let sb = ready(MYSQL).await;
    let dir = tempfile::tempdir().unwrap();
    let c = drift_check(&sb, dir.path(), "sandbox").await;
    assert_eq!(
        (c.status, c.reason.key),
        (CheckStatus::Warn, ReasonKey::ScriptsNotRecorded)
    );
    assert_eq!(c.fix, Some(FixAction::PushScripts));

    push_and_record(&sb, dir.path(), "sandbox").await;
    let c = drift_check(&sb, dir.path(), "sandbox").await;
    assert_eq!(
        (c.status, c.reason.key),
        (CheckStatus::Pass, ReasonKey::ScriptsAsPushed)
    );
    assert_eq!(c.fix, None);

    assert!(remove_prescript(&sb).await);
    let c = drift_check(&sb, dir.path(), "sandbox").await;
    assert_eq!(
        (c.status, c.reason.key),
        (CheckStatus::Warn, ReasonKey::ScriptsGone)
    );
    assert_eq!(c.reason.params["paths"], "/tmp/prescript.sh");
    assert!(
        c.reason
            .text
            .contains("/tmp/prescript.sh no longer on the instance"),
        "{}",
        c.reason.text
    );
    assert_eq!(c.fix, Some(FixAction::PushScripts));

    // Someone replaces the freeze script with other content: changed, named by what differs.
    let other = prepare(b"#!/bin/sh\necho other\n", b"#!/bin/sh\necho thawed\n").unwrap();
    let report = push(
        &sb.client("admin"),
        &[sb.instance(MYSQL)],
        &other,
        "custom",
        &fast().scripts,
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert!(report.instances[0].verified, "written, but not recorded");
    let c = drift_check(&sb, dir.path(), "sandbox").await;
    assert_eq!(
        (c.status, c.reason.key),
        (CheckStatus::Warn, ReasonKey::ScriptsChanged)
    );
    let changes = &c.reason.params["changes"];
    assert!(
        changes.contains("/tmp/prescript.sh (") && changes.contains("Sha256"),
        "{changes}"
    );
    assert!(changes.contains("/tmp/postscript.sh ("), "{changes}");
}
