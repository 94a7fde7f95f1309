//! Permissions and faults against the sandbox: the operator and read-only accounts get
//! blocked steps naming the permission and the cloud's code; throttling, 503 and a
//! connection dropped after the write still end with exactly one role, one policy and
//! one attachment.

mod ram_support;

use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::{apply, plan, RamApplyEvent, RamOptions, StepState};
use ram_support::{event_names, reporter, tuning, Sandbox, ECS_TRUST, SEED_POLICY};
use serde_json::json;

fn blocker_of(p: &appsnap_core::ram::RamPlan, id: &str) -> (StepState, String, String, bool) {
    let s = p.steps.iter().find(|s| s.id == id).unwrap();
    let b = s
        .blocker
        .clone()
        .unwrap_or_else(|| panic!("{id} has no blocker: {s:#?}"));
    (
        s.state,
        b.permission,
        b.code,
        b.request_id.is_some_and(|r| !r.is_empty()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_is_blocked_on_ram_reads_and_on_pass_role() {
    let sb = Sandbox::start().await;
    let operator = sb.client("operator");
    let mysql = sb.instance("app-centos79-mysql");
    let o = RamOptions {
        instances: vec![mysql.clone()],
        ..RamOptions::default()
    };
    let p = plan(&operator, &o).await.unwrap();
    let blocked = |id| blocker_of(&p, id);
    assert_eq!(
        blocked("role"),
        (
            StepState::Blocked,
            "ram:GetRole".into(),
            "NoPermission".into(),
            true
        )
    );
    assert_eq!(
        blocked("policy"),
        (
            StepState::Blocked,
            "ram:GetPolicy".into(),
            "NoPermission".into(),
            true
        )
    );
    assert_eq!(
        blocked("attachment"),
        (
            StepState::Blocked,
            "ram:ListPoliciesForRole".into(),
            "NoPermission".into(),
            true
        )
    );
    assert!(
        p.steps[0].detail.contains("ram:GetRole") && p.steps[0].detail.contains("NoPermission"),
        "{}",
        p.steps[0].detail
    );
    // A blocked step still shows what it would send.
    assert_eq!(
        p.steps[0].request[0].parameters["AssumeRolePolicyDocument"],
        ECS_TRUST
    );
    // ECS reads work for the operator: the instance is to do.
    assert_eq!(p.steps[3].state, StepState::Todo);

    let (rep, events) = reporter(CancellationToken::new(), |_| {});
    let report = apply(&operator, &o, &tuning(), &rep).await.unwrap();
    let id = format!("instance:{}", mysql.instance_id);
    assert_eq!(
        blocker_of(&report.plan, &id),
        (
            StepState::Blocked,
            "ram:PassRole".into(),
            "InvalidUser.PassRoleForbidden".into(),
            true
        )
    );
    assert_eq!(report.plan.instances[0].state, StepState::Blocked);
    assert_eq!(
        event_names(&events.lock().unwrap()),
        [
            "planned:".to_string(),
            format!("stepStarted:{id}"),
            format!("stepBlocked:{id}")
        ]
    );
    assert!(sb.role("AppSnapshotRoleName").await.is_none());
    assert_eq!(sb.instance_role(&mysql.instance_id).await, None);
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_plans_todo_and_apply_leaves_the_writes_blocked() {
    let sb = Sandbox::start().await;
    let ro = sb.client("read-only");
    let mysql = sb.instance("app-centos79-mysql");
    let o = RamOptions {
        instances: vec![mysql.clone()],
        ..RamOptions::default()
    };
    let p = plan(&ro, &o).await.unwrap();
    assert!(
        p.steps.iter().all(|s| s.state == StepState::Todo),
        "{:#?}",
        p.steps
    );

    let report = apply(&ro, &o, &tuning(), &Reporter::silent())
        .await
        .unwrap();
    let id = format!("instance:{}", mysql.instance_id);
    assert_eq!(
        blocker_of(&report.plan, "role"),
        (
            StepState::Blocked,
            "ram:CreateRole".into(),
            "NoPermission".into(),
            true
        )
    );
    assert_eq!(
        blocker_of(&report.plan, "policy"),
        (
            StepState::Blocked,
            "ram:CreatePolicy".into(),
            "NoPermission".into(),
            true
        )
    );
    let states: Vec<StepState> = report.plan.steps.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            StepState::Blocked,
            StepState::Blocked,
            StepState::Todo,
            StepState::Todo
        ],
        "later steps wait"
    );
    assert!(report
        .plan
        .steps
        .iter()
        .find(|s| s.id == id)
        .unwrap()
        .blocker
        .is_none());
    let ram = sb.ram().await;
    assert_eq!(
        ram["policies"].as_array().unwrap().len(),
        1,
        "only the scenario's own policy"
    );
    assert!(sb.role("AppSnapshotRoleName").await.is_none());
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_during_apply_still_end_with_exactly_one_role_policy_and_attachment() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let mysql = sb.instance("app-centos79-mysql");
    let o = RamOptions {
        instances: vec![mysql.clone()],
        ..RamOptions::default()
    };
    // Applied, then the connection drops: our retry must re-read, not create twice.
    sb.fault(json!({"action": "CreateRole", "drop_after_apply_next": 1}))
        .await;
    sb.fault(json!({"action": "CreatePolicy", "error_next": 1, "error_status": 503}))
        .await;
    sb.fault(json!({"action": "AttachPolicyToRole", "throttle_next": 2}))
        .await;
    sb.fault(json!({"action": "AttachInstanceRamRole", "drop_after_apply_next": 1}))
        .await;
    // Reads fail too; the client retries those itself.
    sb.fault(json!({"action": "GetRole", "error_next": 1, "error_status": 500}))
        .await;

    let (rep, events) = reporter(CancellationToken::new(), |_| {});
    let report = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert!(
        report.plan.steps.iter().all(|s| s.state == StepState::Done),
        "{:#?}",
        report.plan.steps
    );

    let ram = sb.ram().await;
    let ours: Vec<_> = ram["roles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["role_name"] == "AppSnapshotRoleName")
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0]["trust_policy"], ECS_TRUST);
    assert_eq!(
        ram["roles"].as_array().unwrap().len(),
        2,
        "ours and the scenario's OpsMonitoringRole"
    );
    assert_eq!(
        ram["policies"].as_array().unwrap().len(),
        2,
        "ours and OpsMonitoringPolicy"
    );
    assert_eq!(
        sb.policy_document("AppSnapshotPolicy").await.as_deref(),
        Some(SEED_POLICY)
    );
    assert_eq!(
        sb.role_policies("AppSnapshotRoleName").await,
        ["Custom:AppSnapshotPolicy"]
    );
    assert_eq!(
        sb.instance_role(&mysql.instance_id).await.as_deref(),
        Some("AppSnapshotRoleName")
    );

    let calls = sb.calls().await;
    assert_eq!(
        calls.get("CreateRole"),
        Some(&1),
        "the dropped create had applied: read back, not resent"
    );
    assert_eq!(
        calls.get("CreatePolicy"),
        Some(&2),
        "the 503 was not applied: sent again"
    );
    assert_eq!(
        calls.get("AttachPolicyToRole"),
        Some(&3),
        "two throttled, then through"
    );
    assert_eq!(calls.get("AttachInstanceRamRole"), Some(&1));
    let retries: Vec<(String, u32, String)> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            RamApplyEvent::Retrying {
                step_id,
                attempt,
                code,
                ..
            } => Some((step_id.clone(), *attempt, code.clone())),
            _ => None,
        })
        .collect();
    let inst = format!("instance:{}", mysql.instance_id);
    assert_eq!(
        retries,
        [
            ("role".to_string(), 1, "NoResponse".to_string()),
            ("policy".into(), 1, "ServiceUnavailable".into()),
            ("attachment".into(), 1, "Throttling.User".into()),
            ("attachment".into(), 2, "Throttling.User".into()),
            (inst, 1, "NoResponse".into()),
        ]
    );
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_keeps_failing_ends_the_step_and_the_next_apply_resumes() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    sb.fault(json!({"action": "CreatePolicy", "error_next": 10, "error_status": 503}))
        .await;
    let report = apply(
        &admin,
        &RamOptions::default(),
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].step_id, "policy");
    assert_eq!(
        report.failures[0].error.code,
        appsnap_core::ErrorCode::Cloud
    );
    assert!(
        report.failures[0]
            .error
            .message
            .contains("ServiceUnavailable"),
        "{}",
        report.failures[0].error.message
    );
    let states: Vec<StepState> = report.plan.steps.iter().map(|s| s.state).collect();
    assert_eq!(states, [StepState::Done, StepState::Todo, StepState::Todo]);
    assert_eq!(
        sb.calls().await.get("CreatePolicy"),
        Some(&4),
        "tuning().write_attempts"
    );

    sb.control(reqwest::Method::DELETE, "faults", serde_json::Value::Null)
        .await;
    let report = apply(
        &admin,
        &RamOptions::default(),
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert!(report.failures.is_empty());
    assert!(report.plan.steps.iter().all(|s| s.state == StepState::Done));
    assert_eq!(sb.calls().await.get("CreateRole"), Some(&1));
    assert_eq!(
        sb.role_policies("AppSnapshotRoleName").await,
        ["Custom:AppSnapshotPolicy"]
    );
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_keeps_checking_while_describe_lags_and_ends_clearly_when_time_is_up() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let mysql = sb.instance("app-centos79-mysql");
    let o = RamOptions {
        instances: vec![mysql.clone()],
        ..RamOptions::default()
    };
    let step_id = format!("instance:{}", mysql.instance_id);
    // Once the attach is sent, DescribeInstanceRamRole fails `n` times (the client
    // itself tries each read 4 times), then answers.
    let on_attach = |n: u32, endpoint: String, step_id: String| {
        move |e: &RamApplyEvent| match e {
            RamApplyEvent::StepStarted { step_id: s } if *s == step_id => {
                let endpoint = endpoint.clone();
                ram_support::meanwhile(move || async move {
                    let fault = json!({"action": "DescribeInstanceRamRole", "error_next": n, "error_status": 503});
                    reqwest::Client::new()
                        .post(format!("{endpoint}/_sandbox/faults"))
                        .json(&fault)
                        .send()
                        .await
                        .unwrap();
                });
            }
            RamApplyEvent::StepFailed { .. } => {
                let endpoint = endpoint.clone();
                ram_support::meanwhile(move || async move {
                    reqwest::Client::new()
                        .delete(format!("{endpoint}/_sandbox/faults"))
                        .send()
                        .await
                        .unwrap();
                });
            }
            _ => {}
        }
    };

    let (rep, events) = reporter(
        CancellationToken::new(),
        on_attach(5, sb.endpoint().to_owned(), step_id.clone()),
    );
    let report = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let checks: Vec<(u32, String)> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            RamApplyEvent::Verifying {
                attempt, message, ..
            } => Some((*attempt, message.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(checks.len(), 2, "{checks:?}");
    assert!(
        checks[1].1.contains("can take a while to propagate"),
        "{}",
        checks[1].1
    );
    assert_eq!(report.plan.instances[0].state, StepState::Done);

    // Never confirmed within the bounded time: a clear failure, and the plan says todo/done
    // from what the cloud shows afterwards.
    sb.reset().await;
    let short = appsnap_core::ram::ApplyTuning {
        verify_timeout: std::time::Duration::from_millis(200),
        ..tuning()
    };
    let (rep, _) = reporter(
        CancellationToken::new(),
        on_attach(1000, sb.endpoint().to_owned(), step_id.clone()),
    );
    let report = apply(&admin, &o, &short, &rep).await.unwrap();
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].step_id, step_id);
    assert_eq!(
        report.failures[0].error.code,
        appsnap_core::ErrorCode::Cloud
    );
    assert!(
        report.failures[0]
            .error
            .message
            .contains("did not confirm it within 0.2 s"),
        "{}",
        report.failures[0].error.message
    );
    // The attach did apply; the re-plan (faults cleared) sees it.
    assert_eq!(report.plan.instances[0].state, StepState::Done);
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replace_whose_attach_fails_puts_the_old_role_back() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let other = sb.instance("other-role-alinux3");
    let mut o = RamOptions {
        instances: vec![other.clone()],
        ..RamOptions::default()
    };
    o.on_conflict = Some(appsnap_core::ram::InstanceResolution::Replace);
    // Our attach fails every try (tuning: 4); the restoring attach then goes through.
    sb.fault(json!({"action": "AttachInstanceRamRole", "error_next": 4, "error_status": 500}))
        .await;
    let report = apply(&admin, &o, &tuning(), &Reporter::silent())
        .await
        .unwrap();
    assert_eq!(report.failures.len(), 1);
    let msg = &report.failures[0].error.message;
    assert!(
        msg.contains("InternalError") && msg.ends_with("role OpsMonitoringRole was attached again"),
        "{msg}"
    );
    assert_eq!(
        sb.instance_role(&other.instance_id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert_eq!(report.plan.instances[0].state, StepState::Conflict);
    let calls = sb.calls().await;
    assert_eq!(
        (
            calls.get("DetachInstanceRamRole"),
            calls.get("AttachInstanceRamRole")
        ),
        (Some(&1), Some(&5))
    );
    sb.running.shutdown().await;
}
