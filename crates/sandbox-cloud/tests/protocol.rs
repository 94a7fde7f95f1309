//! Protocol behaviour over real HTTP: signature styles, error shapes, permissions, STS,
//! faults, idempotency, pagination, state machines and the control API.

mod support;

use base64::Engine as _;
use serde_json::json;
use support::{control, raw, step, Client, Style, ADMIN, ECS, OPERATOR, RAM, READ_ONLY, STS};

#[tokio::test]
async fn all_three_signature_styles_work_and_spaces_survive() {
    let sb = support::sandbox().await;
    for style in [Style::V1Get, Style::V1Form, Style::V3] {
        let c = Client::new(&sb, ADMIN).with_style(style);
        let name = format!("probe run {style:?} a+b*c~");
        let r = c
            .ok(
                "CreateCommand",
                ECS,
                &[
                    ("RegionId", "cn-hangzhou"),
                    ("Name", &name),
                    ("Type", "RunShellScript"),
                    (
                        "CommandContent",
                        &base64::engine::general_purpose::STANDARD.encode("echo hi there"),
                    ),
                ],
            )
            .await;
        let id = r["CommandId"].as_str().unwrap();
        let d = c
            .ok(
                "DescribeCommands",
                ECS,
                &[
                    ("RegionId", "cn-hangzhou"),
                    ("CommandId", id),
                    ("ContentEncoding", "PlainText"),
                ],
            )
            .await;
        assert_eq!(
            d["Commands"]["Command"][0]["Name"],
            name.as_str(),
            "{style:?}"
        );
        assert_eq!(
            d["Commands"]["Command"][0]["CommandContent"],
            "echo hi there"
        );
        let who = c.ok("GetCallerIdentity", STS, &[]).await;
        assert_eq!(who["IdentityType"], "RAMUser");
        assert_eq!(who["AccountId"], "1688000000000001");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn errors_have_alibabas_shape_and_statuses() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let (s, b) = c
        .err(
            "RunInstances",
            ECS,
            &[("RegionId", "cn-hangzhou")],
            "UnsupportedOperation",
        )
        .await;
    assert_eq!(s, 400);
    for k in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(b[k].is_string(), "{k} in {b}");
    }
    assert_eq!(b["HostId"], "ecs.aliyuncs.com");
    c.err("DescribeRegions", "2099-01-01", &[], "InvalidVersion")
        .await;
    c.err("DescribeInstances", ECS, &[], "MissingParameter")
        .await;
    let (s, _) = c
        .err(
            "DescribeInstances",
            ECS,
            &[("RegionId", "mars-north-1")],
            "InvalidRegionId.NotFound",
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = c
        .err(
            "StopInstance",
            ECS,
            &[("RegionId", "cn-hangzhou"), ("InstanceId", "i-nope")],
            "InvalidInstanceId.NotFound",
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = c
        .err(
            "GetRole",
            RAM,
            &[("RoleName", "Nope")],
            "EntityNotExist.Role",
        )
        .await;
    assert_eq!(s, 404);
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
    let role = [("RoleName", "Twice"), ("AssumeRolePolicyDocument", trust)];
    c.ok("CreateRole", RAM, &role).await;
    let (s, _) = c
        .err("CreateRole", RAM, &role, "EntityAlreadyExists.Role")
        .await;
    assert_eq!(s, 409);
    let policy = [
        ("PolicyName", "Twice"),
        ("PolicyDocument", r#"{"Version":"1","Statement":[]}"#),
    ];
    c.ok("CreatePolicy", RAM, &policy).await;
    let (s, _) = c
        .err("CreatePolicy", RAM, &policy, "EntityAlreadyExists.Policy")
        .await;
    assert_eq!(s, 409);
    // A malformed number is refused, not replaced by the default.
    c.err(
        "RunCommand",
        ECS,
        &[
            ("RegionId", "cn-hangzhou"),
            ("Type", "RunShellScript"),
            ("CommandContent", "echo"),
            ("InstanceId.1", "i-x"),
            ("Timeout", "soon"),
        ],
        "InvalidParameter.Timeout",
    )
    .await;
    c.err(
        "SendFile",
        ECS,
        &[
            ("RegionId", "cn-hangzhou"),
            ("InstanceId.1", "i-x"),
            ("Name", "a.sh"),
            ("TargetDir", "/tmp"),
            ("Content", "x"),
            ("Timeout", "soon"),
        ],
        "InvalidParameter.Timeout",
    )
    .await;
    let bad = Client {
        secret: "wrong".into(),
        ..c.clone()
    };
    let (s, b) = bad
        .err("DescribeRegions", ECS, &[], "SignatureDoesNotMatch")
        .await;
    assert_eq!(s, 400);
    assert!(b["Message"]
        .as_str()
        .unwrap()
        .contains("GET&%2F&AccessKeyId%3D"));
    let unknown = Client {
        key: "LTAI-nobody".into(),
        ..c.clone()
    };
    let (s, _) = unknown
        .err("DescribeRegions", ECS, &[], "InvalidAccessKeyId.NotFound")
        .await;
    assert_eq!(s, 404);
    // The same request twice: the nonce was used.
    let req = c.build("DescribeRegions", ECS, &[]);
    assert_eq!(raw(sb.local_addr(), &req).await.unwrap().status, 200);
    assert_eq!(
        raw(sb.local_addr(), &req).await.unwrap().json()["Code"],
        "SignatureNonceUsed"
    );
    // RPC v1 without Format=JSON answers XML.
    let r = raw(
        sb.local_addr(),
        &c.build("DescribeRegions", ECS, &[("Format", "XML")]),
    )
    .await
    .unwrap();
    let xml = r.text();
    assert!(
        xml.contains("<DescribeRegionsResponse><Regions><Region>"),
        "{xml}"
    );
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("text/xml")));
    sb.shutdown().await;
}

#[tokio::test]
async fn accounts_of_different_power() {
    let sb = support::sandbox().await;
    let op = Client::new(&sb, OPERATOR);
    let ro = Client::new(&sb, READ_ONLY);
    op.ok("DescribeInstances", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    let (s, _) = op
        .err(
            "GetRole",
            RAM,
            &[("RoleName", "AppSnapshotRoleName")],
            "NoPermission",
        )
        .await;
    assert_eq!(s, 403);
    op.err(
        "CreateRole",
        RAM,
        &[("RoleName", "X"), ("AssumeRolePolicyDocument", "{}")],
        "NoPermission",
    )
    .await;
    op.err(
        "AttachInstanceRamRole",
        ECS,
        &[
            ("RegionId", "cn-hangzhou"),
            ("RamRoleName", "R"),
            ("InstanceIds", "[\"i-x\"]"),
        ],
        "InvalidUser.PassRoleForbidden",
    )
    .await;
    ro.ok("DescribeDisks", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    ro.ok("GetCallerIdentity", STS, &[]).await;
    let (s, _) = ro
        .err(
            "RunCommand",
            ECS,
            &[
                ("RegionId", "cn-hangzhou"),
                ("Type", "RunShellScript"),
                ("CommandContent", "x"),
                ("InstanceId.1", "i-x"),
            ],
            "Forbidden.RAM",
        )
        .await;
    assert_eq!(s, 403);
    ro.err(
        "CreatePolicy",
        RAM,
        &[("PolicyName", "P"), ("PolicyDocument", "{}")],
        "NoPermission",
    )
    .await;
    sb.shutdown().await;
}

#[tokio::test]
async fn assumed_role_sessions_act_with_the_roles_policies_until_they_expire() {
    let sb = support::sandbox().await;
    let admin = Client::new(&sb, ADMIN);
    let trust = json!({"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::1688000000000001:root"]}}],"Version":"1"}).to_string();
    let role = admin
        .ok(
            "CreateRole",
            RAM,
            &[
                ("RoleName", "AppSnapOperator"),
                ("AssumeRolePolicyDocument", &trust),
            ],
        )
        .await;
    assert_eq!(
        role["Role"]["Arn"],
        "acs:ram::1688000000000001:role/appsnapoperator"
    );
    admin
        .ok(
            "AttachPolicyToRole",
            RAM,
            &[
                ("PolicyType", "System"),
                ("PolicyName", "AliyunECSReadOnlyAccess"),
                ("RoleName", "AppSnapOperator"),
            ],
        )
        .await;
    let lp = admin
        .ok(
            "ListPoliciesForRole",
            RAM,
            &[("RoleName", "AppSnapOperator")],
        )
        .await;
    assert_eq!(lp["Policies"]["Policy"][0]["PolicyType"], "System");
    admin
        .err(
            "AttachPolicyToRole",
            RAM,
            &[
                ("PolicyType", "System"),
                ("PolicyName", "AliyunECSReadOnlyAccess"),
                ("RoleName", "AppSnapOperator"),
            ],
            "EntityAlreadyExists.Role.Policy",
        )
        .await;
    admin
        .err(
            "AssumeRole",
            STS,
            &[
                ("RoleArn", "acs:ram::1688000000000001:role/Missing"),
                ("RoleSessionName", "s1"),
            ],
            "EntityNotExist.Role",
        )
        .await;
    admin
        .err(
            "AssumeRole",
            STS,
            &[
                ("RoleArn", "acs:ram::1688000000000001:role/appsnapoperator"),
                ("RoleSessionName", "x"),
            ],
            "InvalidParameter.RoleSessionName",
        )
        .await;
    let r = admin
        .ok(
            "AssumeRole",
            STS,
            &[
                ("RoleArn", "acs:ram::1688000000000001:role/appsnapoperator"),
                ("RoleSessionName", "appsnap-test"),
                ("DurationSeconds", "900"),
            ],
        )
        .await;
    let cred = &r["Credentials"];
    assert!(cred["AccessKeyId"].as_str().unwrap().starts_with("STS."));
    for style in [Style::V1Get, Style::V3] {
        let sts = Client {
            key: cred["AccessKeyId"].as_str().unwrap().into(),
            secret: cred["AccessKeySecret"].as_str().unwrap().into(),
            token: Some(cred["SecurityToken"].as_str().unwrap().into()),
            ..Client::new(&sb, ADMIN)
        }
        .with_style(style);
        let who = sts.ok("GetCallerIdentity", STS, &[]).await;
        assert_eq!(who["IdentityType"], "AssumedRoleUser");
        sts.ok("DescribeInstances", ECS, &[("RegionId", "cn-hangzhou")])
            .await;
        sts.err(
            "StopInstance",
            ECS,
            &[("RegionId", "cn-hangzhou"), ("InstanceId", "i-x")],
            "Forbidden.RAM",
        )
        .await;
        let wrong = Client {
            token: Some("CAISwrong".into()),
            ..sts.clone()
        };
        wrong
            .err(
                "DescribeRegions",
                ECS,
                &[],
                "InvalidSecurityToken.MismatchWithAccessKey",
            )
            .await;
        let none = Client {
            token: None,
            ..sts.clone()
        };
        none.err("DescribeRegions", ECS, &[], "MissingSecurityToken")
            .await;
    }
    step(sb.local_addr(), 901.0).await;
    let sts = Client {
        key: cred["AccessKeyId"].as_str().unwrap().into(),
        secret: cred["AccessKeySecret"].as_str().unwrap().into(),
        token: Some(cred["SecurityToken"].as_str().unwrap().into()),
        ..Client::new(&sb, ADMIN)
    };
    sts.err("DescribeRegions", ECS, &[], "InvalidSecurityToken.Expired")
        .await;
    sb.shutdown().await;
}

