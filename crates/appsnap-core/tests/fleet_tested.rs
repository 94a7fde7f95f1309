//! What a read-only probe cannot see, a test run tells: on the sandbox's `demo`,
//! `freeze-fails-centos79` and `freeze-hangs-ubuntu2204` have their scripts in place (the
//! deep check predicts application consistency), but the test run's verdict, recorded on
//! the stored inventory, turns the prediction to file-system with the reason; a later
//! inventory keeps it; a push of new scripts clears it. Real HTTP, a real `appsnap.db`.

mod ram_support;

use std::collections::BTreeMap;
use std::time::Duration;

use appsnap_core::fleet::{
    deep_check, inventory, merge, Assessed, CheckId, CheckStatus, Consistency, FixAction,
    FleetStore, InventoryOptions, ProbeTuning, ReasonKey,
};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, RamOptions};
use appsnap_core::scripts::{prepare, push, render, test_run, ScriptsTuning, TestVerdict};
use ram_support::{tuning, Sandbox};
use serde_json::json;

const FAILS: &str = "freeze-fails-centos79";
const HANGS: &str = "freeze-hangs-ubuntu2204";
const PROFILE: &str = "demo";

fn scripts_tuning() -> ScriptsTuning {
    ScriptsTuning {
        poll_interval: Duration::from_millis(50),
        wait: Duration::from_secs(20),
        command_timeout_secs: 60,
        send_timeout_secs: 60,
    }
}

fn row<'a>(store: &FleetStore, name: &str, keep: &'a mut Vec<Assessed>) -> &'a Assessed {
    let stored = store.load(PROFILE, 0).unwrap().expect("stored inventory");
    *keep = stored.inventory.instances;
    keep.iter()
        .find(|a| a.instance.name == name)
        .unwrap_or_else(|| panic!("{name} not in the inventory"))
}

fn scripts_check(a: &Assessed) -> (CheckStatus, ReasonKey, BTreeMap<String, String>) {
    let c = a
        .checks
        .iter()
        .find(|c| c.id == CheckId::FreezeScripts)
        .expect("a scripts check");
    let params = c.reason.params.iter();
    (
        c.status,
        c.reason.key,
        params.map(|(k, v)| (k.to_string(), v.clone())).collect(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_or_hanging_freeze_script_found_by_a_test_run_predicts_file_system_only() {
    let sb = Sandbox::start().await;
    let targets = vec![sb.instance(FAILS), sb.instance(HANGS)];
    let ram = RamOptions {
        instances: targets.clone(),
        ..RamOptions::default()
    };
    apply(&sb.client("admin"), &ram, &tuning(), &Reporter::silent())
        .await
        .expect("RAM setup");
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    let client = sb.client("admin");
    let mut inv = inventory(&client, &InventoryOptions::default(), &Reporter::silent())
        .await
        .unwrap();
    let ids: Vec<String> = targets.iter().map(|t| t.instance_id.clone()).collect();
    let probe = ProbeTuning {
        poll_interval: Duration::from_millis(50),
        wait: Duration::from_secs(20),
        command_timeout_secs: 60,
    };
    deep_check(&client, &mut inv, &ids, &probe, &Reporter::silent())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = FleetStore::open(dir.path()).unwrap();
    store.save(PROFILE, &inv, 1_000).unwrap();
    let mut keep = Vec::new();
    for name in [FAILS, HANGS] {
        let a = row(&store, name, &mut keep);
        assert_eq!(a.prediction.consistency, Consistency::Application, "{name}");
        assert_eq!(scripts_check(a).1, ReasonKey::ScriptsOk, "{name}");
    }

    let runs = test_run(
        &client,
        &targets,
        10,
        &scripts_tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let verdicts: Vec<TestVerdict> = runs.iter().map(|r| r.verdict).collect();
    assert_eq!(verdicts, [TestVerdict::FreezeFailed, TestVerdict::TimedOut]);
    store.record_test_runs(PROFILE, &runs, 2_000).unwrap();

    let a = row(&store, FAILS, &mut keep);
    assert_eq!(a.prediction.consistency, Consistency::Filesystem);
    assert_eq!(a.prediction.decided_by, [CheckId::FreezeScripts]);
    let (status, key, params) = scripts_check(a);
    assert_eq!(
        (status, key),
        (CheckStatus::Fail, ReasonKey::ScriptTestFreezeFailed)
    );
    assert_eq!(params["exit"], "1");
    let check = a
        .checks
        .iter()
        .find(|c| c.id == CheckId::FreezeScripts)
        .unwrap();
    assert_eq!(check.fix, Some(FixAction::PushScripts));
    assert_eq!(
        check.reason.text,
        "in the last test run the freeze script exited 1, so a snapshot would be file-system \
         consistent only; fix the script, push it and test again"
    );
    let fact = a.instance.script_test.as_ref().unwrap();
    assert_eq!((fact.tested_at_ms, fact.timeout_seconds), (2_000, 10));

    let a = row(&store, HANGS, &mut keep);
    assert_eq!(a.prediction.consistency, Consistency::Filesystem);
    let (status, key, params) = scripts_check(a);
    assert_eq!(
        (status, key),
        (CheckStatus::Fail, ReasonKey::ScriptTestTimedOut)
    );
    assert_eq!(params["timeout"], "10");
    // The stored age is the cloud read's, not the test run's.
    assert_eq!(
        store.load(PROFILE, 5_000).unwrap().unwrap().taken_at_ms,
        1_000
    );

    // A new cloud read knows nothing of the guest: the verdict stays with the instance.
    let fresh = inventory(&client, &InventoryOptions::default(), &Reporter::silent())
        .await
        .unwrap();
    let stored = store.load(PROFILE, 0).unwrap().unwrap();
    let merged = merge(Some(&stored.inventory), fresh, &[]);
    let hangs = merged
        .instances
        .iter()
        .find(|a| a.instance.name == HANGS)
        .unwrap();
    assert_eq!(hangs.prediction.consistency, Consistency::Filesystem);
    assert_eq!(scripts_check(hangs).1, ReasonKey::ScriptTestTimedOut);

    // New scripts: the old verdict no longer holds, until the next test run.
    let r = render("generic", &BTreeMap::new(), 30).expect("generic renders");
    let pair = prepare(r.freeze.as_bytes(), r.thaw.as_bytes()).unwrap();
    let report = push(
        &client,
        std::slice::from_ref(&targets[0]),
        &pair,
        "generic",
        &scripts_tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    store.record_push(PROFILE, &report, 3_000).unwrap();
    let a = row(&store, FAILS, &mut keep);
    assert_eq!(a.instance.script_test, None);
    assert_eq!(scripts_check(a).1, ReasonKey::ScriptsOk);
    assert_eq!(a.prediction.consistency, Consistency::Application);
    let a = row(&store, HANGS, &mut keep);
    assert_eq!(
        scripts_check(a).1,
        ReasonKey::ScriptTestTimedOut,
        "not pushed, kept"
    );
}
