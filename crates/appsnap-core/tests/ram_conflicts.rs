//! Conflicts against the sandbox: an existing policy or role with another document
//! (never overwritten; "use it anyway" only when evaluation proves it), the instance that
//! holds another role (extend / replace / skip), and things that appear mid-apply.

mod ram_support;

use acs_openapi::actions::ram::CreateRoleRequest;
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::{
    apply, plan, DiffChange, InstanceResolution, RamApplyEvent, RamOptions, StepState,
};
use appsnap_core::ErrorCode;
use ram_support::{
    client_for, event_names, meanwhile, reporter, tuning, Sandbox, ECS_TRUST, SEED_POLICY,
};

const NARROW: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeDisks","ecs:DescribeSnapshots"],"Resource":["*"],"Condition":{}}]}"#;
const BROAD: &str =
    r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}"#;
const ACCOUNT_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::1688000000000001:root"]}}],"Version":"1"}"#;
const ECS_AND_ACCOUNT_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"],"RAM":["acs:ram::1688000000000001:root"]}}],"Version":"1"}"#;

fn create_role(name: &str, trust: &str) -> CreateRoleRequest {
    CreateRoleRequest {
        role_name: name.into(),
        assume_role_policy_document: trust.into(),
        ..CreateRoleRequest::default()
    }
}