#[tokio::test]
async fn faults_throttle_fail_and_drop_and_client_tokens_make_retries_safe() {
    let sb = support::sandbox().await;
    let a = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeRegions", "throttle_next": 1})),
    )
    .await;
    assert_eq!(s, 200);
    let r = raw(a, &c.build("DescribeRegions", ECS, &[])).await.unwrap();
    assert_eq!(
        (r.status, r.json()["Code"].as_str().unwrap()),
        (400, "Throttling.User")
    );
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "x-ratelimit-user-api" && v.contains("TimeLeft:")));
    c.ok("DescribeRegions", ECS, &[]).await;
    control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "*", "error_next": 1, "error_status": 500})),
    )
    .await;
    let (s, _) = c.err("DescribeRegions", ECS, &[], "InternalError").await;
    assert_eq!(s, 500);
    control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeRegions", "drop_next": 1})),
    )
    .await;
    assert!(raw(a, &c.build("DescribeRegions", ECS, &[])).await.is_err());
    // Ratios: 1 hits every call of that action, and only that action.
    let (_, t) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeDisks", "throttle_ratio": 1.0})),
    )
    .await;
    let (_, e) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeSnapshots", "error_ratio": 1.0})),
    )
    .await;
    for _ in 0..3 {
        c.err(
            "DescribeDisks",
            ECS,
            &[("RegionId", "cn-hangzhou")],
            "Throttling.User",
        )
        .await;
        let (s, _) = c
            .err(
                "DescribeSnapshots",
                ECS,
                &[("RegionId", "cn-hangzhou")],
                "ServiceUnavailable",
            )
            .await;
        assert_eq!(s, 503);
    }
    c.ok("DescribeRegions", ECS, &[]).await;
    for id in [&t["id"], &e["id"]] {
        let (s, _) = control(a, "DELETE", &format!("/_sandbox/faults/{id}"), None).await;
        assert_eq!(s, 200);
    }
    c.ok("DescribeDisks", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    // A spec that would do something else than asked is refused.
    for bad in [
        json!({"action": "*", "throttle_ratio": 1.5}),
        json!({"action": "*", "error_next": 1, "error_status": 404}),
        json!({"throttle_next": 1}),
        json!({"action": "*", "latency": 5}),
    ] {
        let (s, b) = control(a, "POST", "/_sandbox/faults", Some(bad.clone())).await;
        assert_eq!(s, 400, "{bad} -> {b}");
        assert!(b["error"].is_string());
    }
    // The create is applied, the answer is lost; the retry with the same token gets the same ids.
    let (_, f) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "RunCommand", "drop_after_apply_next": 1})),
    )
    .await;
    let id = c.instance_id("cn-hangzhou", "app-centos79-mysql").await;
    let params = [
        ("RegionId", "cn-hangzhou"),
        ("Type", "RunShellScript"),
        ("CommandContent", "echo"),
        ("InstanceId.1", id.as_str()),
        ("ClientToken", "tok-123"),
    ];
    assert!(raw(a, &c.build("RunCommand", ECS, &params)).await.is_err());
    let first = c.ok("RunCommand", ECS, &params).await;
    let again = c.ok("RunCommand", ECS, &params).await;
    assert_eq!(first["InvokeId"], again["InvokeId"]);
    assert_ne!(first["RequestId"], again["RequestId"]);
    let inv = c
        .ok("DescribeInvocations", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    assert_eq!(inv["TotalCount"], 1);
    let changed = [
        ("RegionId", "cn-hangzhou"),
        ("Type", "RunShellScript"),
        ("CommandContent", "echo 2"),
        ("InstanceId.1", id.as_str()),
        ("ClientToken", "tok-123"),
    ];
    c.err("RunCommand", ECS, &changed, "IdempotentParameterMismatch")
        .await;
    let (_, list) = control(a, "GET", "/_sandbox/faults", None).await;
    assert_eq!(list["faults"].as_array().unwrap().len(), 4);
    let (s, _) = control(a, "DELETE", &format!("/_sandbox/faults/{}", f["id"]), None).await;
    assert_eq!(s, 200);
    let (_, calls) = control(a, "GET", "/_sandbox/state/calls", None).await;
    assert_eq!(calls["calls"]["RunCommand"], 4);
    sb.shutdown().await;
}

