//! Pushing, verifying, recording, drift-checking and test-running freeze/thaw scripts
//! against the sandbox's `demo` scenario over real HTTP (the cases of
//! crates/sandbox-cloud/README.md), with a real `appsnap.db`. Calls are counted with
//! `/_sandbox/state/calls`.

mod ram_support;

use std::collections::BTreeMap;
use std::time::Duration;

use acs_openapi::actions::cloud_assistant::SendFileRequest;
use appsnap_core::fleet::FleetStore;
use appsnap_core::progress::Reporter;
use appsnap_core::ram::InstanceRef;
use appsnap_core::scripts::{
    drift, prepare, push, render, sha256_hex, test_run, validate_script, DriftState, Mismatch,
    PushReport, ScriptProblemCode, ScriptRole, ScriptsEvent, ScriptsTuning, TestVerdict,
    MAX_SCRIPT_BYTES,
};
use appsnap_core::ErrorCode;
use ram_support::Sandbox;
use serde_json::{json, Value};

fn tuning() -> ScriptsTuning {
    ScriptsTuning {
        poll_interval: Duration::from_millis(50),
        wait: Duration::from_secs(20),
        command_timeout_secs: 60,
        send_timeout_secs: 60,
    }
}

/// The demo with its clock running 20× (invocations and file sends move on it).
async fn sandbox() -> Sandbox {
    let sb = Sandbox::start().await;
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    sb
}

async fn guest_file(sb: &Sandbox, id: &str, path: &str) -> Option<Value> {
    let v = sb
        .control(
            reqwest::Method::GET,
            &format!("instances/{id}"),
            Value::Null,
        )
        .await;
    let files = v["guest"]["files"]
        .as_array()
        .or_else(|| v["files"].as_array())
        .cloned()
        .unwrap_or_default();
    files.into_iter().find(|f| f["path"] == path)
}

fn mysql() -> (String, String) {
    let r = render("mysql", &BTreeMap::new(), 30).expect("mysql renders");
    (r.freeze, r.thaw)
}

