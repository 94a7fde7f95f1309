//! The RAM engine against the sandbox's demo account: a fresh plan, apply, re-apply,
//! cancel and resume. Results are checked in the sandbox's own state, not only through
//! our client.

mod ram_support;

use std::collections::BTreeMap;

use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::{
    apply, plan, CloudAction, InstanceResolution, RamApplyEvent, RamOptions, StepKind, StepState,
};
use appsnap_core::ErrorCode;
use ram_support::{event_names, reporter, tuning, Sandbox, ECS_TRUST, SEED_POLICY};

fn options(sb: &Sandbox, names: &[&str]) -> RamOptions {
    RamOptions {
        instances: names.iter().map(|n| sb.instance(n)).collect(),
        ..RamOptions::default()
    }
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_account_plans_every_step_todo_except_the_instance_with_a_role() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let o = options(
        &sb,
        &[
            "app-centos79-mysql",
            "other-role-alinux3",
            "sg-ubuntu2204-web",
        ],
    );
    let before = sb.calls().await;
    let p = plan(&admin, &o).await.unwrap();
    let after = sb.calls().await;
    assert_eq!(
        Sandbox::writes_between(&before, &after),
        0,
        "planning only reads"
    );
    assert_eq!(
        after.get("DescribeInstanceRamRole").unwrap_or(&0)
            - before.get("DescribeInstanceRamRole").unwrap_or(&0),
        3,
        "one call per region"
    );

    let states: Vec<(&str, StepKind, StepState)> = p
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.kind, s.state))
        .collect();
    let mysql = sb.instance("app-centos79-mysql");
    let other = sb.instance("other-role-alinux3");
    let web = sb.instance("sg-ubuntu2204-web");
    let id = |i: &appsnap_core::ram::InstanceRef| format!("instance:{}", i.instance_id);
    assert_eq!(
        states,
        vec![
            ("role", StepKind::Role, StepState::Todo),
            ("policy", StepKind::Policy, StepState::Todo),
            ("attachment", StepKind::Attachment, StepState::Todo),
            (id(&mysql).as_str(), StepKind::Instance, StepState::Todo),
            (id(&other).as_str(), StepKind::Instance, StepState::Conflict),
            (id(&web).as_str(), StepKind::Instance, StepState::Todo),
        ]
    );
    // The exact requests, documents as the seed's exact JSON strings.
    assert_eq!(p.steps[0].request.len(), 1);
    assert_eq!(p.steps[0].request[0].action, CloudAction::CreateRole);
    assert_eq!(
        p.steps[0].request[0].parameters,
        params(&[
            ("RoleName", "AppSnapshotRoleName"),
            ("AssumeRolePolicyDocument", ECS_TRUST)
        ])
    );
    assert_eq!(p.steps[1].request[0].action, CloudAction::CreatePolicy);
    assert_eq!(
        p.steps[1].request[0].parameters,
        params(&[
            ("PolicyName", "AppSnapshotPolicy"),
            ("PolicyDocument", SEED_POLICY)
        ])
    );
    assert_eq!(
        p.steps[2].request[0].parameters,
        params(&[
            ("PolicyType", "Custom"),
            ("PolicyName", "AppSnapshotPolicy"),
            ("RoleName", "AppSnapshotRoleName")
        ])
    );
    let ids = format!("[\"{}\"]", mysql.instance_id);
    assert_eq!(
        p.steps[3].request[0].action,
        CloudAction::AttachInstanceRamRole
    );
    assert_eq!(
        p.steps[3].request[0].parameters,
        params(&[
            ("RegionId", "cn-hangzhou"),
            ("RamRoleName", "AppSnapshotRoleName"),
            ("InstanceIds", &ids)
        ])
    );
    // The instance with another role offers three ways out and sends nothing unchosen.
    let conflict = &p.steps[4];
    let choices: Vec<InstanceResolution> = conflict.choices.iter().map(|c| c.resolution).collect();
    assert_eq!(
        choices,
        [
            InstanceResolution::Extend,
            InstanceResolution::Replace,
            InstanceResolution::Skip
        ]
    );
    assert!(conflict.request.is_empty());
    assert!(
        conflict.choices[1]
            .consequence
            .contains("loses its permissions"),
        "{}",
        conflict.choices[1].consequence
    );
    assert_eq!(
        conflict.choices[1].requests[0].action,
        CloudAction::DetachInstanceRamRole
    );
    assert_eq!(
        conflict.choices[0].requests[0].parameters["RoleName"],
        "OpsMonitoringRole"
    );

    let summary: Vec<(String, StepState, Option<String>)> = p
        .instances
        .iter()
        .map(|i| (i.region_id.clone(), i.state, i.current_role.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("cn-hangzhou".into(), StepState::Todo, None),
            (
                "cn-shanghai".into(),
                StepState::Conflict,
                Some("OpsMonitoringRole".into())
            ),
            ("ap-southeast-1".into(), StepState::Todo, None),
        ]
    );
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_makes_role_policy_attachment_and_instance_roles_and_a_rerun_writes_nothing() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let o = options(&sb, &["app-centos79-mysql", "sg-ubuntu2204-web"]);
    let (rep, events) = reporter(CancellationToken::new(), |_| {});
    let report = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert!(
        report.plan.steps.iter().all(|s| s.state == StepState::Done),
        "{:#?}",
        report.plan
    );
    assert!(report
        .plan
        .instances
        .iter()
        .all(|i| i.state == StepState::Done
            && i.current_role.as_deref() == Some("AppSnapshotRoleName")));

    // The sandbox's own state.
    let role = sb.role("AppSnapshotRoleName").await.expect("role exists");
    assert_eq!(role["trust_policy"], ECS_TRUST);
    assert_eq!(
        sb.role_policies("AppSnapshotRoleName").await,
        ["Custom:AppSnapshotPolicy"]
    );
    assert_eq!(
        sb.policy_document("AppSnapshotPolicy").await.as_deref(),
        Some(SEED_POLICY)
    );
    for name in ["app-centos79-mysql", "sg-ubuntu2204-web"] {
        let i = sb.instance(name);
        assert_eq!(
            sb.instance_role(&i.instance_id).await.as_deref(),
            Some("AppSnapshotRoleName"),
            "{name}"
        );
    }
    // Other instances are untouched.
    let untouched = sb.instance("bj-centos79-api");
    assert_eq!(sb.instance_role(&untouched.instance_id).await, None);

    let mysql = format!("instance:{}", sb.instance("app-centos79-mysql").instance_id);
    let web = format!("instance:{}", sb.instance("sg-ubuntu2204-web").instance_id);
    let names = event_names(&events.lock().unwrap());
    assert_eq!(
        names,
        vec![
            "planned:".to_string(),
            "stepStarted:role".into(),
            "stepDone:role".into(),
            "stepStarted:policy".into(),
            "stepDone:policy".into(),
            "stepStarted:attachment".into(),
            "stepDone:attachment".into(),
            format!("stepStarted:{mysql}"),
            format!("verifying:{mysql}"),
            format!("stepDone:{mysql}"),
            format!("stepStarted:{web}"),
            format!("verifying:{web}"),
            format!("stepDone:{web}"),
        ]
    );

    // Re-running the finished plan sends no write call at all.
    let before = sb.calls().await;
    let (rep, events) = reporter(CancellationToken::new(), |_| {});
    let again = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    let after = sb.calls().await;
    assert_eq!(
        Sandbox::writes_between(&before, &after),
        0,
        "{before:?} → {after:?}"
    );
    assert!(
        after.values().sum::<u64>() > before.values().sum::<u64>(),
        "it did read"
    );
    assert_eq!(event_names(&events.lock().unwrap()), ["planned:"]);
    assert!(again
        .plan
        .steps
        .iter()
        .all(|s| s.state == StepState::Done && s.request.is_empty()));
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_apply_stops_between_steps_and_the_next_plan_resumes() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let o = options(&sb, &["app-centos79-mysql"]);
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let (rep, _events) = reporter(cancel, move |e| {
        if matches!(e, RamApplyEvent::StepDone { step_id, .. } if step_id == "role") {
            stop.cancel();
        }
    });
    let err = apply(&admin, &o, &tuning(), &rep).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(sb.role("AppSnapshotRoleName").await.is_some());
    assert_eq!(
        sb.policy_document("AppSnapshotPolicy").await,
        None,
        "stopped before the policy"
    );
    assert_eq!(sb.calls().await.get("CreatePolicy"), None);

    let p = plan(&admin, &o).await.unwrap();
    let states: Vec<StepState> = p.steps.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            StepState::Done,
            StepState::Todo,
            StepState::Todo,
            StepState::Todo
        ]
    );

    let report = apply(&admin, &o, &tuning(), &Reporter::silent())
        .await
        .unwrap();
    assert!(report.plan.steps.iter().all(|s| s.state == StepState::Done));
    assert_eq!(
        sb.calls().await.get("CreateRole"),
        Some(&1),
        "the role was created once"
    );
    assert_eq!(
        sb.role_policies("AppSnapshotRoleName").await,
        ["Custom:AppSnapshotPolicy"]
    );
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_instance_or_one_in_another_region_is_refused_before_any_write() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let mysql = sb.instance("app-centos79-mysql");
    let mut o = options(&sb, &["app-centos79-mysql"]);
    o.instances.push(appsnap_core::ram::InstanceRef {
        instance_id: "i-doesnotexist0000000".into(),
        region_id: mysql.region_id.clone(),
    });
    // A real instance of cn-shanghai, asked for in cn-beijing.
    let elsewhere = sb.instance("other-role-alinux3");
    o.instances.push(appsnap_core::ram::InstanceRef {
        instance_id: elsewhere.instance_id.clone(),
        region_id: "cn-beijing".into(),
    });
    let before = sb.calls().await;
    let err = plan(&admin, &o).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(
        err.message,
        format!(
            "no such instance: {} in cn-beijing, i-doesnotexist0000000 in {} (check the instance ID and its region)",
            elsewhere.instance_id, mysql.region_id
        )
    );
    let err = apply(&admin, &o, &tuning(), &Reporter::silent())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(Sandbox::writes_between(&before, &sb.calls().await), 0);
}