fn state_of(p: &appsnap_core::ram::RamPlan, id: &str) -> StepState {
    p.steps.iter().find(|s| s.id == id).unwrap().state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_with_another_document_is_a_conflict_and_is_never_changed() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    admin
        .create_policy("AppSnapshotPolicy", NARROW, None)
        .await
        .unwrap();
    let o = RamOptions::default();
    let p = plan(&admin, &o).await.unwrap();
    let step = &p.steps[1];
    assert_eq!(step.state, StepState::Conflict);
    assert!(step.request.is_empty(), "nothing is sent for a conflict");
    let diff = step.diff.as_ref().unwrap();
    assert_eq!(diff.expected, SEED_POLICY);
    assert_eq!(diff.actual, NARROW);
    let paths: Vec<(&str, DiffChange)> = diff
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.change))
        .collect();
    assert_eq!(
        paths,
        [
            ("$.Statement[0].Action[0]", DiffChange::Changed),
            ("$.Statement[0].Action[1]", DiffChange::Changed),
            ("$.Statement[0].Action[2]", DiffChange::Removed),
            ("$.Statement[0].Action[3]", DiffChange::Removed),
        ]
    );
    let eval = step.evaluation.as_ref().unwrap();
    assert!(!eval.sufficient);
    let holds: Vec<bool> = eval.findings.iter().map(|f| f.holds).collect();
    assert_eq!(holds, [false, false, false, true]);
    assert!(step.detail.contains("never overwrites"), "{}", step.detail);

    let (rep, events) = reporter(CancellationToken::new(), |_| {});
    let report = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    assert_eq!(
        sb.policy_document("AppSnapshotPolicy").await.as_deref(),
        Some(NARROW)
    );
    let calls = sb.calls().await;
    assert_eq!(calls.get("CreatePolicy"), Some(&1), "only the test's own");
    assert_eq!(calls.get("AttachPolicyToRole"), None);
    assert!(
        sb.role("AppSnapshotRoleName").await.is_some(),
        "independent steps still ran"
    );
    assert_eq!(state_of(&report.plan, "policy"), StepState::Conflict);
    assert_eq!(state_of(&report.plan, "attachment"), StepState::Todo);
    assert!(event_names(&events.lock().unwrap()).contains(&"stepSkipped:attachment".to_string()));

    // "Use it anyway" is refused for a policy that lacks actions.
    let anyway = RamOptions {
        use_existing_policy: true,
        ..RamOptions::default()
    };
    let p = plan(&admin, &anyway).await.unwrap();
    assert_eq!(p.steps[1].state, StepState::Conflict);
    assert!(
        p.steps[1].detail.starts_with(
            "Refused to use Custom policy AppSnapshotPolicy anyway: ecs:DescribeSnapshot*"
        ),
        "{}",
        p.steps[1].detail
    );
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broader_policy_is_used_anyway_and_attached_unchanged() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    admin
        .create_policy("AppSnapshotPolicy", BROAD, None)
        .await
        .unwrap();
    let plain = plan(&admin, &RamOptions::default()).await.unwrap();
    assert_eq!(plain.steps[1].state, StepState::Conflict);
    assert!(
        plain.steps[1].detail.contains("would be accepted"),
        "{}",
        plain.steps[1].detail
    );
    let o = RamOptions {
        use_existing_policy: true,
        ..RamOptions::default()
    };
    let p = plan(&admin, &o).await.unwrap();
    assert_eq!(p.steps[1].state, StepState::Done);
    assert!(p.steps[1].evaluation.as_ref().unwrap().sufficient);
    let report = apply(&admin, &o, &tuning(), &Reporter::silent())
        .await
        .unwrap();
    assert!(report.plan.steps.iter().all(|s| s.state == StepState::Done));
    assert_eq!(
        sb.policy_document("AppSnapshotPolicy").await.as_deref(),
        Some(BROAD)
    );
    assert_eq!(
        sb.role_policies("AppSnapshotRoleName").await,
        ["Custom:AppSnapshotPolicy"]
    );
    assert_eq!(sb.calls().await.get("CreatePolicy"), Some(&1));
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_role_is_used_anyway_only_if_it_trusts_ecs_or_other_names_are_taken() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    admin
        .create_role(&create_role("AppSnapshotRoleName", ACCOUNT_TRUST))
        .await
        .unwrap();
    admin
        .create_role(&create_role("SharedEcsRole", ECS_AND_ACCOUNT_TRUST))
        .await
        .unwrap();

    let anyway = RamOptions {
        use_existing_role: true,
        ..RamOptions::default()
    };
    let p = plan(&admin, &anyway).await.unwrap();
    assert_eq!(p.steps[0].state, StepState::Conflict);
    assert_eq!(
        p.steps[0].detail,
        "Refused to use Role AppSnapshotRoleName anyway: sts:AssumeRole by ecs.aliyuncs.com: no unconditional Allow of sts:AssumeRole names the service ecs.aliyuncs.com. Choose another name."
    );
    let changes: Vec<(&str, DiffChange)> = p.steps[0]
        .diff
        .as_ref()
        .unwrap()
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.change))
        .collect();
    assert_eq!(
        changes,
        [
            ("$.Statement[0].Principal.Service", DiffChange::Removed),
            ("$.Statement[0].Principal.RAM", DiffChange::Added)
        ]
    );
    // Nothing depends on a role in conflict: the attachment waits.
    assert_eq!(p.steps[2].state, StepState::Todo);
    assert!(
        p.steps[2]
            .detail
            .contains("Waits until the conflict above is resolved"),
        "{}",
        p.steps[2].detail
    );

    let shared = RamOptions {
        role_name: "SharedEcsRole".into(),
        use_existing_role: true,
        ..RamOptions::default()
    };
    let report = apply(&admin, &shared, &tuning(), &Reporter::silent())
        .await
        .unwrap();
    assert!(
        report.plan.steps.iter().all(|s| s.state == StepState::Done),
        "{:#?}",
        report.plan.steps
    );
    assert_eq!(
        sb.role("SharedEcsRole").await.unwrap()["trust_policy"],
        ECS_AND_ACCOUNT_TRUST
    );
    assert_eq!(
        sb.role_policies("SharedEcsRole").await,
        ["Custom:AppSnapshotPolicy"]
    );

    let other = RamOptions {
        role_name: "AppSnapRole2".into(),
        ..RamOptions::default()
    };
    let report = apply(&admin, &other, &tuning(), &Reporter::silent())
        .await
        .unwrap();
    assert!(report.plan.steps.iter().all(|s| s.state == StepState::Done));
    assert_eq!(
        sb.role("AppSnapRole2").await.unwrap()["trust_policy"],
        ECS_TRUST
    );
    assert_eq!(
        sb.role("AppSnapshotRoleName").await.unwrap()["trust_policy"],
        ACCOUNT_TRUST,
        "never overwritten"
    );
    assert_eq!(
        sb.calls().await.get("CreateRole"),
        Some(&3),
        "two by the test, one by apply"
    );
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_instance_with_another_role_can_be_extended_replaced_or_skipped() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let other = sb.instance("other-role-alinux3");
    let id = other.instance_id.clone();
    let step_id = format!("instance:{id}");
    let with = |r: Option<InstanceResolution>, per_instance: bool| {
        let mut o = RamOptions {
            instances: vec![other.clone()],
            ..RamOptions::default()
        };
        match (r, per_instance) {
            (Some(r), true) => {
                o.resolutions.insert(id.clone(), r);
            }
            (r, _) => o.on_conflict = r,
        }
        o
    };

    // Extend (as the default for conflicts): our policy goes onto their role.
    let o = with(Some(InstanceResolution::Extend), false);
    let p = plan(&admin, &o).await.unwrap();
    assert_eq!(p.steps[3].resolution, Some(InstanceResolution::Extend));
    assert_eq!(
        p.steps[3].request[0].parameters["RoleName"],
        "OpsMonitoringRole"
    );
    let report = apply(&admin, &o, &tuning(), &Reporter::silent())
        .await
        .unwrap();
    assert_eq!(state_of(&report.plan, &step_id), StepState::Done);
    assert!(
        report.plan.steps[3].detail.contains("(extended)"),
        "{}",
        report.plan.steps[3].detail
    );
    assert_eq!(
        sb.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert_eq!(
        sb.role_policies("OpsMonitoringRole").await,
        ["Custom:OpsMonitoringPolicy", "Custom:AppSnapshotPolicy"]
    );
    assert_eq!(sb.calls().await.get("DetachInstanceRamRole"), None);

    // Replace (chosen for this instance): theirs detached, ours attached, their role untouched.
    sb.reset().await;
    let o = with(Some(InstanceResolution::Replace), true);
    let p = plan(&admin, &o).await.unwrap();
    assert!(
        p.steps[3].detail.contains("Chosen: replace"),
        "{}",
        p.steps[3].detail
    );
    let (rep, events) = reporter(CancellationToken::new(), |_| {});
    let report = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    let names = event_names(&events.lock().unwrap());
    assert_eq!(
        names[names.len() - 3..],
        [
            format!("stepStarted:{step_id}"),
            format!("verifying:{step_id}"),
            format!("stepDone:{step_id}")
        ]
    );
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(state_of(&report.plan, &step_id), StepState::Done);
    assert_eq!(
        sb.instance_role(&id).await.as_deref(),
        Some("AppSnapshotRoleName")
    );
    assert_eq!(
        sb.role_policies("OpsMonitoringRole").await,
        ["Custom:OpsMonitoringPolicy"]
    );
    assert_eq!(
        report.plan.instances[0].current_role.as_deref(),
        Some("AppSnapshotRoleName")
    );

    // Skip: nothing is sent for the instance; it stays a conflict.
    sb.reset().await;
    let o = with(Some(InstanceResolution::Skip), true);
    let (rep, events) = reporter(CancellationToken::new(), |_| {});
    let report = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    assert_eq!(state_of(&report.plan, &step_id), StepState::Conflict);
    assert_eq!(
        report.plan.steps[3].resolution,
        Some(InstanceResolution::Skip)
    );
    assert_eq!(
        sb.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert_eq!(
        sb.role_policies("OpsMonitoringRole").await,
        ["Custom:OpsMonitoringPolicy"]
    );
    let calls = sb.calls().await;
    assert_eq!(
        (
            calls.get("AttachInstanceRamRole"),
            calls.get("DetachInstanceRamRole")
        ),
        (None, None)
    );
    assert!(event_names(&events.lock().unwrap()).contains(&format!("stepSkipped:{step_id}")));

    // No choice: the conflict is shown and left alone.
    let report = apply(&admin, &with(None, false), &tuning(), &Reporter::silent())
        .await
        .unwrap();
    assert_eq!(report.plan.steps[3].resolution, None);
    assert_eq!(state_of(&report.plan, &step_id), StepState::Conflict);
    assert_eq!(
        sb.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_created_by_someone_else_mid_apply_is_compared_not_overwritten() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    for (theirs, expect) in [
        (ECS_TRUST, StepState::Done),
        (ACCOUNT_TRUST, StepState::Conflict),
    ] {
        sb.reset().await;
        let endpoint = sb.endpoint().to_owned();
        let (rep, events) = reporter(CancellationToken::new(), move |e| {
            if matches!(e, RamApplyEvent::StepStarted { step_id } if step_id == "role") {
                let endpoint = endpoint.clone();
                meanwhile(move || async move {
                    client_for(&endpoint, "admin")
                        .create_role(&create_role("AppSnapshotRoleName", theirs))
                        .await
                        .unwrap();
                });
            }
        });
        let report = apply(&admin, &RamOptions::default(), &tuning(), &rep)
            .await
            .unwrap();
        assert_eq!(
            sb.calls().await.get("CreateRole"),
            Some(&2),
            "theirs, then ours answered EntityAlreadyExists.Role"
        );
        assert_eq!(
            sb.role("AppSnapshotRoleName").await.unwrap()["trust_policy"],
            theirs
        );
        assert_eq!(state_of(&report.plan, "role"), expect);
        let names = event_names(&events.lock().unwrap());
        let role_end = if expect == StepState::Done {
            "stepDone:role"
        } else {
            "stepConflict:role"
        };
        assert!(names.contains(&role_end.to_string()), "{names:?}");
    }
    sb.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_per_instance_failure_inside_a_200_reply_is_that_instances_result() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let mysql = sb.instance("app-centos79-mysql");
    let web = sb.instance("sg-ubuntu2204-web");
    let o = RamOptions {
        instances: vec![mysql.clone(), web.clone()],
        ..RamOptions::default()
    };
    let (endpoint, target) = (sb.endpoint().to_owned(), mysql.clone());
    let (rep, _) = reporter(CancellationToken::new(), move |e| {
        if matches!(e, RamApplyEvent::StepStarted { step_id } if *step_id == format!("instance:{}", target.instance_id))
        {
            let (endpoint, target) = (endpoint.clone(), target.clone());
            meanwhile(move || async move {
                client_for(&endpoint, "admin")
                    .attach_instance_ram_role(
                        &target.region_id,
                        "OpsMonitoringRole",
                        std::slice::from_ref(&target.instance_id),
                        None,
                    )
                    .await
                    .unwrap();
            });
        }
    });
    let report = apply(&admin, &o, &tuning(), &rep).await.unwrap();
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    let f = &report.failures[0];
    assert_eq!(f.step_id, format!("instance:{}", mysql.instance_id));
    assert_eq!(f.error.code, ErrorCode::Cloud);
    assert!(
        f.error.message.contains("Sandbox.InstanceRamRoleConflict"),
        "{}",
        f.error.message
    );
    assert!(f.error.request_id.is_some());
    // The other instance still went through; the failed one now shows the conflict.
    assert_eq!(
        sb.instance_role(&web.instance_id).await.as_deref(),
        Some("AppSnapshotRoleName")
    );
    assert_eq!(
        sb.instance_role(&mysql.instance_id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert_eq!(report.plan.instances[0].state, StepState::Conflict);
    assert_eq!(
        report.plan.instances[0].current_role.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert_eq!(report.plan.instances[1].state, StepState::Done);
    sb.running.shutdown().await;
}