async fn push_pair(sb: &Sandbox, target: &InstanceRef, freeze: &[u8], thaw: &[u8]) -> PushReport {
    let scripts = prepare(freeze, thaw).expect("valid pair");
    push(
        &sb.client("admin"),
        std::slice::from_ref(target),
        &scripts,
        "mysql",
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .expect("push")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_fixes_app_centos79_mysql_and_is_verified_and_recorded() {
    let sb = sandbox().await;
    let target = sb.instance("app-centos79-mysql");
    let id = target.instance_id.clone();
    assert!(guest_file(&sb, &id, "/tmp/prescript.sh").await.is_none());
    let (freeze, thaw) = mysql();
    let scripts = prepare(freeze.as_bytes(), thaw.as_bytes()).unwrap();
    let before = sb.calls().await;
    let (reporter, events) = Reporter::collecting();
    let report = push(
        &sb.client("admin"),
        std::slice::from_ref(&target),
        &scripts,
        "mysql",
        &tuning(),
        &reporter,
    )
    .await
    .unwrap();
    let after = sb.calls().await;
    let sent = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    assert_eq!(sent("SendFile"), 2, "one SendFile per script");
    assert_eq!(sent("RunCommand"), 1, "one read-back probe");

    assert_eq!(report.instances.len(), 1);
    let i = &report.instances[0];
    assert!(i.verified, "{i:?}");
    assert_eq!(
        (report.mode.as_str(), report.owner.as_str()),
        ("0700", "root")
    );
    for (f, text) in i.files.iter().zip([&freeze, &thaw]) {
        assert_eq!(f.send_status, "Success");
        assert_eq!(f.sha256, sha256_hex(text.as_bytes()));
        assert_eq!(f.size, text.len() as u64);
        assert!(f.mismatches.is_empty());
        let found = f.found.as_ref().unwrap();
        assert_eq!(
            (
                found.owner.as_str(),
                found.group.as_str(),
                found.mode.as_str()
            ),
            ("root", "root", "0700")
        );
        assert_eq!(found.sha256.as_deref(), Some(f.sha256.as_str()));
        assert!(f.invoke_id.starts_with("f-"), "{}", f.invoke_id);
    }
    assert_eq!(i.files[0].path, "/tmp/prescript.sh");
    assert_eq!(i.files[1].path, "/tmp/postscript.sh");
    let file = guest_file(&sb, &id, "/tmp/postscript.sh")
        .await
        .expect("written");
    assert_eq!(file["owner"], "root");
    let events = events.lock().unwrap().clone();
    assert!(events.contains(&ScriptsEvent::Verified {
        instance_id: id.clone(),
        verified: true
    }));
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, ScriptsEvent::FileDone { status, .. } if status == "Success"))
            .count(),
        2
    );

    // Recorded in appsnap.db, and the drift check then finds the scripts in place.
    let dir = tempfile::tempdir().unwrap();
    let mut store = FleetStore::open(dir.path()).unwrap();
    store.record_push("demo", &report, 1_000).unwrap();
    drop(store);
    let mut store = FleetStore::open(dir.path()).unwrap();
    let rows = store
        .pushed_scripts("demo", std::slice::from_ref(&id))
        .unwrap();
    assert_eq!(rows.len(), 2);
    let pre = rows.iter().find(|r| r.role == ScriptRole::Freeze).unwrap();
    assert_eq!(pre.sha256, sha256_hex(freeze.as_bytes()));
    assert_eq!((pre.mode.as_str(), pre.source.as_str()), ("0700", "mysql"));
    assert!(pre.verified);
    assert!(store.pushed_scripts("other", &[]).unwrap().is_empty());
    let d = drift(
        &sb.client("admin"),
        &rows,
        std::slice::from_ref(&target),
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert_eq!(d[0].state, DriftState::InPlace, "{:?}", d[0]);
    assert_eq!(d[0].fix, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn crlf_scripts_alinux3_are_caught_before_sending_and_fixed_by_a_push() {
    let sb = sandbox().await;
    let target = sb.instance("crlf-scripts-alinux3");
    let client = sb.client("admin");
    // As found: the test run fails with the shell's `bad interpreter`.
    let runs = test_run(
        &client,
        std::slice::from_ref(&target),
        30,
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert_eq!(runs[0].verdict, TestVerdict::FreezeFailed);
    let freeze = runs[0].freeze.as_ref().unwrap();
    assert_eq!(freeze.exit_code, 126);
    assert!(
        freeze.output.contains("bad interpreter"),
        "{}",
        freeze.output
    );

    let crlf = "#!/bin/sh\r\necho frozen\r\n";
    let v = validate_script(crlf.as_bytes());
    assert!(v.sendable);
    assert_eq!(v.problems[0].code, ScriptProblemCode::CrlfConverted);
    assert_eq!(v.content.as_deref(), Some("#!/bin/sh\necho frozen\n"));
    let scripts = prepare(crlf.as_bytes(), b"#!/bin/sh\necho thawed\n").unwrap();
    assert_eq!(scripts.warnings().len(), 1);
    assert!(scripts.warnings()[0].message.starts_with("freeze script: "));
    let report = push(
        &client,
        std::slice::from_ref(&target),
        &scripts,
        "custom",
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let i = &report.instances[0];
    assert!(i.verified, "{i:?}");
    assert_eq!(i.files[0].sha256, sha256_hex(b"#!/bin/sh\necho frozen\n"));
    assert!(!i.files[0].found.as_ref().unwrap().crlf);
    assert_eq!(report.warnings[0].code, ScriptProblemCode::CrlfConverted);

    let runs = test_run(
        &client,
        std::slice::from_ref(&target),
        30,
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert_eq!(runs[0].verdict, TestVerdict::Passed, "{:?}", runs[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn oversize_non_utf8_and_shebangless_scripts_are_refused_with_nothing_sent() {
    let sb = sandbox().await;
    let good = b"#!/bin/sh\nsync\n".to_vec();
    let mut big = b"#!/bin/sh\n".to_vec();
    big.resize(MAX_SCRIPT_BYTES + 1, b'#');
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("oversize", big, "TooLarge"),
        (
            "non-UTF-8",
            b"#!/bin/sh\necho \xff\xfe\n".to_vec(),
            "NotUtf8",
        ),
        ("no shebang", b"echo frozen\n".to_vec(), "NoShebang"),
        ("NUL", b"#!/bin/sh\n\0".to_vec(), "NulByte"),
    ];
    let before = sb.calls().await;
    for (what, bytes, code) in cases {
        let err = prepare(&bytes, &good).expect_err(what);
        assert_eq!(err.code, ErrorCode::InvalidInput, "{what}");
        assert!(
            err.message
                .starts_with(&format!("nothing was sent: {code}: freeze script: ")),
            "{what}: {}",
            err.message
        );
        let err = prepare(&good, &bytes).expect_err(what);
        assert!(
            err.message.contains(&format!("{code}: thaw script: ")),
            "{}",
            err.message
        );
    }
    let after = sb.calls().await;
    assert_eq!(before, after, "no call at all");
    assert_eq!(after.get("SendFile"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_test_run_on_freeze_fails_centos79_reports_the_prescript_s_exit_code_and_output() {
    let sb = sandbox().await;
    let target = sb.instance("freeze-fails-centos79");
    let before = sb.calls().await;
    let runs = test_run(
        &sb.client("admin"),
        std::slice::from_ref(&target),
        30,
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let after = sb.calls().await;
    assert_eq!(
        after["RunCommand"] - before.get("RunCommand").unwrap_or(&0),
        1
    );
    let r = &runs[0];
    assert_eq!(r.verdict, TestVerdict::FreezeFailed);
    assert_eq!(r.verdict.failed_role(), Some(ScriptRole::Freeze));
    let freeze = r.freeze.as_ref().unwrap();
    assert_eq!(freeze.exit_code, 1);
    assert_eq!(freeze.path, "/tmp/prescript.sh");
    assert_eq!(
        freeze.output,
        "ERROR 2013 (HY000): Lost connection to MySQL server during query\nFLUSH TABLES WITH READ LOCK failed"
    );
    let thaw = r.thaw.as_ref().unwrap();
    assert_eq!(
        (thaw.exit_code, thaw.output.as_str()),
        (0, "application thawed")
    );
    assert_eq!(
        r.freeze_window_ms,
        Some(freeze.duration_ms + thaw.duration_ms)
    );
    assert_eq!(r.freeze_window_ms, Some(500));
    assert_eq!((r.timeout_seconds, r.within_timeout), (30, Some(true)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_prescript_is_timed_out_and_reported_against_the_timeout() {
    let sb = sandbox().await;
    let target = sb.instance("freeze-hangs-ubuntu2204");
    let runs = test_run(
        &sb.client("admin"),
        std::slice::from_ref(&target),
        10,
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let r = &runs[0];
    assert_eq!(r.verdict, TestVerdict::TimedOut, "{r:?}");
    let freeze = r.freeze.as_ref().unwrap();
    assert_eq!(
        (freeze.exit_code, freeze.timed_out, freeze.duration_ms),
        (124, true, 10_000)
    );
    assert_eq!(r.within_timeout, Some(false));
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_after_a_changed_file_on_the_guest_is_detected() {
    let sb = sandbox().await;
    let target = sb.instance("bj-centos79-api");
    let (freeze, thaw) = mysql();
    let report = push_pair(&sb, &target, freeze.as_bytes(), thaw.as_bytes()).await;
    assert!(report.instances[0].verified);
    let dir = tempfile::tempdir().unwrap();
    let mut store = FleetStore::open(dir.path()).unwrap();
    store.record_push("demo", &report, 5).unwrap();
    let rows = store.pushed_scripts("demo", &[]).unwrap();

    // Someone else replaces the thaw script (the control API cannot edit guest files).
    let client = sb.client("admin");
    let other = "#!/bin/sh\necho something else\n";
    client
        .send_file(
            &target.region_id,
            &SendFileRequest {
                instance_ids: vec![target.instance_id.clone()],
                name: "postscript.sh".into(),
                target_dir: "/tmp".into(),
                content: other.into(),
                file_mode: Some("0755".into()),
                overwrite: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await; // 0.7 s simulated at 20×
    let mut d = Vec::new();
    for _ in 0..20 {
        d = drift(
            &client,
            &rows,
            std::slice::from_ref(&target),
            &tuning(),
            &Reporter::silent(),
        )
        .await
        .unwrap();
        if d[0].state != DriftState::InPlace {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let r = &d[0];
    assert_eq!(r.state, DriftState::Changed, "{r:?}");
    assert_eq!(r.fix, Some(appsnap_core::fleet::FixAction::PushScripts));
    let post = r.files.iter().find(|f| f.role == ScriptRole::Thaw).unwrap();
    assert_eq!(
        post.mismatches,
        [Mismatch::Mode, Mismatch::Size, Mismatch::Sha256]
    );
    assert_eq!(
        post.found_sha256.as_deref(),
        Some(sha256_hex(other.as_bytes()).as_str())
    );
    let pre = r
        .files
        .iter()
        .find(|f| f.role == ScriptRole::Freeze)
        .unwrap();
    assert!(pre.mismatches.is_empty());
    assert!(
        r.message
            .contains("/tmp/postscript.sh (Mode, Size, Sha256)"),
        "{}",
        r.message
    );

    // An instance without a record is not probed and says so.
    let before = sb.calls().await;
    let none = drift(
        &client,
        &rows,
        &[sb.instance("app-centos79-mysql")],
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert_eq!(none[0].state, DriftState::NotRecorded);
    assert_eq!(sb.calls().await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_send_file_is_retried_with_its_client_token_and_sent_once() {
    let sb = sandbox().await;
    let target = sb.instance("sg-ubuntu2204-web");
    sb.fault(json!({"action": "SendFile", "drop_after_apply_next": 1}))
        .await;
    let (freeze, thaw) = mysql();
    let report = push_pair(&sb, &target, freeze.as_bytes(), thaw.as_bytes()).await;
    let i = &report.instances[0];
    assert!(i.verified, "{i:?}");
    // Two SendFile requests for the freeze script, one file send in the cloud.
    assert_eq!(sb.calls().await["SendFile"], 3);
    let sends: Vec<_> = futures::TryStreamExt::try_collect::<Vec<_>>(
        sb.client("admin").describe_send_file_results_stream(
            &target.region_id,
            acs_openapi::actions::cloud_assistant::DescribeSendFileResultsRequest {
                instance_id: Some(target.instance_id.clone()),
                ..Default::default()
            },
        ),
    )
    .await
    .unwrap();
    assert_eq!(sends.len(), 2, "one send per script");
}
