//! The RAM setup wizard: the instances to offer, the plan, and apply as a task. Options
//! are checked here at the boundary before core reads or writes anything.

use appsnap_core::progress::Reporter;
use appsnap_core::ram::{
    self, ApplyTuning, RamApplyEvent, RamApplyReport, RamCandidates, RamOptions, RamPlan,
};
use appsnap_core::AppError;

use crate::cloud;
use crate::state::AppState;

pub async fn ram_candidates(
    state: &AppState,
    regions: Vec<String>,
) -> Result<RamCandidates, AppError> {
    let session = cloud::session(state).await?;
    ram::candidates(&session.client, &regions).await
}

pub async fn ram_plan(state: &AppState, options: RamOptions) -> Result<RamPlan, AppError> {
    options.validate()?;
    let session = cloud::session(state).await?;
    ram::plan(&session.client, &options).await
}

pub async fn ram_apply(
    state: &AppState,
    reporter: Reporter<RamApplyEvent>,
    options: RamOptions,
) -> Result<RamApplyReport, AppError> {
    options.validate()?;
    let session = cloud::session(state).await?;
    ram::apply(
        &session.client,
        &options,
        &ApplyTuning::default(),
        &reporter,
    )
    .await
}
