//! Snapshot-consistent groups, snapshots, and rollback (ResetDisk/ResetDisks).
//!
//! DescribeSnapshotGroups spells tags `Key`/`Value`; DescribeSnapshots uses
//! `TagKey`/`TagValue`. DescribeSnapshotGroups pages by `NextToken` only.

use serde::Deserialize;

use super::ecs_instances::ecs_request as ecs;
use super::paging::{next_token, next_token_stream, paginate, Page};
use super::{new_client_token, u64_lenient, EmptyResponse, KeyValueTags, Tags};
use crate::client::Client;
use crate::error::AcsError;
use crate::params::Params;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateSnapshotGroupRequest {
    pub instance_id: Option<String>,
    pub disk_ids: Vec<String>,
    pub exclude_disk_ids: Vec<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<(String, String)>,
    /// Generated when `None`; reused on every retry.
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateSnapshotGroupResponse {
    pub request_id: String,
    /// `ssg-...`.
    pub snapshot_group_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeSnapshotGroupsRequest {
    pub instance_id: Option<String>,
    pub snapshot_group_ids: Vec<String>,
    pub name: Option<String>,
    /// `progressing`, `accomplished`, `failed`.
    pub statuses: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeSnapshotGroupsResponse {
    pub request_id: String,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub snapshot_groups: SnapshotGroups,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SnapshotGroups {
    #[serde(rename = "SnapshotGroup", default)]
    pub snapshot_group: Vec<SnapshotGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SnapshotGroup {
    pub snapshot_group_id: String,
    pub name: String,
    pub description: String,
    pub instance_id: String,
    pub creation_time: String,
    pub status: String,
    pub progress_status: Option<String>,
    pub resource_group_id: String,
    /// `Key`/`Value` here, unlike every other ECS reply.
    pub tags: KeyValueTags,
    pub snapshots: GroupSnapshots,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct GroupSnapshots {
    #[serde(rename = "Snapshot", default)]
    pub snapshot: Vec<GroupSnapshot>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GroupSnapshot {
    pub snapshot_id: String,
    pub source_disk_id: String,
    pub source_disk_type: String,
    /// e.g. `"100%"`.
    pub progress: String,
    pub instant_access: bool,
    pub instant_access_retention_days: u64,
    pub available: bool,
    pub tags: KeyValueTags,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeSnapshotsRequest {
    pub instance_id: Option<String>,
    pub disk_id: Option<String>,
    /// Sent as a JSON array in one string.
    pub snapshot_ids: Vec<String>,
    pub status: Option<String>,
    pub tags: Vec<(String, String)>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeSnapshotsResponse {
    pub request_id: String,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub snapshots: Snapshots,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Snapshots {
    #[serde(rename = "Snapshot", default)]
    pub snapshot: Vec<Snapshot>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Snapshot {
    pub snapshot_id: String,
    pub snapshot_name: String,
    pub description: String,
    pub status: String,
    pub progress: String,
    pub creation_time: String,
    pub source_disk_id: String,
    /// GiB; a string on the wire.
    #[serde(deserialize_with = "u64_lenient")]
    pub source_disk_size: Option<u64>,
    pub source_disk_type: String,
    pub snapshot_type: String,
    pub instant_access: bool,
    pub available: bool,
    pub region_id: String,
    /// `TagKey`/`TagValue` here.
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OperationProgressResponse {
    pub request_id: String,
    pub operation_progress_set: OperationProgressSet,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OperationProgressSet {
    #[serde(rename = "OperationProgress", default)]
    pub operation_progress: Vec<OperationProgress>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OperationProgress {
    /// `Success`, or a failure.
    pub operation_status: String,
    pub error_code: String,
    pub error_msg: String,
    pub related_item_set: RelatedItemSet,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RelatedItemSet {
    #[serde(rename = "RelatedItem", default)]
    pub related_item: Vec<RelatedItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RelatedItem {
    pub name: String,
    pub value: String,
}

impl Client {
    pub async fn create_snapshot_group(
        &self,
        region: &str,
        req: &CreateSnapshotGroupRequest,
    ) -> Result<CreateSnapshotGroupResponse, AcsError> {
        let mut p = Params::new();
        p.opt("InstanceId", req.instance_id.as_ref())
            .repeat("DiskId", &req.disk_ids)
            .repeat("ExcludeDiskId", &req.exclude_disk_ids)
            .opt("Name", req.name.as_ref())
            .opt("Description", req.description.as_ref())
            .key_values("Tag", &req.tags)
            .set(
                "ClientToken",
                req.client_token.clone().unwrap_or_else(new_client_token),
            );
        self.call(&ecs("CreateSnapshotGroup", region, p)).await
    }

    pub async fn describe_snapshot_groups(
        &self,
        region: &str,
        req: &DescribeSnapshotGroupsRequest,
    ) -> Result<DescribeSnapshotGroupsResponse, AcsError> {
        let mut p = Params::new();
        p.opt("InstanceId", req.instance_id.as_ref())
            .repeat("SnapshotGroupId", &req.snapshot_group_ids)
            .opt("Name", req.name.as_ref())
            .repeat("Status", &req.statuses)
            .key_values("Tag", &req.tags)
            .opt("MaxResults", req.max_results)
            .opt("NextToken", req.next_token.as_ref());
        self.call(&ecs("DescribeSnapshotGroups", region, p)).await
    }

    next_token_stream!(
        /// Every matching snapshot group, following `NextToken`.
        describe_snapshot_groups_stream, describe_snapshot_groups,
        DescribeSnapshotGroupsRequest, SnapshotGroup,
        |r: DescribeSnapshotGroupsResponse| (r.snapshot_groups.snapshot_group, r.next_token)
    );

    pub async fn delete_snapshot_group(
        &self,
        region: &str,
        snapshot_group_id: &str,
    ) -> Result<OperationProgressResponse, AcsError> {
        let mut p = Params::new();
        p.set("SnapshotGroupId", snapshot_group_id);
        self.call(&ecs("DeleteSnapshotGroup", region, p)).await
    }

    pub async fn describe_snapshots(
        &self,
        region: &str,
        req: &DescribeSnapshotsRequest,
    ) -> Result<DescribeSnapshotsResponse, AcsError> {
        let mut p = Params::new();
        p.opt("InstanceId", req.instance_id.as_ref())
            .opt("DiskId", req.disk_id.as_ref())
            .json_array("SnapshotIds", &req.snapshot_ids)
            .opt("Status", req.status.as_ref())
            .key_values("Tag", &req.tags)
            .opt("MaxResults", req.max_results)
            .opt("NextToken", req.next_token.as_ref());
        self.call(&ecs("DescribeSnapshots", region, p)).await
    }

    next_token_stream!(
        /// Every matching snapshot, following `NextToken`.
        describe_snapshots_stream, describe_snapshots, DescribeSnapshotsRequest, Snapshot,
        |r: DescribeSnapshotsResponse| (r.snapshots.snapshot, r.next_token)
    );

    /// Roll several disks back, each to its snapshot (`Disk.N.DiskId`/`Disk.N.SnapshotId`).
    pub async fn reset_disks(
        &self,
        region: &str,
        disks: &[(String, String)],
        dry_run: bool,
    ) -> Result<OperationProgressResponse, AcsError> {
        let mut p = Params::new();
        for (i, (disk, snapshot)) in disks.iter().enumerate() {
            p.set(format!("Disk.{}.DiskId", i + 1), disk)
                .set(format!("Disk.{}.SnapshotId", i + 1), snapshot);
        }
        if dry_run {
            p.set("DryRun", true);
        }
        self.call(&ecs("ResetDisks", region, p)).await
    }

    /// Roll one disk back; the instance must be stopped.
    pub async fn reset_disk(
        &self,
        region: &str,
        disk_id: &str,
        snapshot_id: &str,
    ) -> Result<EmptyResponse, AcsError> {
        let mut p = Params::new();
        p.set("DiskId", disk_id).set("SnapshotId", snapshot_id);
        self.call(&ecs("ResetDisk", region, p)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_tags_use_key_value_but_snapshot_tags_use_tag_key() {
        let g: DescribeSnapshotGroupsResponse = serde_json::from_str(
            r#"{"SnapshotGroups":{"SnapshotGroup":[{"SnapshotGroupId":"ssg-1","Status":"accomplished",
                "Tags":{"Tag":[{"Key":"APPConsistent","Value":"True"}]},
                "Snapshots":{"Snapshot":[{"SnapshotId":"s-1","Progress":"100%","Available":true,
                   "Tags":{"Tag":[{"Key":"k","Value":"v"}]}}]}}]},"NextToken":""}"#,
        )
        .unwrap();
        let group = &g.snapshot_groups.snapshot_group[0];
        assert_eq!(group.tags.tag[0].key, "APPConsistent");
        assert_eq!(group.snapshots.snapshot[0].progress, "100%");
        let s: DescribeSnapshotsResponse = serde_json::from_str(
            r#"{"Snapshots":{"Snapshot":[{"SnapshotId":"s-1","SourceDiskSize":"40",
                "Tags":{"Tag":[{"TagKey":"FsConsistent","TagValue":"True"}]}}]}}"#,
        )
        .unwrap();
        let snap = &s.snapshots.snapshot[0];
        assert_eq!(snap.tags.tag[0].tag_key, "FsConsistent");
        assert_eq!(snap.source_disk_size, Some(40));
    }
}