/// Latency is a real delay in the server (`tokio::time::sleep`). With tokio's clock paused
/// it is measured in virtual time: exact, and no test waits for it.
#[tokio::test(start_paused = true)]
async fn latency_faults_delay_the_answer_of_that_action_only() {
    let sb = support::sandbox().await;
    let a = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/faults",
        Some(json!({"action": "DescribeRegions", "latency_ms": 1500})),
    )
    .await;
    assert_eq!(s, 200);
    let t0 = tokio::time::Instant::now();
    c.ok("DescribeInstances", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    assert_eq!(t0.elapsed(), std::time::Duration::ZERO);
    c.ok("DescribeRegions", ECS, &[]).await;
    assert!(t0.elapsed() >= std::time::Duration::from_millis(1500));
    sb.shutdown().await;
}

#[tokio::test]
async fn pagination_styles() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let p1 = c
        .ok(
            "DescribeInstances",
            ECS,
            &[
                ("RegionId", "cn-hangzhou"),
                ("PageSize", "3"),
                ("PageNumber", "4"),
            ],
        )
        .await;
    assert_eq!(p1["TotalCount"], 10);
    assert_eq!(p1["Instances"]["Instance"].as_array().unwrap().len(), 1);
    let mut seen = std::collections::BTreeSet::new();
    let mut token = String::new();
    loop {
        let mut q = vec![("RegionId", "cn-hangzhou"), ("MaxResults", "4")];
        if !token.is_empty() {
            q.push(("NextToken", token.as_str()));
        }
        let b = c.ok("DescribeInstances", ECS, &q).await;
        for i in b["Instances"]["Instance"].as_array().unwrap() {
            assert!(seen.insert(i["InstanceId"].as_str().unwrap().to_string()));
        }
        token = b["NextToken"].as_str().unwrap().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen.len(), 10);
    c.err(
        "DescribeInstances",
        ECS,
        &[("RegionId", "cn-hangzhou"), ("PageSize", "101")],
        "InvalidParameter.PageSize",
    )
    .await;
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
    for n in 0..3 {
        c.ok(
            "CreateRole",
            RAM,
            &[
                ("RoleName", &format!("Role-{n}")),
                ("AssumeRolePolicyDocument", trust),
            ],
        )
        .await;
    }
    let l = c.ok("ListRoles", RAM, &[("MaxItems", "2")]).await;
    assert_eq!(l["IsTruncated"], true);
    let l2 = c
        .ok(
            "ListRoles",
            RAM,
            &[("MaxItems", "2"), ("Marker", l["Marker"].as_str().unwrap())],
        )
        .await;
    assert_eq!(l2["IsTruncated"], false);
    assert_eq!(
        l["Roles"]["Role"].as_array().unwrap().len()
            + l2["Roles"]["Role"].as_array().unwrap().len(),
        4
    );
    let g = c
        .ok(
            "DescribeSnapshotGroups",
            ECS,
            &[("RegionId", "cn-hangzhou")],
        )
        .await;
    assert_eq!(g["NextToken"], "");
    assert!(g.get("TotalCount").is_none());
    sb.shutdown().await;
}

