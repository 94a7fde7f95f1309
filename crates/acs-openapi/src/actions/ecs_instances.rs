//! ECS regions, instances, disks, and instance power (start/stop).

use serde::Deserialize;

use super::paging::{next_token, next_token_stream, paginate, Page};
use super::{EmptyResponse, Tags};
use crate::client::{Client, Request};
use crate::endpoint::Product;
use crate::error::AcsError;
use crate::params::Params;

pub(crate) fn ecs(action: &'static str, region: &str, mut p: Params) -> Request {
    p.set("RegionId", region);
    Request::new(Product::Ecs, action, p).in_region(Some(region))
}
pub(crate) use ecs as ecs_request;

// ---- DescribeRegions ---------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Region {
    pub region_id: String,
    pub local_name: String,
    pub region_endpoint: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeRegionsResponse {
    pub request_id: String,
    pub regions: Regions,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Regions {
    #[serde(rename = "Region", default)]
    pub region: Vec<Region>,
}

// ---- DescribeInstances -------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeInstancesRequest {
    /// Sent as a JSON array in one string (`InstanceIds=["i-a","i-b"]`), ≤100.
    pub instance_ids: Vec<String>,
    pub instance_name: Option<String>,
    pub status: Option<String>,
    pub zone_id: Option<String>,
    pub vpc_id: Option<String>,
    pub tags: Vec<(String, String)>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

impl DescribeInstancesRequest {
    fn params(&self) -> Params {
        let mut p = Params::new();
        p.json_array("InstanceIds", &self.instance_ids)
            .opt("InstanceName", self.instance_name.as_ref())
            .opt("Status", self.status.as_ref())
            .opt("ZoneId", self.zone_id.as_ref())
            .opt("VpcId", self.vpc_id.as_ref())
            .key_values("Tag", &self.tags)
            .opt("MaxResults", self.max_results)
            .opt("NextToken", self.next_token.as_ref());
        p
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInstancesResponse<I = Instance> {
    pub request_id: String,
    pub total_count: u64,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub instances: Instances<I>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Instances<I = Instance> {
    #[serde(rename = "Instance", default = "Vec::new")]
    pub instance: Vec<I>,
}

/// The fields of a DescribeInstances item that a fleet inventory reads. The rest of each
/// item is skipped, not kept: ten thousand full items are ≈ 25 owned strings each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstanceBrief {
    pub instance_id: String,
    pub instance_name: String,
    pub status: String,
    pub zone_id: String,
    #[serde(rename = "OSName")]
    pub os_name: String,
    #[serde(rename = "OSNameEn")]
    pub os_name_en: String,
    #[serde(rename = "OSType")]
    pub os_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Instance {
    pub instance_id: String,
    pub instance_name: String,
    pub host_name: String,
    pub status: String,
    pub region_id: String,
    pub zone_id: String,
    pub image_id: String,
    #[serde(rename = "OSName")]
    pub os_name: String,
    #[serde(rename = "OSNameEn")]
    pub os_name_en: String,
    /// `linux` or `windows` (lowercase in replies).
    #[serde(rename = "OSType")]
    pub os_type: String,
    pub instance_type: String,
    pub cpu: u32,
    /// MiB.
    pub memory: u64,
    pub creation_time: String,
    pub instance_network_type: String,
    pub vpc_attributes: VpcAttributes,
    pub public_ip_address: IpAddressList,
    pub tags: Tags,
    pub operation_locks: OperationLocks,
    pub resource_group_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcAttributes {
    pub vpc_id: String,
    #[serde(rename = "VSwitchId")]
    pub vswitch_id: String,
    pub private_ip_address: IpAddressList,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct IpAddressList {
    #[serde(rename = "IpAddress", default)]
    pub ip_address: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OperationLocks {
    #[serde(rename = "LockReason", default)]
    pub lock_reason: Vec<LockReason>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LockReason {
    pub lock_reason: String,
}

// ---- DescribeDisks -----------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeDisksRequest {
    pub instance_id: Option<String>,
    /// Sent as a JSON array in one string.
    pub disk_ids: Vec<String>,
    pub disk_type: Option<String>,
    pub category: Option<String>,
    pub status: Option<String>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

impl DescribeDisksRequest {
    fn params(&self) -> Params {
        let mut p = Params::new();
        p.opt("InstanceId", self.instance_id.as_ref())
            .json_array("DiskIds", &self.disk_ids)
            .opt("DiskType", self.disk_type.as_ref())
            .opt("Category", self.category.as_ref())
            .opt("Status", self.status.as_ref())
            .opt("MaxResults", self.max_results)
            .opt("NextToken", self.next_token.as_ref());
        p
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeDisksResponse<D = Disk> {
    pub request_id: String,
    pub total_count: u64,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub disks: Disks<D>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Disks<D = Disk> {
    #[serde(rename = "Disk", default = "Vec::new")]
    pub disk: Vec<D>,
}

/// The fields of a DescribeDisks item that a fleet inventory reads (see `InstanceBrief`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DiskBrief {
    pub disk_id: String,
    pub category: String,
    /// GiB.
    pub size: u64,
    /// `system` or `data`.
    #[serde(rename = "Type")]
    pub disk_type: String,
    pub instance_id: String,
    pub multi_attach: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Disk {
    pub disk_id: String,
    pub disk_name: String,
    pub category: String,
    pub performance_level: String,
    /// GiB.
    pub size: u64,
    /// `system` or `data`.
    #[serde(rename = "Type")]
    pub disk_type: String,
    pub status: String,
    pub instance_id: String,
    pub device: String,
    pub zone_id: String,
    pub region_id: String,
    pub encrypted: bool,
    pub portable: bool,
    pub multi_attach: String,
    pub delete_with_instance: bool,
    pub creation_time: String,
    pub tags: Tags,
}

impl Client {
    pub async fn describe_regions(
        &self,
        region: &str,
    ) -> Result<DescribeRegionsResponse, AcsError> {
        self.call(&ecs("DescribeRegions", region, Params::new()))
            .await
    }

    /// One page; see [`Client::describe_instances_stream`] for all of them.
    pub async fn describe_instances(
        &self,
        region: &str,
        req: &DescribeInstancesRequest,
    ) -> Result<DescribeInstancesResponse, AcsError> {
        self.call(&ecs("DescribeInstances", region, req.params()))
            .await
    }

    next_token_stream!(
        /// Every matching instance, following `NextToken`.
        describe_instances_stream, describe_instances, DescribeInstancesRequest, Instance,
        |r: DescribeInstancesResponse| (r.instances.instance, r.next_token)
    );

    /// One page of `InstanceBrief`s: the same call as `describe_instances`, less decoded.
    pub async fn describe_instance_briefs(
        &self,
        region: &str,
        req: &DescribeInstancesRequest,
    ) -> Result<DescribeInstancesResponse<InstanceBrief>, AcsError> {
        self.call(&ecs("DescribeInstances", region, req.params()))
            .await
    }

    pub async fn describe_disks(
        &self,
        region: &str,
        req: &DescribeDisksRequest,
    ) -> Result<DescribeDisksResponse, AcsError> {
        self.call(&ecs("DescribeDisks", region, req.params())).await
    }

    next_token_stream!(
        /// Every matching disk, following `NextToken`.
        describe_disks_stream, describe_disks, DescribeDisksRequest, Disk,
        |r: DescribeDisksResponse| (r.disks.disk, r.next_token)
    );

    /// One page of `DiskBrief`s: the same call as `describe_disks`, less decoded.
    pub async fn describe_disk_briefs(
        &self,
        region: &str,
        req: &DescribeDisksRequest,
    ) -> Result<DescribeDisksResponse<DiskBrief>, AcsError> {
        self.call(&ecs("DescribeDisks", region, req.params())).await
    }

    next_token_stream!(
        /// Every matching disk as a `DiskBrief`, following `NextToken`.
        describe_disk_briefs_stream, describe_disk_briefs, DescribeDisksRequest, DiskBrief,
        |r: DescribeDisksResponse<DiskBrief>| (r.disks.disk, r.next_token)
    );

    pub async fn stop_instance(
        &self,
        region: &str,
        instance_id: &str,
        force_stop: bool,
    ) -> Result<EmptyResponse, AcsError> {
        let mut p = Params::new();
        p.set("InstanceId", instance_id);
        if force_stop {
            p.set("ForceStop", true);
        }
        self.call(&ecs("StopInstance", region, p)).await
    }

    pub async fn start_instance(
        &self,
        region: &str,
        instance_id: &str,
    ) -> Result<EmptyResponse, AcsError> {
        let mut p = Params::new();
        p.set("InstanceId", instance_id);
        self.call(&ecs("StartInstance", region, p)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_reply_with_wrappers_and_unknown_fields() {
        let r: DescribeInstancesResponse = serde_json::from_str(
            r#"{"RequestId":"R","TotalCount":1,"NextToken":"","Unknown":{"x":1},
              "Instances":{"Instance":[{"InstanceId":"i-1","OSType":"linux","OSNameEn":"CentOS  7.6 64 bit",
              "Cpu":2,"Memory":4096,"VpcAttributes":{"VpcId":"vpc-1","VSwitchId":"vsw-1","PrivateIpAddress":{"IpAddress":["10.0.0.1"]}},
              "Tags":{"Tag":[{"TagKey":"env","TagValue":"prod"}]},"OperationLocks":{"LockReason":[]}}]}}"#,
        )
        .unwrap();
        let i = &r.instances.instance[0];
        assert_eq!(i.os_type, "linux");
        assert_eq!(i.vpc_attributes.vswitch_id, "vsw-1");
        assert_eq!(i.vpc_attributes.private_ip_address.ip_address, ["10.0.0.1"]);
        assert_eq!(i.tags.tag[0].tag_key, "env");
    }

    #[test]
    fn briefs_read_the_same_fields_as_the_full_items() {
        let instances = r#"{"RequestId":"R","NextToken":"n","Instances":{"Instance":[{"InstanceId":"i-1",
            "InstanceName":"db","Status":"Running","ZoneId":"cn-hangzhou-h","OSType":"linux",
            "OSName":"CentOS 7.9 64位","OSNameEn":"CentOS 7.9 64 bit","Cpu":2,
            "VpcAttributes":{"VpcId":"vpc-1"},"Tags":{"Tag":[]}}]}}"#;
        let full: DescribeInstancesResponse = serde_json::from_str(instances).unwrap();
        let brief: DescribeInstancesResponse<InstanceBrief> =
            serde_json::from_str(instances).unwrap();
        let (f, b) = (&full.instances.instance[0], &brief.instances.instance[0]);
        assert_eq!(brief.next_token.as_deref(), Some("n"));
        assert_eq!(
            (&b.instance_id, &b.instance_name, &b.status, &b.zone_id),
            (&f.instance_id, &f.instance_name, &f.status, &f.zone_id)
        );
        assert_eq!(
            (&b.os_type, &b.os_name, &b.os_name_en),
            (&f.os_type, &f.os_name, &f.os_name_en)
        );
        assert_eq!(b.os_name_en, "CentOS 7.9 64 bit");

        let disks = r#"{"RequestId":"R","Disks":{"Disk":[{"DiskId":"d-1","Category":"cloud_essd",
            "Size":40,"Type":"system","InstanceId":"i-1","MultiAttach":"Disabled","Device":"/dev/xvda"}]}}"#;
        let full: DescribeDisksResponse = serde_json::from_str(disks).unwrap();
        let brief: DescribeDisksResponse<DiskBrief> = serde_json::from_str(disks).unwrap();
        let (f, b) = (&full.disks.disk[0], &brief.disks.disk[0]);
        assert_eq!(
            (
                &b.disk_id,
                &b.category,
                b.size,
                &b.disk_type,
                &b.instance_id,
                &b.multi_attach
            ),
            (
                &f.disk_id,
                &f.category,
                f.size,
                &f.disk_type,
                &f.instance_id,
                &f.multi_attach
            )
        );
        assert_eq!((b.size, b.disk_type.as_str()), (40, "system"));
    }

    #[test]
    fn instance_ids_go_as_a_json_array_string() {
        let req = DescribeInstancesRequest {
            instance_ids: vec!["i-a".into(), "i-b".into()],
            tags: vec![("k".into(), "v".into())],
            ..Default::default()
        };
        let p = req.params();
        assert_eq!(p.get("InstanceIds"), Some(r#"["i-a","i-b"]"#));
        assert_eq!(p.get("Tag.1.Key"), Some("k"));
        let r = ecs("DescribeInstances", "cn-beijing", p);
        assert_eq!(r.params.get("RegionId"), Some("cn-beijing"));
        assert_eq!(r.region.as_deref(), Some("cn-beijing"));
    }

    #[test]
    fn disk_type_field_is_named_type_on_the_wire() {
        let d: Disk = serde_json::from_str(r#"{"DiskId":"d-1","Type":"system","Size":40,"Category":"cloud_essd","MultiAttach":"Disabled"}"#).unwrap();
        assert_eq!(d.disk_type, "system");
        assert_eq!(d.size, 40);
    }
}
