//! The RAM engine's pure parts: policy evaluation (wildcards, Deny, Condition), the
//! trust-policy check, the structured diff, input checks and the pinned plan JSON.

use std::collections::BTreeMap;

use appsnap_core::ram::{
    covers, diff, diff_documents, evaluate_policy, evaluate_trust, overlaps, snapshot_policy,
    CloudAction, CloudRequest, DiffChange, InstancePlan, InstanceRef, InstanceResolution, PlanStep,
    RamOptions, RamPlan, StepKind, StepState, SNAPSHOT_ACTIONS,
};
use appsnap_core::ErrorCode;
use serde_json::json;

fn policy(statements: serde_json::Value) -> String {
    json!({"Version": "1", "Statement": statements}).to_string()
}

fn granted(doc: &str) -> Vec<bool> {
    evaluate_policy(doc)
        .findings
        .iter()
        .map(|f| f.holds)
        .collect()
}

#[test]
fn the_seed_policy_grants_all_four_and_says_which_statement() {
    let e = evaluate_policy(&snapshot_policy());
    assert!(e.sufficient);
    let subjects: Vec<&str> = e.findings.iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(subjects, SNAPSHOT_ACTIONS);
    assert_eq!(e.findings[0].reason, "statement 1 allows it on \"*\"");
}

#[test]
fn wildcards_grant_when_they_cover_the_whole_pattern() {
    for broad in ["*", "ecs:*", "ECS:*", "*:*", "e*"] {
        let doc = policy(json!([{"Effect":"Allow","Action":broad,"Resource":"*"}]));
        assert_eq!(granted(&doc), [true; 4], "{broad}");
    }
    let doc = policy(json!([{"Effect":"Allow","Action":"ecs:*Snapshot*","Resource":"*"}]));
    assert_eq!(granted(&doc), [true, true, false, false]);
    // ecs:Describe* covers DescribeSnapshot* and DescribeDisks, not Create/Tag.
    let doc = policy(json!([{"Effect":"Allow","Action":["ecs:Describe*"],"Resource":["*"]}]));
    assert_eq!(granted(&doc), [true, false, false, true]);
    // One concrete action does not cover every action a pattern stands for.
    let doc = policy(
        json!([{"Effect":"Allow","Action":["ecs:DescribeSnapshots","ecs:CreateSnapshotGroup","ecs:tagresources","ecs:DescribeDisks"],"Resource":"*"}]),
    );
    let e = evaluate_policy(&doc);
    assert!(!e.sufficient);
    assert_eq!(granted(&doc), [false, false, true, true]);
    assert_eq!(
        e.findings[0].reason,
        "no statement allows all of it on Resource \"*\""
    );
}

#[test]
fn glob_cover_and_overlap() {
    assert!(covers("ecs:Describe*", "ecs:DescribeSnapshot*"));
    assert!(covers("ecs:DescribeSnapshot?", "ecs:DescribeSnapshots"));
    assert!(!covers("ecs:DescribeSnapshot?", "ecs:DescribeSnapshot*"));
    assert!(!covers("ecs:DescribeSnapshots", "ecs:DescribeSnapshot*"));
    assert!(!covers("ecs:Create*", "ecs:*"));
    assert!(covers("*", "*"));
    assert!(!covers("acs:ecs:*", "*"));
    assert!(overlaps("ecs:DescribeSnapshots", "ecs:DescribeSnapshot*"));
    assert!(overlaps("ecs:*Group", "ecs:CreateSnapshot*"));
    assert!(!overlaps("ecs:Delete*", "ecs:CreateSnapshot*"));
    assert!(!overlaps("ram:*", "ecs:*"));
}

#[test]
fn an_explicit_deny_wins_even_partly_and_under_a_condition() {
    let allow = json!({"Effect":"Allow","Action":"ecs:*","Resource":"*"});
    let deny = |action: &str, condition: serde_json::Value| json!({"Effect":"Deny","Action":action,"Resource":"acs:ecs:*:*:snapshot/*","Condition":condition});
    let doc = policy(json!([allow, deny("ecs:TagResources", json!({}))]));
    let e = evaluate_policy(&doc);
    assert_eq!(granted(&doc), [true, true, false, true]);
    assert_eq!(e.findings[2].reason, "statement 2 denies it");
    // Denying one action a pattern stands for breaks the whole pattern.
    let doc = policy(json!([allow, deny("ecs:CreateSnapshotGroup", json!({}))]));
    assert_eq!(granted(&doc), [true, false, true, true]);
    let doc = policy(json!([
        allow,
        deny("ecs:Describe*", json!({"Bool":{"acs:MFAPresent":"false"}}))
    ]));
    assert_eq!(granted(&doc), [false, true, true, false]);
    // Deny NotAction: everything but the list is denied.
    let doc =
        policy(json!([allow, {"Effect":"Deny","NotAction":["ecs:Describe*"],"Resource":"*"}]));
    assert_eq!(granted(&doc), [true, false, false, true]);
}

