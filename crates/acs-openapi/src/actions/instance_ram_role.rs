//! Which RAM role an instance carries (Describe/Attach/DetachInstanceRamRole).
//! `InstanceIds` is a JSON array in one string for all three.

use futures::stream::BoxStream;
use serde::Deserialize;

use super::ecs_instances::ecs_request as ecs;
use super::paging::{next_page_number, paginate, Page};
use crate::client::Client;
use crate::error::AcsError;
use crate::params::Params;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstanceRamRoleSet {
    pub instance_id: String,
    pub ram_role_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct InstanceRamRoleSets {
    #[serde(rename = "InstanceRamRoleSet", default)]
    pub instance_ram_role_set: Vec<InstanceRamRoleSet>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInstanceRamRoleResponse {
    pub request_id: String,
    pub region_id: String,
    pub total_count: u64,
    pub instance_ram_role_sets: InstanceRamRoleSets,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RamRoleResult {
    pub instance_id: String,
    /// `"200"` on success.
    pub code: String,
    pub message: String,
    pub success: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AttachInstanceRamRoleResponse {
    pub request_id: String,
    pub ram_role_name: String,
    pub total_count: u64,
    pub fail_count: u64,
    pub attach_instance_ram_role_results: AttachResults,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct AttachResults {
    #[serde(rename = "AttachInstanceRamRoleResult", default)]
    pub results: Vec<RamRoleResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DetachInstanceRamRoleResponse {
    pub request_id: String,
    pub ram_role_name: String,
    pub total_count: u64,
    pub fail_count: u64,
    pub detach_instance_ram_role_results: DetachResults,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DetachResults {
    #[serde(rename = "DetachInstanceRamRoleResult", default)]
    pub results: Vec<RamRoleResult>,
}

/// The action's largest page (1–50).
const ROLE_PAGE_SIZE: u32 = 50;

impl Client {
    /// One page (PageNumber/PageSize paging, the only kind this action has).
    pub async fn describe_instance_ram_role(
        &self,
        region: &str,
        instance_ids: &[String],
        ram_role_name: Option<&str>,
        page_number: u32,
        page_size: u32,
    ) -> Result<DescribeInstanceRamRoleResponse, AcsError> {
        let mut p = Params::new();
        p.json_array("InstanceIds", instance_ids)
            .opt("RamRoleName", ram_role_name)
            .set("PageNumber", page_number)
            .set("PageSize", page_size);
        self.call(&ecs("DescribeInstanceRamRole", region, p)).await
    }

    /// Every (instance, role) pair, following `PageNumber`; instances without a role are
    /// absent. `page_size` defaults to the largest page.
    pub fn describe_instance_ram_role_stream(
        &self,
        region: &str,
        instance_ids: Vec<String>,
        ram_role_name: Option<String>,
        page_size: Option<u32>,
    ) -> BoxStream<'static, Result<InstanceRamRoleSet, AcsError>> {
        let (client, region) = (self.clone(), region.to_string());
        let page_size = page_size.unwrap_or(ROLE_PAGE_SIZE);
        paginate(1u32, move |page| {
            let (client, region, ids, role) = (
                client.clone(),
                region.clone(),
                instance_ids.clone(),
                ram_role_name.clone(),
            );
            async move {
                let r = client
                    .describe_instance_ram_role(&region, &ids, role.as_deref(), page, page_size)
                    .await?;
                let items = r.instance_ram_role_sets.instance_ram_role_set;
                Ok(Page {
                    next: next_page_number(page, page_size, r.total_count, items.len()),
                    items,
                })
            }
        })
    }

    pub async fn attach_instance_ram_role(
        &self,
        region: &str,
        ram_role_name: &str,
        instance_ids: &[String],
        policy: Option<&str>,
    ) -> Result<AttachInstanceRamRoleResponse, AcsError> {
        let mut p = Params::new();
        p.set("RamRoleName", ram_role_name)
            .json_array("InstanceIds", instance_ids)
            .opt("Policy", policy);
        self.call(&ecs("AttachInstanceRamRole", region, p)).await
    }

    pub async fn detach_instance_ram_role(
        &self,
        region: &str,
        instance_ids: &[String],
        ram_role_name: Option<&str>,
    ) -> Result<DetachInstanceRamRoleResponse, AcsError> {
        let mut p = Params::new();
        p.json_array("InstanceIds", instance_ids)
            .opt("RamRoleName", ram_role_name);
        self.call(&ecs("DetachInstanceRamRole", region, p)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_instance_failures_come_inside_the_reply() {
        let r: AttachInstanceRamRoleResponse = serde_json::from_str(
            r#"{"RequestId":"R","RamRoleName":"r","TotalCount":2,"FailCount":1,
               "AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[
                 {"InstanceId":"i-1","Code":"200","Message":"success","Success":true},
                 {"InstanceId":"i-2","Code":"Sandbox.RoleAlreadyAttached","Message":"x","Success":false}]}}"#,
        )
        .unwrap();
        assert_eq!(r.fail_count, 1);
        assert!(!r.attach_instance_ram_role_results.results[1].success);
    }
}
