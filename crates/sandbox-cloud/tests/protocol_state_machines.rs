//! Protocol behaviour over real HTTP: the state machines of instances, snapshot groups
//! and rollback; detaching roles, deleting commands, untagging and reading policies.

mod support;

use serde_json::json;
use support::{step, Client, ADMIN, ECS, RAM};

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
