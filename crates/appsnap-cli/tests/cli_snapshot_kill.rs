//! `appsnap snapshot create --wait` killed with SIGKILL while it polls, then `appsnap jobs
//! resume`: the job finishes from history and nothing is invoked twice (the sandbox's
//! InvokeCommand count), with the real binary against the in-process `demo` sandbox.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::{Client, Credentials};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, ApplyTuning, InstanceRef, RamOptions};
use futures::TryStreamExt;
use sandbox_cloud::{RunningSandbox, SandboxOptions};
use serde_json::{json, Value};
use test_support::sandbox::demo_account;

const NAMES: [&str; 2] = ["app-centos79-mysql", "win2019-sqlserver"];
const REGION: &str = "cn-hangzhou";

fn command(sb: &RunningSandbox, home: &Path, args: &[&str]) -> Command {
    let admin = demo_account("admin");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_appsnap"));
    for (k, _) in std::env::vars() {
        if k.starts_with("ALIBABA") || k.starts_with("ALICLOUD") || k.starts_with("XDG_") {
            cmd.env_remove(k);
        }
    }
    cmd.arg("--endpoint")
        .arg(sb.endpoint())
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", admin.access_key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", admin.access_key_secret);
    cmd
}

fn admin(sb: &RunningSandbox) -> Client {
    let admin = demo_account("admin");
    Client::builder()
        .endpoint(sb.endpoint())
        .region(REGION)
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()
        .unwrap()
}

/// RAM for the two instances; their ids.
async fn setup(sb: &RunningSandbox) -> Vec<String> {
    let client = admin(sb);
    let list: Vec<_> = client
        .describe_instances_stream(REGION, DescribeInstancesRequest::default())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = NAMES
        .iter()
        .map(|n| {
            list.iter()
                .find(|i| i.instance_name == *n)
                .unwrap()
                .instance_id
                .clone()
        })
        .collect();
    let options = RamOptions {
        instances: ids
            .iter()
            .map(|id| InstanceRef {
                instance_id: id.clone(),
                region_id: REGION.into(),
            })
            .collect(),
        ..RamOptions::default()
    };
    let tuning = ApplyTuning {
        verify_delay: Duration::from_millis(20),
        ..ApplyTuning::default()
    };
    apply(&client, &options, &tuning, &Reporter::silent())
        .await
        .unwrap();
    ids
}

async fn control(sb: &RunningSandbox, method: reqwest::Method, path: &str, body: Value) -> Value {
    let mut req =
        reqwest::Client::new().request(method, format!("{}/_sandbox/{path}", sb.endpoint()));
    if !body.is_null() {
        req = req.json(&body);
    }
    req.send().await.unwrap().json().await.unwrap()
}

async fn count(sb: &RunningSandbox, action: &str) -> u64 {
    control(sb, reqwest::Method::GET, "state/calls", Value::Null).await["calls"][action]
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cli_killed_mid_poll_is_finished_by_jobs_resume_without_running_twice() {
    // Paused clock: the invocations stay running while the CLI is killed.
    let sb = sandbox_cloud::start(SandboxOptions {
        time_scale: 0.0,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let ids = setup(&sb).await;
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["snapshot", "create", "--wait", "--output", "json"];
    for id in &ids {
        args.extend(["--instance", id.as_str()]);
    }
    let mut child = command(&sb, home.path(), &args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    // Both invocations running, then a poll or two, then SIGKILL.
    let mut running = 0;
    let mut job = String::new();
    let mut seen = Vec::new();
    while running < 2 {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("the CLI reports its runs ({e}): {seen:#?}"));
        seen.push(line.clone());
        if let Some(j) = line.strip_prefix("appsnap: job ") {
            job = j.trim().to_owned();
        }
        running += usize::from(line.contains(": Running (t-"));
    }
    let polls = loop {
        let n = count(&sb, "DescribeInvocationResults").await;
        if n >= 2 {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
    assert!(polls >= 2);
    assert_eq!(count(&sb, "InvokeCommand").await, 2);
    assert!(job.starts_with("job-"), "{job}");

    control(
        &sb,
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    let out = {
        let mut cmd = command(&sb, home.path(), &["jobs", "resume", "--output", "json"]);
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["jobId"], job.as_str());
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(r["status"], "succeeded", "{r}");
        assert!(r["snapshotGroupId"].as_str().unwrap().starts_with("ssg-"));
    }
    assert_eq!(count(&sb, "InvokeCommand").await, 2, "nothing ran twice");
    let groups = control(
        &sb,
        reqwest::Method::GET,
        "state/snapshot-groups",
        Value::Null,
    )
    .await;
    assert_eq!(groups["snapshot_groups"].as_array().unwrap().len(), 2);
    // Nothing is left to resume.
    let out = command(&sb, home.path(), &["jobs", "resume"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_long_descriptions_and_out_of_range_retention_exit_1_with_nothing_sent() {
    let sb = sandbox_cloud::start(SandboxOptions {
        time_scale: 0.0,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let long = "d".repeat(257);
    for (args, says) in [
        (
            vec!["--description", long.as_str()],
            "the description has 257 characters",
        ),
        (vec!["--retention-days", "65537"], "retention days is 65537"),
        (
            vec!["--timeout", "601"],
            "the freeze timeout (seconds) is 601",
        ),
    ] {
        let mut all = vec!["snapshot", "create", "--instance", "i-x"];
        all.extend(args);
        let out = {
            let mut cmd = command(&sb, home.path(), &all);
            tokio::task::spawn_blocking(move || cmd.output().unwrap())
                .await
                .unwrap()
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(says), "{says}: {stderr}");
    }
    let calls = control(&sb, reqwest::Method::GET, "state/calls", Value::Null).await;
    assert!(
        calls["calls"].get("InvokeCommand").is_none()
            && calls["calls"].get("DescribeCommands").is_none(),
        "{calls}"
    );
}
