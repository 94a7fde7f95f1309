//! StopInvocation and the hung guest (control API `stall`): a stalled plugin run holds its
//! freeze until the invocation ends; stopping it goes Stopping → Terminated on the sandbox
//! clock and thaws the guest; a part not yet delivered is Cancelled; the errors.

mod support;

use serde_json::{json, Value};
use support::app_consistent::{env, Env, POLICY_DOC, ROLE};
use support::{control, step, Client, ECS, READ_ONLY};

const R: &str = "cn-hangzhou";

/// A ready app-consistent setup on app-centos79-mysql whose guest hangs.
async fn stalled() -> (Env, String) {
    let e = env().await;
    let id = e.instance(R, "app-centos79-mysql").await;
    e.role(POLICY_DOC).await;
    e.attach(R, &id).await;
    e.scripts(R, &id, "0700", "root").await;
    let (s, b) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/stall"),
        Some(json!({"stalled": true})),
    )
    .await;
    assert_eq!((s, &b), (200, &json!({"ok": true, "stalled": true})));
    (e, id)
}

async fn invocation(c: &Client, invoke: &str) -> Value {
    let b = c
        .ok(
            "DescribeInvocations",
            ECS,
            &[("RegionId", R), ("InvokeId", invoke)],
        )
        .await;
    b["Invocations"]["Invocation"][0].clone()
}

async fn result(c: &Client, invoke: &str) -> Value {
    let b = c
        .ok(
            "DescribeInvocationResults",
            ECS,
            &[("RegionId", R), ("InvokeId", invoke)],
        )
        .await;
    b["Invocation"]["InvocationResults"]["InvocationResult"][0].clone()
}

