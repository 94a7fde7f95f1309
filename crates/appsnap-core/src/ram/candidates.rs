//! The instances the wizard offers for step 4, each with the RAM role it holds now:
//! DescribeInstances per region (every page), then DescribeInstanceRamRole in calls of at
//! most 50 ids. Reads only; a fuller fleet inventory lives elsewhere.

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::Client;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::options::check_id;
use super::plan_instances::current_roles;
use super::types::{Blocker, InstanceRef};
use crate::error::AppError;
use crate::inventory::HOME_REGION;

/// DescribeInstances' largest page (alibaba-api.md §3.2).
const PAGE_SIZE: u32 = 100;

/// The instances of `regions` (every region of the account when empty) with their
/// current role. A denied role read marks that region's instances with the blocker
/// instead of failing the list; the plan shows them blocked the same way.
pub async fn candidates(client: &Client, regions: &[String]) -> Result<RamCandidates, AppError> {
    for r in regions {
        check_id("region id", r)?;
    }
    let regions = if regions.is_empty() {
        let home = client.region().unwrap_or(HOME_REGION).to_owned();
        let listed = client.describe_regions(&home).await?.regions.region;
        listed.into_iter().map(|r| r.region_id).collect()
    } else {
        regions.to_vec()
    };
    let mut instances = Vec::new();
    for region in &regions {
        let request = DescribeInstancesRequest {
            max_results: Some(PAGE_SIZE),
            ..Default::default()
        };
        let listed: Vec<_> = client
            .describe_instances_stream(region, request)
            .try_collect()
            .await?;
        let refs: Vec<InstanceRef> = listed
            .iter()
            .map(|i| InstanceRef {
                instance_id: i.instance_id.clone(),
                region_id: region.clone(),
            })
            .collect();
        let roles = current_roles(client, &refs).await?;
        for i in listed {
            let (current_role, role_blocker) = match roles.get(&i.instance_id) {
                Some(Ok(role)) => (role.clone(), None),
                Some(Err(b)) => (None, Some(b.clone())),
                None => (None, None),
            };
            instances.push(RamCandidate {
                instance_id: i.instance_id,
                instance_name: i.instance_name,
                region_id: region.clone(),
                status: i.status,
                os_name: i.os_name,
                current_role,
                role_blocker,
            });
        }
    }
    Ok(RamCandidates { regions, instances })
}

/// An instance that step 4 may attach the role to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RamCandidate {
    pub instance_id: String,
    pub instance_name: String,
    pub region_id: String,
    /// The cloud's status word, e.g. `Running`, `Stopped`.
    pub status: String,
    pub os_name: String,
    /// The RAM role the instance holds now, if any.
    pub current_role: Option<String>,
    /// Set when the caller may not read the instance's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub role_blocker: Option<Blocker>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RamCandidates {
    /// The regions that were listed, in the cloud's order.
    pub regions: Vec<String>,
    /// Instances by region, in the cloud's order within each.
    pub instances: Vec<RamCandidate>,
}
