//! A check's fix against the sandbox's `demo` scenario over real HTTP: the fix is carried
//! out, the instance's region read again, and the check shows the result; the sandbox's
//! own state (control API) confirms it. Another role is never replaced without a choice.

mod ram_support;

use std::time::Duration;

use appsnap_core::fleet::{
    fix, inventory, Assessed, CheckId, CheckStatus, FixAction, FixEvent, FixRequest, FixState,
    FixTuning, GuestFacts, Inventory, InventoryOptions, ProbeTuning,
};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::InstanceResolution;
use appsnap_core::ErrorCode;
use ram_support::{tuning, Sandbox};
use serde_json::{json, Value};

fn fix_tuning() -> FixTuning {
    FixTuning {
        ram: tuning(),
        probe: ProbeTuning {
            poll_interval: Duration::from_millis(50),
            wait: Duration::from_secs(20),
            command_timeout_secs: 60,
        },
        start_wait: Duration::from_secs(20),
        start_poll: Duration::from_millis(50),
    }
}

async fn demo_inventory(sb: &Sandbox) -> Inventory {
    let inv = inventory(
        &sb.client("admin"),
        &InventoryOptions::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert!(inv.is_complete(), "{:?}", inv.missing);
    inv
}

fn row<'a>(inv: &'a Inventory, name: &str) -> &'a Assessed {
    inv.instances
        .iter()
        .find(|a| a.instance.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn check_status(inv: &Inventory, name: &str, id: CheckId) -> CheckStatus {
    row(inv, name)
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap()
        .status
}

fn request(action: FixAction, ids: &[String]) -> FixRequest {
    FixRequest {
        action,
        instance_ids: ids.to_vec(),
        on_conflict: None,
    }
}

async fn sandbox_instance(sb: &Sandbox, id: &str) -> Value {
    sb.control(
        reqwest::Method::GET,
        &format!("instances/{id}"),
        Value::Null,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn starting_a_stopped_instance_waits_for_running_and_its_check_passes() {
    let sb = Sandbox::start().await;
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    let mut inv = demo_inventory(&sb).await;
    let stopped = sb.instance("stopped-centos79").instance_id;
    let running = sb.instance("app-centos79-mysql").instance_id;
    assert_eq!(
        check_status(&inv, "stopped-centos79", CheckId::Running),
        CheckStatus::Fail
    );
    let before = sb.calls().await;
    let (reporter, events) = Reporter::collecting();
    let report = fix(
        &sb.client("admin"),
        &request(
            FixAction::StartInstance,
            &[stopped.clone(), running.clone()],
        ),
        &mut inv,
        &fix_tuning(),
        &reporter,
    )
    .await
    .unwrap();
    let after = sb.calls().await;
    let states: Vec<_> = report
        .outcomes
        .iter()
        .map(|o| (o.instance_id.clone(), o.state))
        .collect();
    assert_eq!(
        states,
        [
            (stopped.clone(), FixState::Done),
            (running, FixState::Skipped)
        ]
    );
    assert_eq!(report.outcomes[1].detail, "the instance is already Running");
    // One StartInstance: the running one was not touched.
    assert_eq!(
        after["StartInstance"] - before.get("StartInstance").unwrap_or(&0),
        1
    );
    assert_eq!(
        sandbox_instance(&sb, &stopped).await["instance"]["Status"],
        "Running"
    );
    assert_eq!(row(&inv, "stopped-centos79").instance.status, "Running");
    assert_eq!(
        check_status(&inv, "stopped-centos79", CheckId::Running),
        CheckStatus::Pass
    );
    // The other regions stayed in the inventory, each instance once.
    assert_eq!(inv.instances.len(), 21);
    let events = events.lock().unwrap().clone();
    assert!(events
        .iter()
        .any(|e| matches!(e, FixEvent::Sent { action, region_id, .. }
        if action == "StartInstance" && region_id == "cn-shanghai")));
    assert!(events.iter().any(|e| matches!(e, FixEvent::Fleet { .. })));
}

#[tokio::test(flavor = "multi_thread")]
async fn attaching_the_role_makes_the_role_checks_pass_and_keeps_the_deep_check() {
    let sb = Sandbox::start().await;
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    let client = sb.client("admin");
    let mut inv = demo_inventory(&sb).await;
    let id = sb.instance("app-centos79-mysql").instance_id;
    assert_eq!(
        check_status(&inv, "app-centos79-mysql", CheckId::RamRole),
        CheckStatus::Fail
    );
    // A deep check first: its guest facts must survive the re-read after the fix.
    let probe = fix(
        &client,
        &request(FixAction::DeepCheck, std::slice::from_ref(&id)),
        &mut inv,
        &fix_tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert_eq!(
        probe.outcomes[0].state,
        FixState::Done,
        "{:?}",
        probe.outcomes
    );
    assert!(matches!(
        row(&inv, "app-centos79-mysql").instance.guest,
        Some(GuestFacts::Probed { .. })
    ));
    assert_eq!(
        check_status(&inv, "app-centos79-mysql", CheckId::FreezeScripts),
        CheckStatus::Fail
    );

    let (reporter, events) = Reporter::collecting();
    let report = fix(
        &client,
        &request(FixAction::AttachRole, std::slice::from_ref(&id)),
        &mut inv,
        &fix_tuning(),
        &reporter,
    )
    .await
    .unwrap();
    assert_eq!(
        report.outcomes[0].state,
        FixState::Done,
        "{:?}",
        report.outcomes
    );
    assert_eq!(
        sb.instance_role(&id).await.as_deref(),
        Some("AppSnapshotRoleName")
    );
    let a = row(&inv, "app-centos79-mysql");
    let role = a.checks.iter().find(|c| c.id == CheckId::RamRole).unwrap();
    assert_eq!((role.status, role.fix), (CheckStatus::Pass, None));
    assert_eq!(
        check_status(&inv, "app-centos79-mysql", CheckId::RolePolicy),
        CheckStatus::Pass
    );
    assert!(matches!(a.instance.guest, Some(GuestFacts::Probed { .. })));
    assert_eq!(
        check_status(&inv, "app-centos79-mysql", CheckId::FreezeScripts),
        CheckStatus::Fail
    );
    // Now only the missing scripts stand between it and application consistency.
    assert_eq!(a.prediction.decided_by, [CheckId::FreezeScripts]);
    let events = events.lock().unwrap().clone();
    assert!(events.iter().any(|e| matches!(e, FixEvent::Ram { .. })));
    assert!(events
        .iter()
        .any(|e| matches!(e, FixEvent::InstanceDone { outcome }
        if outcome.instance_id == id && outcome.state == FixState::Done)));
}

#[tokio::test(flavor = "multi_thread")]
async fn another_role_comes_back_as_a_conflict_and_is_extended_only_when_chosen() {
    let sb = Sandbox::start().await;
    let client = sb.client("admin");
    let mut inv = demo_inventory(&sb).await;
    let id = sb.instance("other-role-alinux3").instance_id;
    let before = sb.calls().await;
    let report = fix(
        &client,
        &request(FixAction::AttachRole, std::slice::from_ref(&id)),
        &mut inv,
        &fix_tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let after = sb.calls().await;
    let o = &report.outcomes[0];
    assert_eq!(o.state, FixState::Conflict, "{o:?}");
    let choices: Vec<_> = o.choices.iter().map(|c| c.resolution).collect();
    assert_eq!(
        choices,
        [
            InstanceResolution::Extend,
            InstanceResolution::Replace,
            InstanceResolution::Skip
        ]
    );
    assert!(
        o.detail.contains("holds role OpsMonitoringRole"),
        "{}",
        o.detail
    );
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    assert_eq!(delta("AttachInstanceRamRole"), 0);
    assert_eq!(delta("DetachInstanceRamRole"), 0);
    assert_eq!(
        sb.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert!(!sb
        .role_policies("OpsMonitoringRole")
        .await
        .contains(&"Custom:AppSnapshotPolicy".to_owned()));
    assert_eq!(
        check_status(&inv, "other-role-alinux3", CheckId::RolePolicy),
        CheckStatus::Fail
    );

    let extend = FixRequest {
        on_conflict: Some(InstanceResolution::Extend),
        ..request(FixAction::AttachRole, std::slice::from_ref(&id))
    };
    let report = fix(
        &client,
        &extend,
        &mut inv,
        &fix_tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert_eq!(
        report.outcomes[0].state,
        FixState::Done,
        "{:?}",
        report.outcomes
    );
    assert_eq!(
        sb.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert!(sb
        .role_policies("OpsMonitoringRole")
        .await
        .contains(&"Custom:AppSnapshotPolicy".to_owned()));
    assert_eq!(
        check_status(&inv, "other-role-alinux3", CheckId::RolePolicy),
        CheckStatus::Pass
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn installing_the_agent_is_sent_in_one_call_and_waits_for_a_restart() {
    let sb = Sandbox::start().await;
    let mut inv = demo_inventory(&sb).await;
    let id = sb.instance("no-agent-ubuntu2204").instance_id;
    let before = sb.calls().await;
    let report = fix(
        &sb.client("admin"),
        &request(FixAction::InstallAgent, std::slice::from_ref(&id)),
        &mut inv,
        &fix_tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    let after = sb.calls().await;
    assert_eq!(report.outcomes[0].state, FixState::Done);
    assert!(report.outcomes[0]
        .detail
        .contains("after the instance restarts"));
    assert_eq!(
        after["InstallCloudAssistant"] - before.get("InstallCloudAssistant").unwrap_or(&0),
        1
    );
    // No restart was made for the user: the agent is pending until one.
    assert_eq!(
        sandbox_instance(&sb, &id).await["agent"]["pending_install"],
        true
    );
    assert_eq!(after.get("RebootInstance"), before.get("RebootInstance"));
    assert_eq!(
        check_status(&inv, "no-agent-ubuntu2204", CheckId::AgentInstalled),
        CheckStatus::Fail
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_are_refused_before_anything_is_sent() {
    let sb = Sandbox::start().await;
    let client = sb.client("admin");
    let mut inv = demo_inventory(&sb).await;
    let kept = inv.clone();
    let id = sb.instance("app-centos79-mysql").instance_id;
    let before = sb.calls().await;
    let cases = [
        (
            request(FixAction::PushScripts, std::slice::from_ref(&id)),
            "pushing the freeze/thaw scripts is done on the Scripts screen, which is not \
             available yet; nothing was sent",
        ),
        (
            request(FixAction::StartInstance, &[]),
            "choose 1 to 1000 instances to fix (0 given)",
        ),
        (
            request(FixAction::StartInstance, &["i-nothere".into()]),
            "instance i-nothere is not in the inventory; refresh it first",
        ),
        (
            request(FixAction::AttachRole, &[id.clone(), id.clone()]),
            &*format!("instance {id} is listed twice"),
        ),
        (
            FixRequest {
                on_conflict: Some(InstanceResolution::Replace),
                ..request(FixAction::StartInstance, std::slice::from_ref(&id))
            },
            "a conflict choice applies only to attaching the RAM role",
        ),
    ];
    for (req, message) in cases {
        let err = fix(&client, &req, &mut inv, &fix_tuning(), &Reporter::silent())
            .await
            .unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (ErrorCode::InvalidInput, message)
        );
    }
    assert_eq!(sb.calls().await, before);
    assert_eq!(inv, kept);
}
