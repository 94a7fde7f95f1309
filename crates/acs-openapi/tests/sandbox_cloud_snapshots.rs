//! Typed snapshot actions against the sandbox cloud over real HTTP: snapshot groups, tags
//! and rollback, and a ClientToken retry after a lost reply. Every client decodes strictly.

mod common;

use acs_openapi::actions::snapshots::{
    CreateSnapshotGroupRequest, DescribeSnapshotGroupsRequest, DescribeSnapshotsRequest,
};
use acs_openapi::actions::tags::ListTagResourcesRequest;
use common::{instance, Sandbox, HZ};
use futures::TryStreamExt;
use serde_json::{json, Value};

#[tokio::test]
async fn snapshot_groups_tags_and_rollback() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let group = client
        .create_snapshot_group(
            HZ,
            &CreateSnapshotGroupRequest {
                instance_id: Some(mysql.instance_id.clone()),
                name: Some("appsnap-test".into()),
                tags: vec![("team".into(), "db".into())],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(group.snapshot_group_id.starts_with("ssg-"));
    sb.step(3600.0).await;
    let groups: Vec<_> = client
        .describe_snapshot_groups_stream(
            HZ,
            DescribeSnapshotGroupsRequest {
                snapshot_group_ids: vec![group.snapshot_group_id.clone()],
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    let g = &groups[0];
    assert_eq!(g.status, "accomplished", "{g:?}");
    assert!(
        g.tags
            .tag
            .iter()
            .any(|t| t.key == "team" && t.value == "db"),
        "{g:?}"
    );
    let snapshot_ids: Vec<String> = g
        .snapshots
        .snapshot
        .iter()
        .map(|s| s.snapshot_id.clone())
        .collect();
    let snaps: Vec<_> = client
        .describe_snapshots_stream(
            HZ,
            DescribeSnapshotsRequest {
                snapshot_ids: snapshot_ids.clone(),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(snaps.len(), snapshot_ids.len());

    client
        .tag_resources(
            HZ,
            "snapshot",
            &snapshot_ids[..1],
            &[("checked".into(), "yes".into())],
        )
        .await
        .unwrap();
    let tags: Vec<_> = client
        .list_tag_resources_stream(
            HZ,
            ListTagResourcesRequest {
                resource_type: "snapshot".into(),
                resource_ids: snapshot_ids[..1].to_vec(),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert!(
        tags.iter()
            .any(|t| t.tag_key == "checked" && t.tag_value == "yes"),
        "{tags:?}"
    );

    // Rollback needs a stopped instance.
    let pairs: Vec<(String, String)> = g
        .snapshots
        .snapshot
        .iter()
        .map(|s| (s.source_disk_id.clone(), s.snapshot_id.clone()))
        .collect();
    let running = client.reset_disks(HZ, &pairs, false).await.unwrap_err();
    assert_eq!(running.code(), Some("IncorrectInstanceStatus"));
    client
        .stop_instance(HZ, &mysql.instance_id, false)
        .await
        .unwrap();
    sb.step(120.0).await;
    let r = client.reset_disks(HZ, &pairs, false).await.unwrap();
    let statuses: Vec<&str> = r
        .operation_progress_set
        .operation_progress
        .iter()
        .map(|p| p.operation_status.as_str())
        .collect();
    assert_eq!(statuses, vec!["Success"; pairs.len()], "{r:?}");
    client
        .reset_disk(HZ, &pairs[0].0, &pairs[0].1)
        .await
        .unwrap();
    client.start_instance(HZ, &mysql.instance_id).await.unwrap();
    let del = client
        .delete_snapshot_group(HZ, &group.snapshot_group_id)
        .await
        .unwrap();
    let deleted: Vec<(&str, &str)> = del
        .operation_progress_set
        .operation_progress
        .iter()
        .map(|p| (p.operation_status.as_str(), p.error_code.as_str()))
        .collect();
    assert_eq!(deleted, vec![("Success", ""); pairs.len()], "{del:?}");
}

#[tokio::test]
async fn client_token_retry_after_a_lost_reply_creates_one_group() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let before = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", Value::Null)
        .await["snapshot_groups"]
        .as_array()
        .map_or(0, Vec::len);
    sb.fault(json!({"action": "CreateSnapshotGroup", "drop_after_apply_next": 1}))
        .await;
    let group = client
        .create_snapshot_group(
            HZ,
            &CreateSnapshotGroupRequest {
                instance_id: Some(mysql.instance_id.clone()),
                name: Some("idempotent".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        sb.calls("CreateSnapshotGroup").await,
        2,
        "applied, dropped, retried"
    );
    let after = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", Value::Null)
        .await["snapshot_groups"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        after.len(),
        before + 1,
        "the retry must not create a second group"
    );
    assert!(after
        .iter()
        .any(|g| g["snapshot_group_id"] == group.snapshot_group_id.as_str()));
}
