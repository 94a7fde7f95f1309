//! `appsnap jobs list|show|export` over a real appsnap.db written by the jobs engine's
//! store, and `appsnap rollback` against the in-process sandbox: the plan printed, no
//! terminal → refused with nothing reset, `--yes --start` → rolled back and started.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::actions::snapshots::CreateSnapshotGroupRequest;
use acs_openapi::{Client, Credentials};
use appsnap_core::fleet::Consistency;
use appsnap_core::jobs::{
    Finding, FindingSource, JobPlan, JobStore, PlannedRun, ResultConsistency, RunStatus,
    SnapshotOptions, Trigger,
};
use futures::TryStreamExt;
use sandbox_cloud::SandboxOptions;
use serde_json::Value;
use test_support::sandbox::demo_account;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn appsnap(endpoint: &str, home: &Path, args: &[&str]) -> Run {
    let admin = demo_account("admin");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_appsnap"));
    for (k, _) in std::env::vars() {
        if k.starts_with("ALIBABA") || k.starts_with("ALICLOUD") || k.starts_with("XDG_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .args(["--endpoint", endpoint])
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", admin.access_key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", admin.access_key_secret)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn data_dir(home: &Path) -> PathBuf {
    home.join("data")
        .join(acs_openapi::credentials::KeyringStore::DEFAULT_SERVICE)
}

/// job-cli: i-ok succeeded (application), i-bad failed with exit 3.
fn write_history(home: &Path) {
    let store = JobStore::open(&data_dir(home)).unwrap();
    let planned = |id: &str| PlannedRun {
        instance_id: id.into(),
        region_id: "cn-hangzhou".into(),
        os_type: "linux".into(),
        trigger: Trigger::Plugin {
            command_type: "RunShellScript".into(),
        },
        parameters: BTreeMap::new(),
        preflight: Vec::new(),
        predicted: Consistency::Application,
        warnings: Vec::new(),
    };
    let plan = JobPlan {
        options: SnapshotOptions::default(),
        runs: vec![planned("i-ok"), planned("i-bad")],
        concurrency: 10,
        experimental: true,
    };
    for mut rec in store.create("job-cli", "default", &plan).unwrap() {
        let bad = rec.result.instance_id == "i-bad";
        rec.result.status = if bad {
            RunStatus::Failed
        } else {
            RunStatus::Succeeded
        };
        rec.result.consistency = Some(if bad {
            ResultConsistency::Failed
        } else {
            ResultConsistency::Application
        });
        rec.result.exit_code = Some(if bad { 3 } else { 0 });
        if bad {
            rec.result.explanation = vec![Finding {
                source: FindingSource::ExitCode,
                finding: "the freeze script exited 3".into(),
            }];
        }
        store.save_run(&rec).unwrap();
    }
}

#[test]
fn jobs_list_show_and_export_read_history() {
    let home = tempfile::tempdir().unwrap();
    write_history(home.path());
    let ep = "http://127.0.0.1:9";
    let r = appsnap(
        ep,
        home.path(),
        &["jobs", "list", "--status", "failed", "--output", "json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["rows"][0]["instanceId"], "i-bad");
    assert_eq!(v["rows"][0]["exitCode"], 3);

    let r = appsnap(ep, home.path(), &["jobs", "list", "--instance", "i-ok"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.lines().nth(1).unwrap().contains("job-cli"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("application"));
    assert_eq!(r.stdout.lines().count(), 2);

    let r = appsnap(ep, home.path(), &["jobs", "list", "--status", "done"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("'done' is not a status"), "{}", r.stderr);
    let r = appsnap(ep, home.path(), &["jobs", "list", "--since", "2026-02-31"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not a date"), "{}", r.stderr);

    let r = appsnap(
        ep,
        home.path(),
        &["jobs", "show", "job-cli", "--output", "json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), 2);
    let r = appsnap(ep, home.path(), &["jobs", "show", "job-none"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no job job-none in history"),
        "{}",
        r.stderr
    );

    let out = home.path().join("runs.csv");
    let r = appsnap(
        ep,
        home.path(),
        &[
            "jobs",
            "export",
            "--format",
            "csv",
            "--region",
            "cn-hangzhou",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("\u{feff}job_id,started_at,"));
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains("the freeze script exited 3"));

    let r = appsnap(
        ep,
        home.path(),
        &["jobs", "export", "--format", "json", "--text", "exited 3"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["instanceId"].clone())
        .collect();
    assert_eq!(ids, ["i-bad"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn rollback_asks_refuses_without_a_terminal_and_runs_with_yes() {
    let sb = sandbox_cloud::start(SandboxOptions {
        time_scale: 20.0,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let admin = demo_account("admin");
    let client = Client::builder()
        .endpoint(sb.endpoint())
        .region("cn-hangzhou")
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()
        .unwrap();
    let web = client
        .describe_instances_stream("cn-hangzhou", DescribeInstancesRequest::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.instance_name == "app-centos79-mysql")
        .unwrap();
    let gid = client
        .create_snapshot_group(
            "cn-hangzhou",
            &CreateSnapshotGroupRequest {
                instance_id: Some(web.instance_id.clone()),
                ..CreateSnapshotGroupRequest::default()
            },
        )
        .await
        .unwrap()
        .snapshot_group_id;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let home = tempfile::tempdir().unwrap();
    let ep = sb.endpoint().to_owned();
    let (h, id, g) = (home.path().to_owned(), web.instance_id.clone(), gid.clone());
    let r = tokio::task::spawn_blocking(move || {
        appsnap(&ep, &h, &["rollback", "--instance", &id, "--group", &g])
    })
    .await
    .unwrap();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!("to snapshot group {gid}")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("will be stopped first"), "{}", r.stderr);
    assert!(r.stderr.contains("no terminal to confirm"), "{}", r.stderr);
    let calls: Value = reqwest::get(format!("{}/_sandbox/state/calls", sb.endpoint()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(calls["calls"].get("ResetDisks").is_none(), "{calls}");
    assert!(calls["calls"].get("StopInstance").is_none(), "{calls}");

    let ep = sb.endpoint().to_owned();
    let (h, id, g) = (home.path().to_owned(), web.instance_id.clone(), gid.clone());
    let r = tokio::task::spawn_blocking(move || {
        appsnap(
            &ep,
            &h,
            &[
                "rollback",
                "--instance",
                &id,
                "--group",
                &g,
                "--yes",
                "--start",
                "--output",
                "json",
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["status"], "succeeded");
    assert_eq!(
        (v["stopped"].as_bool(), v["started"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(v["plan"]["snapshotGroupId"], gid.as_str());

    // History lists it, as the run answered it, and only under its own instance (no
    // cloud call: the endpoint answers nothing).
    let (h, ep) = (home.path().to_owned(), "http://127.0.0.1:9");
    let listed = appsnap(ep, &h, &["jobs", "rollbacks", "--output", "json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let records: Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(records.as_array().map(Vec::len), Some(1), "{records}");
    assert_eq!(records[0], v);
    let table = appsnap(
        ep,
        &h,
        &["jobs", "rollbacks", "--instance", &web.instance_id],
    );
    assert_eq!(table.code, 0, "{}", table.stderr);
    let row = table.stdout.lines().nth(1).unwrap_or_default().to_owned();
    for cell in [
        web.instance_id.as_str(),
        gid.as_str(),
        "succeeded",
        "stopped,started",
    ] {
        assert!(row.contains(cell), "{cell} not in {row}");
    }
    let other = appsnap(
        ep,
        &h,
        &[
            "jobs",
            "rollbacks",
            "--instance",
            "i-other",
            "--output",
            "json",
        ],
    );
    assert_eq!(other.stdout.trim(), "[]", "{}", other.stderr);
}
