//! The instance picker: the current profile's last stored inventory, a refresh of all or
//! some regions, the deep check and a check's fix; each keeps the result in `appsnap.db`.

use appsnap_core::fleet::{
    self, FixEvent, FixReport, FixRequest, FixTuning, FleetEvent, FleetStore, Inventory,
    InventoryOptions, ProbeTuning, StoredInventory,
};
use appsnap_core::progress::Reporter;
use appsnap_core::{AppError, ErrorCode};

use crate::cloud;
use crate::state::AppState;

/// The last inventory of the current profile with its age and drift checks, or none yet.
pub async fn fleet_cached(state: &AppState) -> Result<Option<StoredInventory>, AppError> {
    let profile = state.current_profile.name();
    blocking(move || FleetStore::in_data_dir()?.load_checked(&profile, fleet::now_ms())).await
}

/// Reads `regions` (empty = every region) and lays them over the stored inventory.
pub async fn fleet_refresh(
    state: &AppState,
    reporter: Reporter<FleetEvent>,
    regions: Vec<String>,
) -> Result<StoredInventory, AppError> {
    let options = InventoryOptions {
        regions: regions.clone(),
        ..InventoryOptions::default()
    };
    let session = cloud::session(state).await?;
    let fresh = fleet::inventory(&session.client, &options, &reporter).await?;
    let previous = fleet_cached(state).await?.map(|s| s.inventory);
    let merged = fleet::merge(previous.as_ref(), fresh, &regions);
    save(state, merged).await
}

/// Probes `instance_ids` (empty = every instance) of the stored inventory.
pub async fn fleet_deep_check(
    state: &AppState,
    reporter: Reporter<FleetEvent>,
    instance_ids: Vec<String>,
) -> Result<StoredInventory, AppError> {
    let mut inventory = stored(state).await?;
    let session = cloud::session(state).await?;
    fleet::deep_check(
        &session.client,
        &mut inventory,
        &instance_ids,
        &ProbeTuning::default(),
        &reporter,
    )
    .await?;
    save(state, inventory).await
}

/// Carries out a check's fix, then keeps the re-read inventory.
pub async fn fleet_fix(
    state: &AppState,
    reporter: Reporter<FixEvent>,
    request: FixRequest,
) -> Result<FixReport, AppError> {
    let mut inventory = stored(state).await?;
    let session = cloud::session(state).await?;
    let report = fleet::fix(
        &session.client,
        &request,
        &mut inventory,
        &FixTuning::default(),
        &reporter,
    )
    .await?;
    save(state, inventory).await?;
    Ok(report)
}

async fn stored(state: &AppState) -> Result<Inventory, AppError> {
    fleet_cached(state)
        .await?
        .map(|s| s.inventory)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!(
                    "there is no inventory of profile '{}' yet; refresh first",
                    state.current_profile.name()
                ),
            )
        })
}

/// Keeps the inventory and answers it with the drift checks (derived, never stored).
async fn save(state: &AppState, mut inventory: Inventory) -> Result<StoredInventory, AppError> {
    let profile = state.current_profile.name();
    blocking(move || {
        let taken_at_ms = fleet::now_ms();
        let mut store = FleetStore::in_data_dir()?;
        store.save(&profile, &inventory, taken_at_ms)?;
        store.add_drift(&profile, &mut inventory)?;
        Ok(StoredInventory {
            profile,
            taken_at_ms,
            age_ms: 0,
            inventory,
        })
    })
    .await
}

/// SQLite and a large document's JSON off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal(format!("the store's work stopped: {e}")))?
}