#[tokio::test]
async fn a_stalled_run_holds_its_freeze_until_stopped_then_is_terminated_and_thawed() {
    let (e, id) = stalled().await;
    let addr = e.sb.local_addr();
    let invoke = e
        .invoke(R, &id, false, json!({"RamRoleName": ROLE}), Some("600"))
        .await;
    step(addr, 1.1).await;
    let frozen = e.state("frozen").await;
    assert_eq!(frozen["frozen"][0]["instance_id"], id.as_str());
    assert_eq!(frozen["frozen"][0]["invoke_id"], invoke.as_str());
    // Long past the freeze timeout (30 s): no progress, no thaw, no exit.
    step(addr, 120.0).await;
    let inv = invocation(&e.c, &invoke).await;
    assert_eq!(inv["InvocationStatus"], "Running");
    assert_eq!(
        e.state("frozen").await["frozen"][0]["instance_id"],
        id.as_str()
    );
    assert_eq!(
        e.state("snapshot-groups").await["snapshot_groups"],
        json!([])
    );

    let body =
        e.c.ok(
            "StopInvocation",
            ECS,
            &[
                ("RegionId", R),
                ("InvokeId", &invoke),
                ("InstanceId.1", &id),
            ],
        )
        .await;
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["RequestId"]
    );
    let inv = invocation(&e.c, &invoke).await;
    assert_eq!(inv["InvocationStatus"], "Stopping");
    assert_eq!(inv["InvokeStatus"], "Running");
    let part = &inv["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(part["InvocationStatus"], "Stopping");
    assert_eq!(part["InstanceInvokeStatus"], "Stopping");
    assert_ne!(part["StopTime"], "");
    // Still frozen while Stopping; terminated and thawed 1 s (sandbox clock) later.
    step(addr, 0.9).await;
    assert_eq!(
        invocation(&e.c, &invoke).await["InvocationStatus"],
        "Stopping"
    );
    assert_eq!(
        e.state("frozen").await["frozen"].as_array().unwrap().len(),
        1
    );
    step(addr, 0.1).await;
    let inv = invocation(&e.c, &invoke).await;
    assert_eq!(inv["InvocationStatus"], "Stopped");
    assert_eq!(inv["InvokeStatus"], "Stopped");
    let row = result(&e.c, &invoke).await;
    assert_eq!(row["InvocationStatus"], "Terminated");
    assert_eq!(row["InvokeRecordStatus"], "Stopped");
    assert_eq!(row["ExitCode"], -1);
    assert_eq!(row["ErrorCode"], "");
    assert_ne!(row["StopTime"], "");
    assert_ne!(row["FinishedTime"], "");
    e.assert_thawed().await;
    let history = e.state("freeze-history").await;
    let last = history["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["instance_id"], id.as_str());
    assert_eq!(last["thaw_reason"], "invocation stopped");
    // Stopping it again changes nothing.
    e.c.ok(
        "StopInvocation",
        ECS,
        &[("RegionId", R), ("InvokeId", &invoke)],
    )
    .await;
    assert_eq!(
        result(&e.c, &invoke).await["InvocationStatus"],
        "Terminated"
    );

    // The probe still runs on a stalled guest; with the stall off the run completes.
    assert!(e.probe(R, &id).await.contains("APPSNAP-PROBE/1"));
    control(
        addr,
        "POST",
        &format!("/_sandbox/instances/{id}/stall"),
        Some(json!({"stalled": false})),
    )
    .await;
    let again = e
        .invoke(R, &id, false, json!({"RamRoleName": ROLE}), Some("600"))
        .await;
    let row = e.wait(R, &again).await;
    assert_eq!(row["InvocationStatus"], "Success", "{row}");
    let (_, tags) = e.outcome(R, &row).await;
    assert!(
        support::app_consistent::all(&tags, "APPConsistent:True"),
        "{tags:?}"
    );
    e.assert_thawed().await;
    e.sb.shutdown().await;
}

#[tokio::test]
async fn a_stalled_run_without_a_stop_ends_at_its_timeout_thawed() {
    let (e, id) = stalled().await;
    let addr = e.sb.local_addr();
    let invoke = e
        .invoke(R, &id, false, json!({"RamRoleName": ROLE}), Some("60"))
        .await;
    step(addr, 59.0).await;
    assert_eq!(
        invocation(&e.c, &invoke).await["InvocationStatus"],
        "Running"
    );
    assert_eq!(
        e.state("frozen").await["frozen"].as_array().unwrap().len(),
        1
    );
    step(addr, 2.0).await;
    let row = result(&e.c, &invoke).await;
    assert_eq!(row["InvocationStatus"], "Timeout");
    assert_eq!(row["ErrorCode"], "ExecutionTimeout");
    e.assert_thawed().await;
    let history = e.state("freeze-history").await;
    assert_eq!(
        history["history"].as_array().unwrap().last().unwrap()["thaw_reason"],
        "invocation timeout"
    );
    e.sb.shutdown().await;
}

#[tokio::test]
async fn a_part_not_yet_delivered_is_cancelled_and_never_runs() {
    let e = env().await;
    let id = e.instance(R, "app-centos79-mysql").await;
    let other = e.instance(R, "app-alinux3-redis").await;
    let invoke =
        e.c.ok(
            "RunCommand",
            ECS,
            &[
                ("RegionId", R),
                ("Type", "RunShellScript"),
                ("CommandContent", "echo hi"),
                ("InstanceId.1", &id),
                ("InstanceId.2", &other),
            ],
        )
        .await["InvokeId"]
            .as_str()
            .unwrap()
            .to_string();
    // Only the first instance is stopped, before the agent picks it up (0.5 s).
    e.c.ok(
        "StopInvocation",
        ECS,
        &[
            ("RegionId", R),
            ("InvokeId", &invoke),
            ("InstanceId.1", &id),
        ],
    )
    .await;
    step(e.sb.local_addr(), 2.0).await;
    let inv = invocation(&e.c, &invoke).await;
    let parts = inv["InvokeInstances"]["InvokeInstance"].as_array().unwrap();
    let status = |iid: &str| {
        parts
            .iter()
            .find(|p| p["InstanceId"] == iid)
            .map(|p| p["InvocationStatus"].clone())
            .unwrap()
    };
    assert_eq!(status(&id), "Cancelled");
    // The unknown script exits 127 on the other: Failed; with a Cancelled part the whole
    // is Failed by the documented aggregation.
    assert_eq!(status(&other), "Failed");
    assert_eq!(inv["InvocationStatus"], "Failed");
    let (_, body) = control(
        e.sb.local_addr(),
        "GET",
        &format!("/_sandbox/instances/{id}"),
        None,
    )
    .await;
    assert_eq!(body["guest"]["behaviour"]["stall"], false);
    e.sb.shutdown().await;
}

#[tokio::test]
async fn stop_invocation_errors() {
    let e = env().await;
    let id = e.instance(R, "app-centos79-mysql").await;
    let other = e.instance(R, "app-alinux3-redis").await;
    let invoke = e.run_shell(R, &id, "echo hi", None).await;
    let (s, _) =
        e.c.err(
            "StopInvocation",
            ECS,
            &[("RegionId", R)],
            "MissingParameter",
        )
        .await;
    assert_eq!(s, 400);
    let (s, _) =
        e.c.err(
            "StopInvocation",
            ECS,
            &[("RegionId", R), ("InvokeId", "t-hz0000000000000000")],
            "InvalidInvokeId.NotFound",
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) =
        e.c.err(
            "StopInvocation",
            ECS,
            &[
                ("RegionId", R),
                ("InvokeId", &invoke),
                ("InstanceId.1", &other),
            ],
            "InvalidInstance.NotFound",
        )
        .await;
    assert_eq!(s, 404);
    let many: Vec<(String, String)> = (1..=51)
        .map(|n| (format!("InstanceId.{n}"), id.clone()))
        .collect();
    let mut q: Vec<(&str, &str)> = vec![("RegionId", R), ("InvokeId", &invoke)];
    q.extend(many.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (s, _) =
        e.c.err("StopInvocation", ECS, &q, "InstanceIds.ExceedLimit")
            .await;
    assert_eq!(s, 403);
    let ro = Client::new(&e.sb, READ_ONLY);
    let (s, _) = ro
        .err(
            "StopInvocation",
            ECS,
            &[("RegionId", R), ("InvokeId", &invoke)],
            "Forbidden.RAM",
        )
        .await;
    assert_eq!(s, 403);
    // A finished invocation is left as it is.
    let done = e.wait(R, &invoke).await;
    e.c.ok(
        "StopInvocation",
        ECS,
        &[("RegionId", R), ("InvokeId", &invoke)],
    )
    .await;
    let after = result(&e.c, &invoke).await;
    assert_eq!(after["InvocationStatus"], done["InvocationStatus"]);
    assert_eq!(after["StopTime"], "");
    // The stall switch refuses what it does not know.
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/stall"),
        Some(json!({"stalled": true, "forever": true})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        "/_sandbox/instances/i-nope/stall",
        Some(json!({"stalled": true})),
    )
    .await;
    assert_eq!(s, 404);
    e.sb.shutdown().await;
}