#[test]
fn a_conditional_or_resource_limited_allow_is_not_an_unconditional_grant() {
    let doc = policy(
        json!([{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]),
    );
    let e = evaluate_policy(&doc);
    assert!(!e.sufficient);
    assert_eq!(
        e.findings[0].reason,
        "statement 1 allows it only under a Condition"
    );
    let doc =
        policy(json!([{"Effect":"Allow","Action":"ecs:*","Resource":"acs:ecs:*:*:instance/*"}]));
    assert_eq!(granted(&doc), [false; 4]);
    let doc =
        policy(json!([{"Effect":"Allow","Action":"ecs:*","NotResource":"acs:ecs:*:*:disk/*"}]));
    assert_eq!(granted(&doc), [false; 4]);
    // Allow NotAction ram:* grants every ecs action.
    let doc = policy(json!({"Effect":"Allow","NotAction":"ram:*","Resource":"*"}));
    assert_eq!(granted(&doc), [true; 4]);
}

#[test]
fn an_unreadable_policy_grants_nothing_and_says_why() {
    let e = evaluate_policy("{\"Version\":\"1\"}");
    assert!(!e.sufficient);
    assert_eq!(e.findings.len(), 4);
    assert_eq!(
        e.findings[0].reason,
        "unreadable document: the document has no Statement"
    );
}

#[test]
fn trust_policy_must_let_the_ecs_service_assume_the_role() {
    let trust = |principal: serde_json::Value, extra: serde_json::Value| {
        let mut st = json!({"Action":"sts:AssumeRole","Effect":"Allow","Principal":principal});
        if let (Some(m), Some(e)) = (st.as_object_mut(), extra.as_object()) {
            m.extend(e.clone());
        }
        json!({"Statement":[st],"Version":"1"}).to_string()
    };
    let ok = evaluate_trust(&trust(json!({"Service":["ecs.aliyuncs.com"]}), json!({})));
    assert!(ok.sufficient);
    assert_eq!(ok.findings[0].subject, "sts:AssumeRole by ecs.aliyuncs.com");
    assert_eq!(ok.findings[0].reason, "statement 1 allows it");
    assert!(evaluate_trust(&trust(json!({"Service":"ECS.aliyuncs.com"}), json!({}))).sufficient);
    assert!(
        evaluate_trust(&trust(
            json!({"Service":["fc.aliyuncs.com","ecs.aliyuncs.com"]}),
            json!({"Action":"sts:*"})
        ))
        .sufficient
    );
    let account = evaluate_trust(&trust(
        json!({"RAM":["acs:ram::1688000000000001:root"]}),
        json!({}),
    ));
    assert!(!account.sufficient);
    assert_eq!(
        account.findings[0].reason,
        "no unconditional Allow of sts:AssumeRole names the service ecs.aliyuncs.com"
    );
    let conditional = trust(
        json!({"Service":["ecs.aliyuncs.com"]}),
        json!({"Condition":{"StringEquals":{"sts:ExternalId":"x"}}}),
    );
    assert!(!evaluate_trust(&conditional).sufficient);
    let denied = json!({"Statement":[
        {"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}},
        {"Action":"sts:*","Effect":"Deny","Principal":{"Service":["ecs.aliyuncs.com"]}}
    ],"Version":"1"});
    let e = evaluate_trust(&denied.to_string());
    assert!(!e.sufficient);
    assert_eq!(e.findings[0].reason, "statement 2 denies it");
    assert!(!evaluate_trust("[]").sufficient);
}

#[test]
fn diff_reports_paths_added_removed_changed() {
    let expected = json!({"Version":"1","Statement":[{"Effect":"Allow","Action":["a","b"],"Resource":["*"],"Condition":{}}]});
    let actual = json!({"Statement":[{"Effect":"Allow","Action":["a","c","d"],"Resource":"*"}],"Version":"1","Extra":true});
    let changes = diff(&expected, &actual);
    let summary: Vec<(String, DiffChange)> =
        changes.iter().map(|c| (c.path.clone(), c.change)).collect();
    assert_eq!(
        summary,
        vec![
            ("$.Statement[0].Action[1]".to_string(), DiffChange::Changed),
            ("$.Statement[0].Action[2]".to_string(), DiffChange::Added),
            ("$.Statement[0].Condition".to_string(), DiffChange::Removed),
            ("$.Statement[0].Resource".to_string(), DiffChange::Changed),
            ("$.Extra".to_string(), DiffChange::Added),
        ]
    );
    assert_eq!(changes[0].expected, Some(json!("b")));
    assert_eq!(changes[0].actual, Some(json!("c")));
    assert_eq!(changes[2].actual, None);
    // Key order and whitespace do not matter; "not JSON" differs as a whole.
    assert!(diff_documents(r#"{"a":1,"b":[1]}"#, "{ \"b\": [1], \"a\": 1 }").is_none());
    let d = diff_documents(r#"{"a":1}"#, "not json").unwrap();
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].path, "$");
    assert_eq!(d.actual, "not json");
    assert_eq!(
        diff(&json!({"odd key":1}), &json!({}))[0].path,
        r#"$["odd key"]"#
    );
}

#[test]
fn options_default_to_the_seeds_names_and_reject_bad_input() {
    let o: RamOptions = serde_json::from_str("{}").unwrap();
    assert_eq!(o.role_name, "AppSnapshotRoleName");
    assert_eq!(o.policy_name, "AppSnapshotPolicy");
    assert!(o.validate().is_ok());
    let inst = |id: &str, region: &str| InstanceRef {
        instance_id: id.into(),
        region_id: region.into(),
    };
    let bad = |f: &dyn Fn(&mut RamOptions)| {
        let mut o = RamOptions::default();
        f(&mut o);
        let e = o.validate().unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        e.message
    };
    assert_eq!(
        bad(&|o| o.role_name = "has space".into()),
        "the role name 'has space' must be 1-64 characters: letters, digits and '.' '-'"
    );
    assert!(bad(&|o| o.role_name = "r".repeat(65)).contains("1-64"));
    assert!(bad(&|o| o.policy_name = "App.Policy".into()).contains("policy name"));
    assert!(bad(&|o| o.policy_name = String::new()).contains("1-128"));
    assert_eq!(
        bad(&|o| o.instances = vec![inst("i-1", "cn-hangzhou"), inst("i-1", "cn-shanghai")]),
        "instance i-1 is listed twice"
    );
    assert!(bad(&|o| o.instances = vec![inst("i-1;x", "cn-hangzhou")]).contains("instance id"));
    assert!(bad(&|o| o.instances = vec![inst("i-1", "")]).contains("region id"));
    assert!(bad(&|o| {
        o.resolutions.insert("i-9".into(), InstanceResolution::Skip);
    })
    .contains("i-9"));
}

#[test]
fn the_plan_json_is_the_pinned_cli_shape() {
    let plan = RamPlan {
        steps: vec![
            PlanStep {
                id: "role".into(),
                kind: StepKind::Role,
                target: "AppSnapshotRoleName".into(),
                state: StepState::Todo,
                detail: "d".into(),
                request: vec![CloudRequest {
                    action: CloudAction::CreateRole,
                    parameters: BTreeMap::from([("RoleName".into(), "AppSnapshotRoleName".into())]),
                }],
                diff: None,
                evaluation: None,
                blocker: None,
                choices: vec![],
                resolution: None,
            },
            PlanStep {
                id: "instance:i-1".into(),
                kind: StepKind::Instance,
                target: "i-1".into(),
                state: StepState::Conflict,
                detail: "x".into(),
                request: vec![],
                diff: None,
                evaluation: None,
                blocker: None,
                choices: vec![],
                resolution: Some(InstanceResolution::Skip),
            },
        ],
        instances: vec![InstancePlan {
            instance_id: "i-1".into(),
            region_id: "cn-shanghai".into(),
            state: StepState::Conflict,
            current_role: Some("OpsMonitoringRole".into()),
        }],
    };
    let v = serde_json::to_value(&plan).unwrap();
    assert_eq!(
        v,
        json!({
            "steps": [
                {"id": "role", "kind": "role", "target": "AppSnapshotRoleName", "state": "todo", "detail": "d",
                 "request": [{"action": "CreateRole", "parameters": {"RoleName": "AppSnapshotRoleName"}}]},
                {"id": "instance:i-1", "kind": "instance", "target": "i-1", "state": "conflict", "detail": "x",
                 "request": [], "resolution": "skip"}
            ],
            "instances": [{"instanceId": "i-1", "regionId": "cn-shanghai", "state": "conflict", "currentRole": "OpsMonitoringRole"}]
        })
    );
    // The first six keys of a step come first and in the pinned order.
    let text = serde_json::to_string(&plan.steps[1]).unwrap();
    let keys: Vec<&str> = [
        "\"id\"",
        "\"kind\"",
        "\"target\"",
        "\"state\"",
        "\"detail\"",
        "\"request\"",
        "\"resolution\"",
    ]
    .into_iter()
    .collect();
    let positions: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    let back: RamPlan = serde_json::from_value(v).unwrap();
    assert_eq!(back, plan);
}
