//! The account's regions with their instance counts, one event per region.

use appsnap_core::inventory::{self, RegionScan, RegionScanEvent};
use appsnap_core::progress::Reporter;
use appsnap_core::AppError;

use crate::cloud;
use crate::state::AppState;

pub async fn regions_scan(
    state: &AppState,
    reporter: Reporter<RegionScanEvent>,
) -> Result<RegionScan, AppError> {
    let session = cloud::session(state).await?;
    inventory::scan_regions(&session.client, &reporter).await
}
