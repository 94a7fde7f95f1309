//! Rollback against the sandbox over real HTTP: a guest file changed after the snapshot
//! is back to its old content and a file written since is gone; the instance is stopped
//! only when confirmed and started again when asked; the rollback is in appsnap.db; a
//! group of another instance and a group not yet accomplished are refused, nothing reset.

mod ram_support;

use std::time::Duration;

use acs_openapi::actions::cloud_assistant::SendFileRequest;
use acs_openapi::actions::snapshots::CreateSnapshotGroupRequest;
use appsnap_core::jobs::ResultConsistency;
use appsnap_core::progress::Reporter;
use appsnap_core::rollback::{
    describe, locate, plan, rollback, RollbackEvent, RollbackLog, RollbackOptions, RollbackStatus,
    RollbackTuning,
};
use appsnap_core::ErrorCode;
use ram_support::Sandbox;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const WEB: &str = "app-centos79-mysql";
const OTHER: &str = "app-alinux3-redis";

async fn send(sb: &Sandbox, name: &str, file: &str, content: &str) {
    let i = sb.instance(name);
    sb.client("admin")
        .send_file(
            &i.region_id,
            &SendFileRequest {
                instance_ids: vec![i.instance_id.clone()],
                name: file.into(),
                target_dir: "/etc".into(),
                content: content.into(),
                overwrite: Some(true),
                ..SendFileRequest::default()
            },
        )
        .await
        .expect("SendFile");
    step(sb, 2).await;
}

async fn step(sb: &Sandbox, seconds: u64) {
    sb.control(Method::POST, "clock/step", json!({ "seconds": seconds }))
        .await;
}

