//! The Scripts screen: the template library, rendering with parameters, live validation
//! of a custom pair, and on instances a push (recorded in `appsnap.db` for the drift
//! check) or a test run. Everything sent is checked again by core before any call.

use std::collections::BTreeMap;

use appsnap_core::fleet::{now_ms, FleetStore};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::InstanceRef;
use appsnap_core::scripts::{
    self, PushReport, RenderedScripts, ScriptProblem, ScriptTemplate, ScriptValidation,
    ScriptsEvent, ScriptsTuning, TestRun,
};
use appsnap_core::AppError;

use crate::cloud;
use crate::state::AppState;

/// The source recorded for a pair typed or loaded by the user.
const CUSTOM: &str = "custom";

pub async fn scripts_templates(_state: &AppState) -> Result<Vec<ScriptTemplate>, AppError> {
    Ok(scripts::templates())
}

pub async fn scripts_check_params(
    _state: &AppState,
    name: String,
    params: BTreeMap<String, String>,
    freeze_timeout_seconds: u32,
) -> Result<Vec<ScriptProblem>, AppError> {
    Ok(scripts::check_params(
        &name,
        &params,
        freeze_timeout_seconds,
    ))
}

pub async fn scripts_render(
    _state: &AppState,
    name: String,
    params: BTreeMap<String, String>,
    freeze_timeout_seconds: u32,
) -> Result<RenderedScripts, AppError> {
    scripts::render(&name, &params, freeze_timeout_seconds)
}

/// Bytes, not text, so a file loaded from disk is checked as it is (UTF-8, NUL, BOM).
pub async fn scripts_validate(
    _state: &AppState,
    content: Vec<u8>,
) -> Result<ScriptValidation, AppError> {
    Ok(scripts::validate_script(&content))
}

/// Pushes the pair exactly as shown (a rendered template or the user's own) and records
/// the verified result for the current profile; a record that cannot be kept fails the
/// command after the push, so the screen says the drift check will not know it.
pub async fn scripts_push(
    state: &AppState,
    reporter: Reporter<ScriptsEvent>,
    instances: Vec<InstanceRef>,
    source: String,
    freeze: String,
    thaw: String,
) -> Result<PushReport, AppError> {
    let known = scripts::templates().iter().any(|t| t.name == source);
    if !known && source != CUSTOM {
        return Err(AppError::invalid_input(format!(
            "source '{source}' is neither a template nor '{CUSTOM}'"
        )));
    }
    let prepared = scripts::prepare(freeze.as_bytes(), thaw.as_bytes())?;
    let session = cloud::session(state).await?;
    let report = scripts::push(
        &session.client,
        &instances,
        &prepared,
        &source,
        &ScriptsTuning::default(),
        &reporter,
    )
    .await?;
    let profile = state.current_profile.name();
    let kept = report.clone();
    tokio::task::spawn_blocking(move || {
        FleetStore::in_data_dir()?.record_push(&profile, &kept, now_ms())
    })
    .await
    .map_err(|e| AppError::internal(format!("the store's work stopped: {e}")))??;
    Ok(report)
}

pub async fn scripts_test(
    state: &AppState,
    reporter: Reporter<ScriptsEvent>,
    instances: Vec<InstanceRef>,
    timeout_seconds: u32,
) -> Result<Vec<TestRun>, AppError> {
    let session = cloud::session(state).await?;
    let runs = scripts::test_run(
        &session.client,
        &instances,
        timeout_seconds,
        &ScriptsTuning::default(),
        &reporter,
    )
    .await?;
    // The picker predicts with the verdicts (a failing freeze script: file-system only).
    let profile = state.current_profile.name();
    let kept = runs.clone();
    tokio::task::spawn_blocking(move || {
        FleetStore::in_data_dir()?.record_test_runs(&profile, &kept, now_ms())
    })
    .await
    .map_err(|e| AppError::internal(format!("the store's work stopped: {e}")))??;
    Ok(runs)
}
