//! The app-consistent snapshot end to end over HTTP on Linux through the discovered public
//! command: the full flow, each file-system-consistent fallback, and the instances it
//! refuses. The clock is paused and stepped: no sleeps.

mod support;

use serde_json::json;
use support::app_consistent::{all, env, POLICY_DOC, ROLE};
use support::{step, ECS};

#[tokio::test]
async fn linux_full_flow_is_application_consistent() {
    let e = env().await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    let st =
        e.c.ok(
            "DescribeCloudAssistantStatus",
            ECS,
            &[("RegionId", r), ("InstanceId.1", &id)],
        )
        .await;
    assert_eq!(
        st["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]
            ["CloudAssistantStatus"],
        "true"
    );
    e.role(POLICY_DOC).await;
    let a = e.attach(r, &id).await;
    assert_eq!(a["FailCount"], 0);
    let rr =
        e.c.ok(
            "DescribeInstanceRamRole",
            ECS,
            &[("RegionId", r), ("InstanceIds", &json!([&id]).to_string())],
        )
        .await;
    assert_eq!(
        rr["InstanceRamRoleSets"]["InstanceRamRoleSet"][0]["RamRoleName"],
        ROLE
    );
    e.scripts(r, &id, "0700", "root").await;
    let probe = e.probe(r, &id).await;
    assert!(
        probe.contains("file=/tmp/prescript.sh|present|root|root|0700|"),
        "{probe}"
    );
    assert!(probe.contains("plugin=app-snapshot-plugin|absent"));

    let cmd = e.public_command(r, false).await;
    let defs: Vec<&str> = cmd["ParameterDefinitions"]["ParameterDefinition"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ParameterName"].as_str().unwrap())
        .collect();
    for p in [
        "RamRoleName",
        "EnableFsFreeze",
        "TimeoutInSeconds",
        "PreScriptPath",
        "PostScriptPath",
        "ExcludeDiskId",
        "Name",
        "RetentionDays",
        "InstantAccess",
    ] {
        assert!(defs.contains(&p), "{p} missing from {defs:?}");
    }
    let invoke = e
        .invoke(
            r,
            &id,
            false,
            json!({"RamRoleName": ROLE, "Name": "nightly-mysql", "RetentionDays": "7"}),
            None,
        )
        .await;
    // Delivery, prescript, then the freeze: visible in the control API while it lasts.
    step(e.sb.local_addr(), 1.1).await;
    let frozen = e.state("frozen").await;
    assert_eq!(frozen["frozen"][0]["instance_id"], id.as_str(), "{frozen}");
    assert_eq!(frozen["frozen"][0]["mount_points"], json!(["/", "/data"]));
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    assert_eq!(res["InvocationStatus"], "Success");
    let out = res["Output"].as_str().unwrap();
    assert!(
        out.contains("Take APPConsistent snapshots successfully"),
        "{out}"
    );
    assert!(out.contains("Prescript cost="));
    let (status, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "APPConsistent:True"), "{tags:?}");
    step(e.sb.local_addr(), 5.0).await;
    let g =
        e.c.ok(
            "DescribeSnapshotGroups",
            ECS,
            &[
                ("RegionId", r),
                ("InstanceId", &id),
                ("Name", "nightly-mysql"),
            ],
        )
        .await;
    let group = &g["SnapshotGroups"]["SnapshotGroup"][0];
    assert_eq!(group["Status"], "accomplished", "was {status}");
    assert_eq!(
        group["Snapshots"]["Snapshot"][0]["Tags"]["Tag"][0]["Key"],
        "APPConsistent"
    );
    assert_eq!(group["Snapshots"]["Snapshot"][0]["Progress"], "100%");
    let snaps =
        e.c.ok(
            "DescribeSnapshots",
            ECS,
            &[
                ("RegionId", r),
                ("InstanceId", &id),
                ("Tag.1.Key", "APPConsistent"),
                ("Tag.1.Value", "True"),
            ],
        )
        .await;
    assert_eq!(snaps["Snapshots"]["Snapshot"].as_array().unwrap().len(), 2);
    assert_eq!(snaps["Snapshots"]["Snapshot"][0]["RetentionDays"], 7);
    e.assert_thawed().await;
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"][0]["thaw_reason"], "completed");
    assert!(hist["history"][0]["frozen_at"].is_string());
    assert!(hist["history"][0]["thawed_at"].is_string());
    // The control API shows the group and the invocation.
    let groups = e.state("snapshot-groups").await;
    let group = groups["snapshot_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "nightly-mysql")
        .unwrap_or_else(|| panic!("no group in {groups}"));
    assert_eq!(
        (group["instance_id"].as_str(), group["status"].as_str()),
        (Some(id.as_str()), Some("accomplished"))
    );
    assert_eq!(group["snapshots"][0]["tags"]["APPConsistent"], "True");
    let invs = e.state("invocations").await;
    let inv = invs["invocations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["invoke_id"] == invoke.as_str())
        .unwrap_or_else(|| panic!("no invocation in {invs}"));
    assert_eq!(inv["status"], "Success");
    assert_eq!(inv["instances"][0]["exit_code"], 0);
    // The plugin's own log, read back through the probe.
    let probe = e.probe(r, &id).await;
    assert!(probe.contains("plugin=app-snapshot-plugin|1.8"));
    assert!(probe.contains("log.path=/usr/local/share/aliyun-assist/plugin/app-snapshot-plugin/1.8/log/app_snapshot_plugin.log."), "{probe}");
    assert!(probe.contains("Take APPConsistent snapshots successfully"));
    e.sb.shutdown().await;
}

#[tokio::test]
async fn linux_fallbacks_are_file_system_consistent_with_the_cause_in_the_output() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    // (region, instance, upload scripts as (mode, owner), expected cause in the output)
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>, &'a str);
    let cases: &[Case] = &[
        (
            "cn-hangzhou",
            "app-ubuntu2204-postgres",
            None,
            "File /tmp/prescript.sh not found",
        ),
        (
            "cn-hangzhou",
            "app-alinux3-redis",
            Some(("0755", "root")),
            "Pre/Post-Script have no Expected Permission",
        ),
        (
            "cn-beijing",
            "bj-centos79-api",
            Some(("0700", "admin")),
            "Pre/Post-Script have no Expected Permission",
        ),
        (
            "ap-southeast-1",
            "freeze-fails-centos79",
            None,
            "Prescript failed, exit code 1",
        ),
        (
            "ap-southeast-1",
            "freeze-hangs-ubuntu2204",
            None,
            "Prescript timeout",
        ),
        (
            "ap-southeast-1",
            "crlf-scripts-alinux3",
            None,
            "bad interpreter",
        ),
    ];
    for (region, name, upload, cause) in cases {
        let id = e.instance(region, name).await;
        e.attach(region, &id).await;
        if let Some((mode, owner)) = upload {
            e.scripts(region, &id, mode, owner).await;
        }
        let invoke = e
            .invoke(region, &id, false, json!({"RamRoleName": ROLE}), None)
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["ExitCode"], 0, "{name}: {res}");
        let out = res["Output"].as_str().unwrap();
        assert!(out.contains(cause), "{name}: expected '{cause}' in\n{out}");
        assert!(
            out.contains("Take FsConsistent snapshots successfully"),
            "{name}: {out}"
        );
        let (_, tags) = e.outcome(region, &res).await;
        assert!(all(&tags, "FsConsistent:True"), "{name}: {tags:?}");
        e.assert_thawed().await;
    }
    e.sb.shutdown().await;
}

/// Plugin failures: non-zero exit, explaining output, no frozen guest.
#[tokio::test]
async fn ineligible_linux_instances_fail_with_an_explanation() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let cases: &[(&str, &str, i64, &str)] = &[
        (
            "cn-shanghai",
            "nfs-client-ubuntu2204",
            6,
            "fsfreeze /mnt/share (nfs4) failed",
        ),
        (
            "cn-shanghai",
            "many-disks-centos79",
            5,
            "a snapshot group holds at most 16",
        ),
        (
            "cn-hangzhou",
            "batch-efficiency-disk",
            5,
            "category cloud_efficiency is not supported",
        ),
        ("cn-hangzhou", "legacy-centos74", 9, "Unsupported OS"),
    ];
    for (region, name, code, cause) in cases {
        let id = e.instance(region, name).await;
        e.attach(region, &id).await;
        let invoke = e
            .invoke(region, &id, false, json!({"RamRoleName": ROLE}), None)
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["ExitCode"], *code, "{name}: {res}");
        assert_eq!(res["InvocationStatus"], "Failed");
        assert_eq!(res["ErrorCode"], "ExitCodeNonzero");
        assert!(
            res["Output"].as_str().unwrap().contains(cause),
            "{name}: {}",
            res["Output"]
        );
        e.assert_thawed().await;
    }
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"][0]["thaw_reason"], "freeze failed", "{hist}");
    // Excluding the offending disks makes the same instances work.
    type Exclude<'a> = (&'a str, &'a str, (&'a str, &'a str), Option<usize>);
    let excludes: &[Exclude] = &[
        (
            "cn-hangzhou",
            "batch-efficiency-disk",
            ("Category", "cloud_efficiency"),
            None,
        ),
        (
            "cn-shanghai",
            "many-disks-centos79",
            ("DiskType", "data"),
            Some(16),
        ),
    ];
    for (region, name, filter, snapshots) in excludes {
        let id = e.instance(region, name).await;
        let disks =
            e.c.ok(
                "DescribeDisks",
                ECS,
                &[
                    ("RegionId", region),
                    ("InstanceId", &id),
                    *filter,
                    ("MaxResults", "50"),
                ],
            )
            .await;
        let disk = disks["Disks"]["Disk"][0]["DiskId"]
            .as_str()
            .unwrap()
            .to_string();
        let invoke = e
            .invoke(
                region,
                &id,
                false,
                json!({"RamRoleName": ROLE, "ExcludeDiskId": disk}),
                None,
            )
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["ExitCode"], 0, "{name}: {res}");
        if let Some(n) = snapshots {
            let (_, tags) = e.outcome(region, &res).await;
            assert_eq!(tags.len(), *n, "{name}");
        }
    }
    e.sb.shutdown().await;
}