/// path → sha256 of the guest's files, as the sandbox holds them.
async fn files(sb: &Sandbox, name: &str) -> std::collections::BTreeMap<String, String> {
    let id = sb.instance(name).instance_id;
    let v = sb
        .control(Method::GET, &format!("instances/{id}"), Value::Null)
        .await;
    v["guest"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["sha256"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn status(sb: &Sandbox, name: &str) -> String {
    let id = sb.instance(name).instance_id;
    let v = sb
        .control(Method::GET, &format!("instances/{id}"), Value::Null)
        .await;
    v["instance"]["Status"].as_str().unwrap().to_owned()
}

async fn group(sb: &Sandbox, name: &str) -> String {
    let i = sb.instance(name);
    sb.client("admin")
        .create_snapshot_group(
            &i.region_id,
            &CreateSnapshotGroupRequest {
                instance_id: Some(i.instance_id.clone()),
                name: Some("before-change".into()),
                ..CreateSnapshotGroupRequest::default()
            },
        )
        .await
        .expect("CreateSnapshotGroup")
        .snapshot_group_id
}

fn sha(s: &str) -> String {
    format!("{:x}", Sha256::digest(s.as_bytes()))
}

fn fast() -> RollbackTuning {
    RollbackTuning {
        poll: Duration::from_millis(40),
        wait: Duration::from_secs(30),
    }
}

#[tokio::test]
async fn a_rollback_restores_the_guest_files_of_the_snapshot() {
    let sb = Sandbox::start().await;
    let client = sb.client("admin");
    let web = sb.instance(WEB);
    let dir = tempfile::tempdir().unwrap();
    let log = RollbackLog::open(dir.path()).unwrap();

    send(&sb, WEB, "app.conf", "max_connections=100\n").await;
    let gid = group(&sb, WEB).await;

    // Still progressing (the clock is paused): refused, with the reason.
    let e = plan(&client, &web.region_id, &web.instance_id, &gid)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(
        e.message.contains("is progressing, not accomplished"),
        "{}",
        e.message
    );
    step(&sb, 30).await;

    // Changed after the snapshot.
    send(&sb, WEB, "app.conf", "max_connections=5000 # broken\n").await;
    send(&sb, WEB, "new.conf", "written after the snapshot\n").await;
    let before = files(&sb, WEB).await;
    assert_eq!(
        before["/etc/app.conf"],
        sha("max_connections=5000 # broken\n")
    );
    assert!(before.contains_key("/etc/new.conf"));

    assert_eq!(
        locate(&client, &web.instance_id).await.unwrap(),
        web.region_id
    );
    let p = plan(&client, &web.region_id, &web.instance_id, &gid)
        .await
        .unwrap();
    assert_eq!(p.instance_name, WEB);
    assert_eq!(
        (p.instance_status.as_str(), p.needs_stop),
        ("Running", true)
    );
    assert_eq!(p.consistency, ResultConsistency::Crash);
    assert!(!p.disks.is_empty());
    assert!(p.disks.iter().any(|d| d.disk_type == "system"));
    let words = describe(&p).join("\n");
    for d in &p.disks {
        assert!(words.contains(&format!("{} GiB", d.size_gib)), "{words}");
        assert!(
            words.contains(&d.disk_id) && words.contains(&d.snapshot_id),
            "{words}"
        );
    }
    assert!(words.contains("crash-consistent") && words.contains("will be stopped first"));

    // Running and stopping not confirmed: refused, still running, nothing recorded.
    let e = rollback(
        &client,
        &log,
        "work",
        &p,
        RollbackOptions::default(),
        &fast(),
        &Reporter::silent(),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("needs it stopped"), "{}", e.message);
    assert_eq!(status(&sb, WEB).await, "Running");
    assert!(log.list(None).unwrap().is_empty());
    assert_eq!(files(&sb, WEB).await, before);

    sb.control(Method::POST, "clock/speed", json!({"time_scale": 20}))
        .await;
    let (reporter, events) = Reporter::collecting();
    let done = rollback(
        &client,
        &log,
        "work",
        &p,
        RollbackOptions {
            stop: true,
            start_after: true,
        },
        &fast(),
        &reporter,
    )
    .await
    .expect("rollback");
    let disk_ids: Vec<String> = p.disks.iter().map(|d| d.disk_id.clone()).collect();
    assert_eq!(
        *events.lock().unwrap(),
        vec![
            RollbackEvent::Stopping,
            RollbackEvent::Stopped,
            RollbackEvent::Resetting { disk_ids },
            RollbackEvent::Reset,
            RollbackEvent::Starting,
            RollbackEvent::Started,
        ]
    );
    assert_eq!(done.status, RollbackStatus::Succeeded);
    assert!(done.stopped && done.started);
    assert!(done.request_id.as_deref().is_some_and(|r| r.len() == 36));
    assert_eq!(status(&sb, WEB).await, "Running");

    // The control API names the snapshot each disk was last reset from: the plan's.
    let v = sb
        .control(
            Method::GET,
            &format!("instances/{}", web.instance_id),
            Value::Null,
        )
        .await;
    for d in &p.disks {
        let disk = v["disks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["disk_id"] == d.disk_id.as_str())
            .unwrap_or_else(|| panic!("{} not in {v}", d.disk_id));
        assert_eq!(disk["reset_from"], d.snapshot_id.as_str());
    }

    let after = files(&sb, WEB).await;
    assert_eq!(after["/etc/app.conf"], sha("max_connections=100\n"));
    assert!(!after.contains_key("/etc/new.conf"), "{after:?}");

    let recorded = log.list(Some(&web.instance_id)).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0], done);
    assert_eq!(recorded[0].plan.snapshot_group_id, gid);
}

#[tokio::test]
async fn a_group_of_another_instance_is_refused() {
    let sb = Sandbox::start().await;
    let client = sb.client("admin");
    let web = sb.instance(WEB);
    let other = sb.instance(OTHER);
    let gid = group(&sb, OTHER).await;
    step(&sb, 30).await;
    let e = plan(&client, &web.region_id, &web.instance_id, &gid)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(
        e.message,
        format!(
            "snapshot group {gid} belongs to instance {}, not {}; a rollback only restores \
             an instance from its own group",
            other.instance_id, web.instance_id
        )
    );
    let e = plan(
        &client,
        &web.region_id,
        &web.instance_id,
        "ssg-doesnotexist",
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let e = plan(&client, &web.region_id, &web.instance_id, "s-notagroup")
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(!sb.calls().await.contains_key("ResetDisks"));
}

#[tokio::test]
async fn a_group_not_accomplished_or_with_a_released_disk_is_refused_and_nothing_is_reset() {
    let sb = Sandbox::start().await;
    let client = sb.client("admin");
    let web = sb.instance(WEB);
    // Right after CreateSnapshotGroup, before the clock moves, the group is progressing.
    let gid = group(&sb, WEB).await;
    let e = plan(&client, &web.region_id, &web.instance_id, &gid)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    assert_eq!(
        e.message,
        format!(
            "snapshot group {gid} is progressing, not accomplished; only a complete group \
             can be restored"
        )
    );
    step(&sb, 30).await;
    let ok = plan(&client, &web.region_id, &web.instance_id, &gid)
        .await
        .expect("accomplished now");
    let data = ok.disks.last().expect("a disk").disk_id.clone();
    sb.control(
        Method::POST,
        &format!("instances/{}/release-disk", web.instance_id),
        json!({ "disk_id": data }),
    )
    .await;
    let e = plan(&client, &web.region_id, &web.instance_id, &gid)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        format!(
            "disk {data} of snapshot group {gid} no longer exists on instance {} (released \
             or detached); nothing was reset",
            web.instance_id
        )
    );
    assert!(!sb.calls().await.contains_key("ResetDisks"));
}
