//! What the account holds, region by region: the instance picker's first look, and the
//! desktop's first task that streams progress (one event per region as it is counted).

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::Client;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::progress::Reporter;

/// Where `DescribeRegions` is asked when the client has no region: any region answers it
/// (alibaba-api.md §3.1), and the list itself comes from the cloud, never from a table.
pub(crate) const HOME_REGION: &str = "cn-hangzhou";

/// DescribeInstances' largest page (alibaba-api.md §3.2), so a region costs few calls.
const PAGE_SIZE: u32 = 100;

/// Lists the regions, then counts each region's instances; one event per region. Stops
/// between regions when the task is cancelled (`ErrorCode::Cancelled`).
pub async fn scan_regions(
    client: &Client,
    reporter: &Reporter<RegionScanEvent>,
) -> Result<RegionScan, AppError> {
    reporter.checkpoint()?;
    let home = client.region().unwrap_or(HOME_REGION).to_owned();
    let regions = client.describe_regions(&home).await?.regions.region;
    reporter.emit(RegionScanEvent::Listed {
        region_ids: regions.iter().map(|r| r.region_id.clone()).collect(),
    });
    let mut counted = Vec::with_capacity(regions.len());
    for region in regions {
        reporter.checkpoint()?;
        let count = RegionCount {
            instances: count_instances(client, &region.region_id).await?,
            region_id: region.region_id,
            local_name: region.local_name,
        };
        reporter.emit(RegionScanEvent::Counted {
            region: count.clone(),
        });
        counted.push(count);
    }
    Ok(RegionScan { regions: counted })
}

async fn count_instances(client: &Client, region: &str) -> Result<u32, AppError> {
    let mut request = DescribeInstancesRequest {
        max_results: Some(PAGE_SIZE),
        ..Default::default()
    };
    let mut count = 0u32;
    loop {
        let page = client.describe_instances(region, &request).await?;
        count = count.saturating_add(page.instances.instance.len() as u32);
        // An empty or repeated token ends paging (a repeated one would loop forever).
        let next = page.next_token.filter(|t| !t.is_empty());
        if next.is_none() || request.next_token == next {
            return Ok(count);
        }
        request.next_token = next;
    }
}

/// One region and how many instances it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegionCount {
    pub region_id: String,
    /// The cloud's own name for the region, in the language it answered in.
    pub local_name: String,
    pub instances: u32,
}

/// Progress of [`scan_regions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum RegionScanEvent {
    /// The regions the account can use, in the cloud's order: what will be counted.
    #[serde(rename_all = "camelCase")]
    Listed { region_ids: Vec<String> },
    /// One region is counted.
    Counted { region: RegionCount },
}

/// Every region, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegionScan {
    pub regions: Vec<RegionCount>,
}