#[tokio::test]
async fn instance_state_snapshot_groups_and_rollback() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let r = "cn-hangzhou";
    let id = c.instance_id(r, "app-centos79-mysql").await;
    let g = c
        .ok(
            "CreateSnapshotGroup",
            ECS,
            &[
                ("RegionId", r),
                ("InstanceId", &id),
                ("Name", "manual-1"),
                ("Tag.1.Key", "by"),
                ("Tag.1.Value", "test"),
                ("ClientToken", "g-1"),
            ],
        )
        .await;
    let gid = g["SnapshotGroupId"].as_str().unwrap().to_string();
    assert!(gid.starts_with("ssg-"));
    assert_eq!(
        c.ok(
            "CreateSnapshotGroup",
            ECS,
            &[
                ("RegionId", r),
                ("InstanceId", &id),
                ("Name", "manual-1"),
                ("Tag.1.Key", "by"),
                ("Tag.1.Value", "test"),
                ("ClientToken", "g-1")
            ]
        )
        .await["SnapshotGroupId"],
        gid.as_str()
    );
    let d = c
        .ok(
            "DescribeSnapshotGroups",
            ECS,
            &[("RegionId", r), ("SnapshotGroupId.1", &gid)],
        )
        .await;
    let group = &d["SnapshotGroups"]["SnapshotGroup"][0];
    assert_eq!(group["Status"], "progressing");
    assert_eq!(group["Tags"]["Tag"][0]["Key"], "by");
    let snap = group["Snapshots"]["Snapshot"][0].clone();
    let disk = snap["SourceDiskId"].as_str().unwrap().to_string();
    let sid = snap["SnapshotId"].as_str().unwrap().to_string();
    c.err(
        "ResetDisk",
        ECS,
        &[("DiskId", &disk), ("SnapshotId", &sid)],
        "InvalidSnapshotId.NotReady",
    )
    .await;
    step(sb.local_addr(), 5.0).await;
    let (s, _) = c
        .err(
            "ResetDisk",
            ECS,
            &[("DiskId", &disk), ("SnapshotId", &sid)],
            "IncorrectInstanceStatus",
        )
        .await;
    assert_eq!(s, 403);
    c.ok("StopInstance", ECS, &[("RegionId", r), ("InstanceId", &id)])
        .await;
    let st = c
        .ok(
            "DescribeInstances",
            ECS,
            &[("RegionId", r), ("InstanceIds", &json!([&id]).to_string())],
        )
        .await;
    assert_eq!(st["Instances"]["Instance"][0]["Status"], "Stopping");
    step(sb.local_addr(), 4.0).await;
    c.err(
        "StopInstance",
        ECS,
        &[("RegionId", r), ("InstanceId", &id)],
        "IncorrectInstanceStatus",
    )
    .await;
    let other = group["Snapshots"]["Snapshot"][1]["SnapshotId"]
        .as_str()
        .unwrap()
        .to_string();
    c.err(
        "ResetDisk",
        ECS,
        &[("DiskId", &disk), ("SnapshotId", &other)],
        "InvalidParameter.Mismatch",
    )
    .await;
    c.ok("ResetDisk", ECS, &[("DiskId", &disk), ("SnapshotId", &sid)])
        .await;
    let rd = c
        .ok(
            "ResetDisks",
            ECS,
            &[
                ("RegionId", r),
                ("Disk.1.DiskId", &disk),
                ("Disk.1.SnapshotId", &sid),
            ],
        )
        .await;
    assert_eq!(
        rd["OperationProgressSet"]["OperationProgress"][0]["OperationStatus"],
        "Success"
    );
    c.ok(
        "StartInstance",
        ECS,
        &[("RegionId", r), ("InstanceId", &id)],
    )
    .await;
    step(sb.local_addr(), 4.0).await;
    let st = c
        .ok(
            "DescribeInstances",
            ECS,
            &[("RegionId", r), ("InstanceIds", &json!([&id]).to_string())],
        )
        .await;
    assert_eq!(st["Instances"]["Instance"][0]["Status"], "Running");
    c.ok(
        "TagResources",
        ECS,
        &[
            ("RegionId", r),
            ("ResourceType", "snapshot"),
            ("ResourceId.1", &sid),
            ("Tag.1.Key", "keep"),
            ("Tag.1.Value", "yes"),
        ],
    )
    .await;
    let t = c
        .ok(
            "ListTagResources",
            ECS,
            &[
                ("RegionId", r),
                ("ResourceType", "snapshot"),
                ("ResourceId.1", &sid),
            ],
        )
        .await;
    assert_eq!(
        t["TagResources"]["TagResource"].as_array().unwrap().len(),
        2
    );
    c.err(
        "TagResources",
        ECS,
        &[
            ("RegionId", r),
            ("ResourceType", "snapshot"),
            ("ResourceId.1", &sid),
            ("Tag.1.Key", "acs:x"),
            ("Tag.1.Value", "y"),
        ],
        "InvalidTagKey.Malformed",
    )
    .await;
    let del = c
        .ok(
            "DeleteSnapshotGroup",
            ECS,
            &[("RegionId", r), ("SnapshotGroupId", &gid)],
        )
        .await;
    assert_eq!(
        del["OperationProgressSet"]["OperationProgress"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let none = c
        .ok(
            "DescribeSnapshots",
            ECS,
            &[("RegionId", r), ("InstanceId", &id)],
        )
        .await;
    assert_eq!(none["TotalCount"], 0);
    // A cloud_efficiency disk cannot be in a group.
    let eff = c
        .ok(
            "DescribeDisks",
            ECS,
            &[("RegionId", r), ("Category", "cloud_efficiency")],
        )
        .await["Disks"]["Disk"][0]["DiskId"]
        .as_str()
        .unwrap()
        .to_string();
    c.err(
        "CreateSnapshotGroup",
        ECS,
        &[("RegionId", r), ("DiskId.1", &eff)],
        "DiskCategory.OperationNotSupported",
    )
    .await;
    sb.shutdown().await;
}

#[tokio::test]
async fn detach_role_delete_command_untag_and_get_policy() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let r = "cn-shanghai";
    let id = c.instance_id(r, "other-role-alinux3").await;
    let ids = json!([&id]).to_string();
    let detach = |role: Option<&'static str>| {
        let (c, ids) = (c.clone(), ids.clone());
        async move {
            let mut q = vec![("RegionId", r), ("InstanceIds", ids.as_str())];
            q.extend(role.map(|role| ("RamRoleName", role)));
            let b = c.ok("DetachInstanceRamRole", ECS, &q).await;
            let one = b["DetachInstanceRamRoleResults"]["DetachInstanceRamRoleResult"][0].clone();
            (b["FailCount"].as_u64().unwrap(), one)
        }
    };
    let (fail, one) = detach(Some("SomeOtherRole")).await;
    assert_eq!((fail, &one["Success"]), (1, &json!(false)));
    let (fail, one) = detach(None).await;
    assert_eq!((fail, one["Code"].as_str()), (0, Some("200")));
    assert_eq!(
        one["InstanceRamRoleSets"]["InstanceRamRoleSet"][0]["RamRoleName"],
        "OpsMonitoringRole"
    );
    let rr = c
        .ok(
            "DescribeInstanceRamRole",
            ECS,
            &[("RegionId", r), ("InstanceIds", &ids)],
        )
        .await;
    assert_eq!(rr["InstanceRamRoleSets"]["InstanceRamRoleSet"], json!([]));

    let cmd = c
        .ok(
            "CreateCommand",
            ECS,
            &[
                ("RegionId", r),
                ("Name", "to-delete"),
                ("Type", "RunShellScript"),
                ("CommandContent", "ZWNobw=="),
            ],
        )
        .await["CommandId"]
        .as_str()
        .unwrap()
        .to_string();
    let del = [("RegionId", r), ("CommandId", cmd.as_str())];
    c.ok("DeleteCommand", ECS, &del).await;
    let d = c.ok("DescribeCommands", ECS, &del).await;
    assert_eq!(d["Commands"]["Command"], json!([]));
    let (s, _) = c
        .err("DeleteCommand", ECS, &del, "InvalidCmdId.NotFound")
        .await;
    assert_eq!(s, 404);

    let on = |extra: &'static [(&'static str, &'static str)]| {
        let mut q = vec![
            ("RegionId", r),
            ("ResourceType", "instance"),
            ("ResourceId.1", id.as_str()),
        ];
        q.extend_from_slice(extra);
        q
    };
    c.ok(
        "TagResources",
        ECS,
        &on(&[
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", "db"),
            ("Tag.2.Key", "keep"),
            ("Tag.2.Value", "yes"),
        ]),
    )
    .await;
    c.ok("UntagResources", ECS, &on(&[("TagKey.1", "team")]))
        .await;
    let keys = |b: serde_json::Value| -> Vec<String> {
        b["TagResources"]["TagResource"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["TagKey"].as_str().unwrap().to_string())
            .collect()
    };
    let left = keys(c.ok("ListTagResources", ECS, &on(&[])).await);
    assert!(left.contains(&"keep".to_string()) && !left.contains(&"team".to_string()));
    c.ok("UntagResources", ECS, &on(&[("All", "true")])).await;
    assert!(keys(c.ok("ListTagResources", ECS, &on(&[])).await).is_empty());
    c.err(
        "UntagResources",
        ECS,
        &[
            ("RegionId", r),
            ("ResourceType", "instance"),
            ("ResourceId.1", "i-nope"),
            ("TagKey.1", "team"),
        ],
        "InvalidResourceId.NotFound",
    )
    .await;
    c.err(
        "UntagResources",
        ECS,
        &[
            ("RegionId", r),
            ("ResourceType", "instance"),
            ("TagKey.1", "team"),
        ],
        "MissingParameter",
    )
    .await;
    // Neither TagKey.N nor All=true: an error naming TagKey.N, and no tag removed.
    c.ok(
        "TagResources",
        ECS,
        &on(&[("Tag.1.Key", "team"), ("Tag.1.Value", "db")]),
    )
    .await;
    for extra in [&[][..], &[("All", "false")][..]] {
        let (status, body) = c
            .err("UntagResources", ECS, &on(extra), "MissingParameter")
            .await;
        assert_eq!(status, 400);
        assert!(
            body["Message"].as_str().unwrap().contains("TagKey.N"),
            "{body}"
        );
    }
    assert_eq!(
        keys(c.ok("ListTagResources", ECS, &on(&[])).await),
        ["team"]
    );

    let doc = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeDisks"],"Resource":["*"]}]}"#;
    c.ok(
        "CreatePolicy",
        RAM,
        &[("PolicyName", "DisksOnly"), ("PolicyDocument", doc)],
    )
    .await;
    let p = c
        .ok(
            "GetPolicy",
            RAM,
            &[("PolicyName", "DisksOnly"), ("PolicyType", "Custom")],
        )
        .await;
    assert_eq!(p["Policy"]["PolicyType"], "Custom");
    assert_eq!(p["DefaultPolicyVersion"]["PolicyDocument"], doc);
    assert_eq!(p["DefaultPolicyVersion"]["IsDefaultVersion"], true);
    let (s, _) = c
        .err(
            "GetPolicy",
            RAM,
            &[("PolicyName", "Nope"), ("PolicyType", "Custom")],
            "EntityNotExist.Policy",
        )
        .await;
    assert_eq!(s, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn send_file_validates_like_the_agent() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let r = "cn-hangzhou";
    let id = c.instance_id(r, "app-centos79-mysql").await;
    let base = |mode: &'static str, owner: &'static str, overwrite: &'static str| {
        vec![
            ("RegionId", r),
            ("InstanceId.1", id.as_str()),
            ("Name", "prescript.sh"),
            ("TargetDir", "/tmp"),
            ("Content", "#!/bin/bash\nexit 0\n"),
            ("FileMode", mode),
            ("FileOwner", owner),
            ("Overwrite", overwrite),
        ]
    };
    c.err(
        "SendFile",
        ECS,
        &base("0800", "root", "false"),
        "FileMode.Invalid",
    )
    .await;
    let big = "x".repeat(30 * 1024);
    let mut q = base("0700", "root", "false");
    q[4] = ("Content", big.as_str());
    c.err("SendFile", ECS, &q, "FileSize.ExceedLimit").await;
    let results = |invoke: String| {
        let c = c.clone();
        async move {
            let b = c
                .ok(
                    "DescribeSendFileResults",
                    ECS,
                    &[("RegionId", r), ("InvokeId", &invoke)],
                )
                .await;
            b["Invocations"]["Invocation"][0]["InvokeInstances"]["InvokeInstance"][0].clone()
        }
    };
    let first = c.ok("SendFile", ECS, &base("0700", "root", "false")).await["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(first.starts_with("f-"));
    let pending = results(first.clone()).await;
    assert_eq!(pending["InvocationStatus"], "Pending");
    assert_eq!(
        (
            pending["StartTime"].as_str(),
            pending["FinishTime"].as_str()
        ),
        (Some(""), Some(""))
    );
    // The agent picks the file up after the delivery delay, then writes it.
    step(sb.local_addr(), 0.5).await;
    let running = results(first.clone()).await;
    assert_eq!(running["InvocationStatus"], "Running", "{running}");
    assert_eq!(running["FinishTime"], "", "{running}");
    assert_eq!(running["StartTime"], clock_now(sb.local_addr()).await);
    step(sb.local_addr(), 0.5).await;
    let done = results(first).await;
    assert_eq!(done["InvocationStatus"], "Success");
    // Finished in the simulated past, after it started: never a FinishTime in the future.
    let finish = done["FinishTime"].as_str().unwrap().to_string();
    assert!(
        finish.as_str() <= clock_now(sb.local_addr()).await.as_str(),
        "{done}"
    );
    assert!(
        done["StartTime"].as_str().unwrap() <= finish.as_str(),
        "{done}"
    );
    let dup = c.ok("SendFile", ECS, &base("0700", "root", "false")).await["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    let nobody = c.ok("SendFile", ECS, &base("0700", "oracle", "true")).await["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    step(sb.local_addr(), 1.0).await;
    let d = results(dup).await;
    assert_eq!(
        (
            d["InvocationStatus"].as_str().unwrap(),
            d["ErrorCode"].as_str().unwrap()
        ),
        ("Failed", "FileAlreadyExists")
    );
    let n = results(nobody).await;
    assert_eq!(
        (
            n["ErrorCode"].as_str().unwrap(),
            n["ErrorInfo"].as_str().unwrap()
        ),
        ("FileAuthorityInvalid", "Owner not exists")
    );
    let (_, inst) = control(
        sb.local_addr(),
        "GET",
        &format!("/_sandbox/instances/{id}"),
        None,
    )
    .await;
    let f = inst["guest"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "/tmp/prescript.sh")
        .unwrap()
        .clone();
    assert_eq!(
        (f["owner"].as_str().unwrap(), f["mode"].as_str().unwrap()),
        ("root", "0700")
    );
    sb.shutdown().await;
}

/// The simulated clock as the API prints times (`yyyy-MM-ddTHH:mm:ssZ`).
async fn clock_now(addr: std::net::SocketAddr) -> String {
    let (_, clock) = control(addr, "GET", "/_sandbox/clock", None).await;
    let now = clock["now"].as_str().unwrap();
    // The control API may print fractions; the cloud API prints whole seconds.
    format!("{}Z", &now[..19])
}

/// An instance whose agent cannot take a file waits in Pending until `Timeout` runs out
/// (at least 10 s), then ends Aborted with DeliveryTimeout; an agent that comes back in
/// time gets the file.
#[tokio::test]
async fn send_file_waits_for_an_unreachable_agent_until_its_timeout() {
    let sb = support::sandbox().await;
    let addr = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let r = "cn-hangzhou";
    let offline = c.instance_id(r, "agent-offline-alinux3").await;
    let flaky = c.instance_id(r, "app-centos79-mysql").await;
    let (s, _) = control(
        addr,
        "POST",
        &format!("/_sandbox/instances/{flaky}/agent"),
        Some(json!({"online": false})),
    )
    .await;
    assert_eq!(s, 200);
    let send = |name: &'static str, timeout: &'static str| {
        let c = c.clone();
        let (offline, flaky) = (offline.clone(), flaky.clone());
        async move {
            c.ok(
                "SendFile",
                ECS,
                &[
                    ("RegionId", r),
                    ("InstanceId.1", offline.as_str()),
                    ("InstanceId.2", flaky.as_str()),
                    ("Name", name),
                    ("TargetDir", "/tmp"),
                    ("Content", "#!/bin/bash\nexit 0\n"),
                    ("FileMode", "0700"),
                    ("Timeout", timeout),
                ],
            )
            .await["InvokeId"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let status = |invoke: String| {
        let c = c.clone();
        async move {
            let b = c
                .ok(
                    "DescribeSendFileResults",
                    ECS,
                    &[("RegionId", r), ("InvokeId", &invoke)],
                )
                .await;
            b["Invocations"]["Invocation"][0].clone()
        }
    };
    let per_instance = |inv: &serde_json::Value, id: &str| {
        inv["InvokeInstances"]["InvokeInstance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["InstanceId"] == id)
            .unwrap()
            .clone()
    };
    // Timeout=3 is raised to the documented minimum of 10 s.
    let short = send("short.sh", "3").await;
    let started = clock_now(addr).await;
    let long = send("long.sh", "30").await;
    step(addr, 9.5).await;
    for invoke in [&short, &long] {
        let inv = status(invoke.clone()).await;
        assert_eq!(inv["InvocationStatus"], "Pending", "{inv}");
        assert_eq!(per_instance(&inv, &offline)["ErrorCode"], "", "{inv}");
    }
    step(addr, 1.0).await;
    let inv = status(short).await;
    assert_eq!(inv["InvocationStatus"], "Failed", "{inv}");
    for id in [&offline, &flaky] {
        let i = per_instance(&inv, id);
        assert_eq!(
            (
                i["InvocationStatus"].as_str().unwrap(),
                i["ErrorCode"].as_str().unwrap(),
                i["ErrorInfo"].as_str().unwrap(),
            ),
            (
                "Aborted",
                "DeliveryTimeout",
                "the command delivery has been timeout"
            ),
        );
        assert_eq!(i["StartTime"], "", "{i}");
        let finish = i["FinishTime"].as_str().unwrap();
        assert!(
            finish > started.as_str() && finish <= clock_now(addr).await.as_str(),
            "{i}"
        );
    }
    // The second agent comes back within the longer timeout: that instance gets its file.
    control(
        addr,
        "POST",
        &format!("/_sandbox/instances/{flaky}/agent"),
        Some(json!({"online": true})),
    )
    .await;
    step(addr, 2.0).await;
    let inv = status(long.clone()).await;
    assert_eq!(
        per_instance(&inv, &flaky)["InvocationStatus"],
        "Success",
        "{inv}"
    );
    assert_eq!(
        per_instance(&inv, &offline)["InvocationStatus"],
        "Pending",
        "{inv}"
    );
    assert_eq!(inv["InvocationStatus"], "Pending", "{inv}");
    step(addr, 20.0).await;
    let inv = status(long).await;
    assert_eq!(inv["InvocationStatus"], "PartialFailed", "{inv}");
    assert_eq!(per_instance(&inv, &offline)["ErrorCode"], "DeliveryTimeout");
    // Only the delivered file exists, and only on the instance whose agent came back.
    let files = |id: String| async move {
        let (_, inst) = control(addr, "GET", &format!("/_sandbox/instances/{id}"), None).await;
        inst["guest"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (on_flaky, on_offline) = (files(flaky).await, files(offline).await);
    assert!(
        on_flaky.contains(&"/tmp/long.sh".to_string()),
        "{on_flaky:?}"
    );
    assert!(
        !on_flaky.contains(&"/tmp/short.sh".to_string()),
        "{on_flaky:?}"
    );
    assert!(!on_offline
        .iter()
        .any(|p| p.ends_with("long.sh") || p.ends_with("short.sh")));
    sb.shutdown().await;
}

#[tokio::test]
async fn control_api_resets_loads_scenarios_and_configures() {
    let sb = support::sandbox().await;
    let a = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
    c.ok(
        "CreateRole",
        RAM,
        &[("RoleName", "Temp"), ("AssumeRolePolicyDocument", trust)],
    )
    .await;
    let (s, _) = control(a, "POST", "/_sandbox/reset", None).await;
    assert_eq!(s, 200);
    c.err(
        "GetRole",
        RAM,
        &[("RoleName", "Temp")],
        "EntityNotExist.Role",
    )
    .await;
    let (s, h) = control(a, "GET", "/_sandbox/health", None).await;
    assert_eq!((s, h["scenario"].as_str().unwrap()), (200, "demo"));
    let (_, cfg) = control(a, "POST", "/_sandbox/config", Some(json!({"snapshot_group_disk_limit": 20, "linux_command_name": "ACS-ECS-X-for-linux.sh"}))).await;
    assert_eq!(cfg["snapshot_group_disk_limit"], 20);
    let d = c
        .ok(
            "DescribeCommands",
            ECS,
            &[
                ("RegionId", "cn-hangzhou"),
                ("Provider", "AlibabaCloud"),
                ("Name", "ACS-ECS-X"),
            ],
        )
        .await;
    assert_eq!(
        d["Commands"]["Command"][0]["Name"],
        "ACS-ECS-X-for-linux.sh"
    );
    let (s, _) = control(a, "POST", "/_sandbox/config", Some(json!({"bogus": 1}))).await;
    assert_eq!(s, 400);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/scenario",
        Some(json!({"name": "scale", "seed": 9, "instances": 300, "regions": 3})),
    )
    .await;
    assert_eq!(s, 200);
    let total: u64 = {
        let mut t = 0;
        for r in ["cn-hangzhou", "cn-shanghai", "cn-beijing"] {
            t += c
                .ok(
                    "DescribeInstances",
                    ECS,
                    &[("RegionId", r), ("PageSize", "1")],
                )
                .await["TotalCount"]
                .as_u64()
                .unwrap();
        }
        t
    };
    assert_eq!(total, 300);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/scenario",
        Some(json!({"name": "nope"})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = control(a, "GET", "/_sandbox/what", None).await;
    assert_eq!(s, 404);
    let (_, clock) = control(
        a,
        "POST",
        "/_sandbox/clock/speed",
        Some(json!({"time_scale": 2.5})),
    )
    .await;
    assert_eq!(clock["time_scale"], 2.5);
    let (_, acc) = control(a, "GET", "/_sandbox/accounts", None).await;
    assert_eq!(acc["accounts"].as_array().unwrap().len(), 3);
    sb.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(a).await.is_err(),
        "still listening after shutdown"
    );
}

#[tokio::test]
async fn scenarios_are_reproducible_for_a_seed() {
    let ids = |seed: u64| async move {
        let sb = sandbox_cloud::start(sandbox_cloud::SandboxOptions {
            seed,
            time_scale: 0.0,
            ..Default::default()
        })
        .await
        .unwrap();
        let c = Client::new(&sb, ADMIN);
        let b = c
            .ok(
                "DescribeInstances",
                ECS,
                &[("RegionId", "cn-hangzhou"), ("PageSize", "100")],
            )
            .await;
        sb.shutdown().await;
        b["Instances"]["Instance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["InstanceId"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(3).await, ids(3).await);
    assert_ne!(ids(3).await, ids(4).await);
}
