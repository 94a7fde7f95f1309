//! The app-consistent snapshot end to end over HTTP through the in-guest plugin via
//! RunCommand: good scripts, InstantAccess=false, and a failing thaw script. The clock is
//! paused and stepped: no sleeps.

mod support;

use serde_json::json;
use support::app_consistent::{all, env, POLICY_DOC, ROLE};
use support::{control, step, ECS};

#[tokio::test]
async fn plugin_via_run_command_with_good_scripts_is_application_consistent() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let res = e.run_plugin(r, &id, &format!("--RamRoleName={ROLE} -EnableFsFreeze=true -TimeoutInSeconds=30 -PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh -Description=nightly run -InstantAccess=true -InstantAccessRetentionDays=3")).await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let (_, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "APPConsistent:True"), "{tags:?}");
    let gid = res["Output"]
        .as_str()
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let g =
        e.c.ok(
            "DescribeSnapshotGroups",
            ECS,
            &[("RegionId", r), ("SnapshotGroupId.1", &gid)],
        )
        .await;
    let group = &g["SnapshotGroups"]["SnapshotGroup"][0];
    assert_eq!(group["Description"], "nightly run");
    assert!(group["Name"].as_str().unwrap().starts_with("Created_At_"));
    assert_eq!(
        group["Snapshots"]["Snapshot"][0]["InstantAccessRetentionDays"],
        3
    );
    // Without fs freeze the scripts are skipped and nothing is tagged.
    let res = e
        .run_plugin(
            r,
            &id,
            &format!("--RamRoleName={ROLE} -EnableFsFreeze=false"),
        )
        .await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let (_, tags) = e.outcome(r, &res).await;
    assert!(tags.iter().all(String::is_empty), "{tags:?}");
    e.assert_thawed().await;
    e.sb.shutdown().await;
}

/// `InstantAccess=false` changes nothing for the ESSD disks the plugin accepts (sandbox-chosen,
/// GUEST_SCRIPTS.md): the snapshots still report instant access, are usable before they
/// are accomplished, and the guest is thawed at that point rather than at 100 %.
#[tokio::test]
async fn plugin_instant_access_false_still_thaws_once_essd_snapshots_are_usable() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let params = format!("--RamRoleName={ROLE} -EnableFsFreeze=true -PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh -InstantAccess=false -InstantAccessRetentionDays=2");
    let script = format!("#!/bin/bash\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"{params}\"\n");
    let invoke =
        e.c.ok(
            "RunCommand",
            ECS,
            &[
                ("RegionId", r),
                ("Type", "RunShellScript"),
                ("CommandContent", &script),
                ("InstanceId.1", &id),
            ],
        )
        .await["InvokeId"]
            .as_str()
            .unwrap()
            .to_string();
    // Step finely until the freeze ends.
    let mut thawed = None;
    for _ in 0..200 {
        step(e.sb.local_addr(), 0.05).await;
        let hist = e.state("freeze-history").await;
        if let Some(h) = hist["history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["instance_id"] == id.as_str() && !h["thawed_at"].is_null())
        {
            thawed = Some(h.clone());
            break;
        }
    }
    let thawed = thawed.expect("the guest was thawed");
    assert_eq!(thawed["thaw_reason"], "completed", "{thawed}");
    let groups = e.state("snapshot-groups").await;
    let group = groups["snapshot_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["instance_id"] == id.as_str())
        .expect("a group for the instance")
        .clone();
    let ids: Vec<&str> = group["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["snapshot_id"].as_str().unwrap())
        .collect();
    assert!(!ids.is_empty());
    let snaps =
        e.c.ok(
            "DescribeSnapshots",
            ECS,
            &[("RegionId", r), ("SnapshotIds", &json!(ids).to_string())],
        )
        .await;
    let snaps = snaps["Snapshots"]["Snapshot"].as_array().unwrap();
    assert_eq!(snaps.len(), ids.len());
    for s in snaps {
        assert_eq!(
            (
                &s["Status"],
                &s["Available"],
                &s["InstantAccess"],
                &s["InstantAccessRetentionDays"]
            ),
            (&json!("progressing"), &json!(true), &json!(true), &json!(2)),
            "thawed while {s}"
        );
    }
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let (_, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "APPConsistent:True"), "{tags:?}");
    e.assert_thawed().await;
    e.sb.shutdown().await;
}

#[tokio::test]
async fn a_failing_thaw_script_falls_back_to_file_system_consistent() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/guest"),
        Some(json!({"postscript": "fails"})),
    )
    .await;
    assert_eq!(s, 200);
    let res = e
        .run_plugin(
            r,
            &id,
            &format!("--RamRoleName={ROLE} -EnableFsFreeze=true -PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh"),
        )
        .await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let out = res["Output"].as_str().unwrap();
    assert!(
        out.contains("Run postscript /tmp/postscript.sh failed"),
        "{out}"
    );
    assert!(
        out.contains("Take FsConsistent snapshots successfully"),
        "{out}"
    );
    let (_, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "FsConsistent:True"), "{tags:?}");
    e.assert_thawed().await;
    e.sb.shutdown().await;
}
