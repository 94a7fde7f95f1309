//! The app-consistent snapshot end to end over HTTP when it must stop: RAM role problems,
//! unreachable agents, stopped instances, timeouts and an instance stopped mid-freeze; no
//! guest is ever left frozen. The clock is paused and stepped: no sleeps.

mod support;

use serde_json::json;
use support::app_consistent::{env, POLICY_DOC, ROLE};
use support::{control, step, ECS};

#[tokio::test]
async fn ram_role_problems_fail_before_anything_is_frozen() {
    let e = env().await;
    // Role exists but its policy lacks TagResources.
    e.role(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:DescribeDisks"],"Resource":"*"}]}"#).await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    // No role attached yet.
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), None)
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 3, "{res}");
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("no RAM role is attached"));
    e.attach(r, &id).await;
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), None)
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 4, "{res}");
    assert!(res["Output"].as_str().unwrap().contains("ecs:TagResources"));
    // A different role already attached: the attach fails per instance, the plugin exits 3.
    let other = e.instance("cn-shanghai", "other-role-alinux3").await;
    let a = e.attach("cn-shanghai", &other).await;
    assert_eq!(a["FailCount"], 1);
    assert_eq!(
        a["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"][0]["Success"],
        false
    );
    let invoke = e
        .invoke(
            "cn-shanghai",
            &other,
            false,
            json!({"RamRoleName": ROLE}),
            None,
        )
        .await;
    let res = e.wait("cn-shanghai", &invoke).await;
    assert_eq!(res["ExitCode"], 3);
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("OpsMonitoringRole"));
    // Missing required parameter is refused at the API.
    let cmd = e.public_command(r, false).await;
    e.c.err(
        "InvokeCommand",
        ECS,
        &[
            ("RegionId", r),
            ("CommandId", cmd["Name"].as_str().unwrap()),
            ("InstanceId.1", &id),
            ("Parameters", "{}"),
        ],
        "Parameter.NotMatched",
    )
    .await;
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"], json!([]));
    e.sb.shutdown().await;
}

#[tokio::test]
async fn unreachable_agents_and_stopped_instances_abort() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let cases: &[(&str, &str, &str)] = &[
        ("cn-hangzhou", "agent-offline-alinux3", "ClientNotRunning"),
        ("cn-hangzhou", "no-agent-ubuntu2204", "ClientNotRunning"),
        ("cn-shanghai", "stopped-centos79", "InstanceNotRunning"),
    ];
    for (region, name, code) in cases {
        let id = e.instance(region, name).await;
        let st =
            e.c.ok(
                "DescribeCloudAssistantStatus",
                ECS,
                &[("RegionId", region), ("InstanceId.1", &id)],
            )
            .await;
        assert_eq!(
            st["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]
                ["CloudAssistantStatus"],
            "false"
        );
        let invoke = e
            .invoke(region, &id, false, json!({"RamRoleName": ROLE}), None)
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["InvocationStatus"], "Aborted", "{name}: {res}");
        assert_eq!(res["ErrorCode"], *code);
    }
    // The agent going offline via the control API has the same effect.
    let id = e.instance("cn-hangzhou", "app-centos79-mysql").await;
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/agent"),
        Some(json!({"online": false})),
    )
    .await;
    assert_eq!(s, 200);
    let invoke = e
        .invoke(
            "cn-hangzhou",
            &id,
            false,
            json!({"RamRoleName": ROLE}),
            None,
        )
        .await;
    assert_eq!(
        e.wait("cn-hangzhou", &invoke).await["ErrorCode"],
        "ClientNotRunning"
    );
    // Installing the agent takes effect after a restart.
    let id = e.instance("cn-hangzhou", "no-agent-ubuntu2204").await;
    e.c.ok(
        "InstallCloudAssistant",
        ECS,
        &[("RegionId", "cn-hangzhou"), ("InstanceId.1", &id)],
    )
    .await;
    e.c.ok(
        "RebootInstance",
        ECS,
        &[("RegionId", "cn-hangzhou"), ("InstanceId", &id)],
    )
    .await;
    step(e.sb.local_addr(), 10.0).await;
    let st =
        e.c.ok(
            "DescribeCloudAssistantStatus",
            ECS,
            &[("RegionId", "cn-hangzhou"), ("InstanceId.1", &id)],
        )
        .await;
    assert_eq!(
        st["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]
            ["CloudAssistantStatus"],
        "true"
    );
    e.sb.shutdown().await;
}

#[tokio::test]
async fn timeouts_never_leave_a_guest_frozen() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    // The invocation times out (10 s) while the prescript hangs (30 s freeze timeout).
    let id = e.instance(r, "freeze-hangs-ubuntu2204").await;
    e.attach(r, &id).await;
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), Some("10"))
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["InvocationStatus"], "Timeout", "{res}");
    assert_eq!(res["ErrorCode"], "ExecutionTimeout");
    e.assert_thawed().await;
    // Snapshot creation stalls while frozen: the freeze times out and thaws.
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/guest"),
        Some(json!({"freeze_stall": true})),
    )
    .await;
    assert_eq!(s, 200);
    let invoke = e
        .invoke(
            r,
            &id,
            false,
            json!({"RamRoleName": ROLE, "TimeoutInSeconds": "20"}),
            None,
        )
        .await;
    step(e.sb.local_addr(), 10.0).await;
    let frozen = e.state("frozen").await;
    assert_eq!(frozen["frozen"].as_array().unwrap().len(), 1);
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 8, "{res}");
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("Timedout to receive Thaw from parent process"));
    e.assert_thawed().await;
    let hist = e.state("freeze-history").await;
    let last = hist["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["thaw_reason"], "freeze timeout");
    e.sb.shutdown().await;
}

#[tokio::test]
async fn stopping_an_instance_mid_freeze_thaws_it_and_interrupts_the_run() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/guest"),
        Some(json!({"freeze_stall": true})),
    )
    .await;
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), None)
        .await;
    step(e.sb.local_addr(), 2.0).await;
    let frozen = e.state("frozen").await;
    assert_eq!(frozen["frozen"][0]["instance_id"], id.as_str(), "{frozen}");
    e.c.ok("StopInstance", ECS, &[("RegionId", r), ("InstanceId", &id)])
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["InvocationStatus"], "Failed", "{res}");
    assert_eq!(res["ErrorCode"], "ExecutionInterrupted");
    assert_eq!(
        res["ErrorInfo"],
        "the command execution has been interrupted"
    );
    e.assert_thawed().await;
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"][0]["thaw_reason"], "instance stopped");
    // Nothing the interrupted run had scheduled happens later.
    step(e.sb.local_addr(), 60.0).await;
    let groups = e.state("snapshot-groups").await;
    assert_eq!(groups["snapshot_groups"], json!([]), "{groups}");
    e.sb.shutdown().await;
}
