//! The guest side of the app-consistent snapshot over HTTP: invocation statuses move with
//! the clock, and the guest runs only documented scripts. The clock is paused and stepped:
//! no sleeps.

mod support;

use base64::Engine as _;
use serde_json::Value;
use support::app_consistent::env;
use support::{step, ECS};

#[tokio::test]
async fn invocation_statuses_move_with_the_clock() {
    let e = env().await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    let run = |content: &'static str| e.run_shell(r, &id, content, None);
    let describe = |invoke: String| {
        let c = e.c.clone();
        async move {
            let b = c
                .ok(
                    "DescribeInvocations",
                    ECS,
                    &[
                        ("RegionId", r),
                        ("InvokeId", &invoke),
                        ("IncludeOutput", "true"),
                    ],
                )
                .await;
            b["Invocations"]["Invocation"][0].clone()
        }
    };
    let statuses = |inv: &Value| {
        (
            inv["InvocationStatus"].as_str().unwrap().to_string(),
            inv["InvokeStatus"].as_str().unwrap().to_string(),
            inv["InvokeInstances"]["InvokeInstance"][0]["InvocationStatus"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    };
    let probe = run("#!/bin/bash\n# appsnap-guest: inventory-probe/1\n").await;
    let inv = describe(probe.clone()).await;
    assert_eq!(
        statuses(&inv),
        ("Pending".into(), "Running".into(), "Pending".into())
    );
    step(e.sb.local_addr(), 0.5).await;
    let inv = describe(probe.clone()).await;
    assert_eq!(
        statuses(&inv),
        ("Running".into(), "Running".into(), "Running".into())
    );
    assert!(inv["InvokeInstances"]["InvokeInstance"][0]["StartTime"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    step(e.sb.local_addr(), 0.5).await;
    let inv = describe(probe).await;
    assert_eq!(
        statuses(&inv),
        ("Success".into(), "Finished".into(), "Success".into())
    );
    let one = &inv["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(
        (one["ExitCode"].as_i64(), one["ErrorCode"].as_str()),
        (Some(0), Some(""))
    );
    let out = base64::engine::general_purpose::STANDARD
        .decode(one["Output"].as_str().unwrap())
        .unwrap();
    assert!(out.starts_with(b"APPSNAP-PROBE/1\n"));
    // A non-zero exit: Failed, with the documented ErrorCode and ErrorInfo.
    let other = run("echo hello").await;
    step(e.sb.local_addr(), 1.0).await;
    let inv = describe(other).await;
    assert_eq!(
        statuses(&inv),
        ("Failed".into(), "Failed".into(), "Failed".into())
    );
    let one = &inv["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(one["ExitCode"], 127);
    assert_eq!(one["ErrorCode"], "ExitCodeNonzero");
    assert_eq!(
        one["ErrorInfo"],
        "the command execution exit code is not zero"
    );
    e.sb.shutdown().await;
}

#[tokio::test]
async fn the_guest_runs_only_documented_scripts() {
    let e = env().await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    let run = |content: &'static str| e.run_shell(r, &id, content, None);
    let res = e.wait(r, &run("rm -rf / --no-preserve-root").await).await;
    assert_eq!(res["ExitCode"], 127);
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("does not run arbitrary scripts"));
    let res = e
        .wait(
            r,
            &run("#!/bin/bash\n# appsnap-guest: script-test/1\nPRESCRIPT=/tmp/prescript.sh\n")
                .await,
        )
        .await;
    assert_eq!(res["ExitCode"], 1);
    assert!(
        res["Output"]
            .as_str()
            .unwrap()
            .contains("prescript=/tmp/prescript.sh|exit=127"),
        "{res}"
    );
    // Output is Base64 unless PlainText is asked for.
    let b =
        e.c.ok(
            "DescribeInvocationResults",
            ECS,
            &[
                ("RegionId", r),
                ("InvokeId", res["InvokeId"].as_str().unwrap()),
            ],
        )
        .await;
    let b64 = b["Invocation"]["InvocationResults"]["InvocationResult"][0]["Output"]
        .as_str()
        .unwrap();
    let plain = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap();
    assert!(plain.starts_with("APPSNAP-SCRIPT-TEST/1"));
    e.sb.shutdown().await;
}
