//! Profiles: list, add, edit, remove, switch, test connection, import from the aliyun CLI.
//! Core validates every input again here at the boundary (the UI's checks are a courtesy);
//! keyring work runs off the async runtime (D-Bus round trips block). Secrets arrive in
//! `Sensitive` and are never logged or returned.

use acs_openapi::credentials::Env;
use appsnap_core::profiles::{
    self, validate_name, CallerIdentity, CliImportListing, ProfileEntry, ProfileInput,
    ProfileListing, Profiles,
};
use appsnap_core::AppError;

use crate::cloud;
use crate::state::AppState;

/// Runs keyring/file work on the blocking pool.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(Profiles) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let profiles = state.profiles.clone();
    tokio::task::spawn_blocking(move || work(profiles))
        .await
        .map_err(|e| AppError::internal(format!("profile work stopped: {e}")))?
}

pub async fn profiles_list(state: &AppState) -> Result<ProfileListing, AppError> {
    let entries = blocking(state, |p| Ok(p.list()?)).await?;
    Ok(ProfileListing::new(state.current_profile.name(), entries))
}

pub async fn profile_add(state: &AppState, input: ProfileInput) -> Result<ProfileEntry, AppError> {
    let (name, kind) = (input.profile.name.clone(), kind_name(&input));
    let entry = blocking(state, move |p| Ok(p.add_input(input)?)).await?;
    tracing::info!(profile = %name, kind, "profile added");
    Ok(entry)
}

pub async fn profile_update(
    state: &AppState,
    input: ProfileInput,
) -> Result<ProfileEntry, AppError> {
    let (name, kind, new_secret) = (
        input.profile.name.clone(),
        kind_name(&input),
        input.secret.is_some(),
    );
    let entry = blocking(state, move |p| Ok(p.update_input(input)?)).await?;
    tracing::info!(profile = %name, kind, new_secret, "profile updated");
    Ok(entry)
}

/// Removes the settings and the keyring entry; the current profile falls back to the
/// Sandbox when it was this one. Answers the listing after.
pub async fn profile_remove(state: &AppState, name: String) -> Result<ProfileListing, AppError> {
    validate_name(&name)?;
    refuse_builtin(&name, "removed")?;
    let removed = name.clone();
    blocking(state, move |p| Ok(p.remove(&removed)?)).await?;
    let back = state.current_profile.forget(&name)?;
    tracing::info!(profile = %name, back_to_sandbox = back, "profile removed");
    profiles_list(state).await
}

/// Makes `name` the current profile (saved for the next start); answers its name.
pub async fn profile_select(state: &AppState, name: String) -> Result<String, AppError> {
    if !profiles::is_sandbox(&name) {
        validate_name(&name)?;
    }
    // The lookup reads profiles.json only (no keyring), so it may run here.
    state.current_profile.select(&name, &state.profiles)?;
    tracing::info!(profile = %name, "current profile switched");
    Ok(state.current_profile.name())
}

/// GetCallerIdentity with `name`'s credentials (any profile, not only the current one).
pub async fn profile_test(state: &AppState, name: String) -> Result<CallerIdentity, AppError> {
    if !profiles::is_sandbox(&name) {
        validate_name(&name)?;
    }
    let session = cloud::session_named(state, &name).await?;
    let result = profiles::caller_identity(&session).await;
    match &result {
        Ok(me) => {
            tracing::info!(profile = %name, account_id = %me.account_id, identity_type = %me.identity_type, "connection tested")
        }
        Err(e) => {
            tracing::info!(profile = %name, code = ?e.code, request_id = ?e.request_id, "connection test failed")
        }
    }
    result
}

/// The aliyun CLI's profiles (never their secrets) and whether each can be imported.
pub async fn profile_import_list(state: &AppState) -> Result<CliImportListing, AppError> {
    blocking(state, |p| p.cli_import_listing(&Env::real())).await
}

/// Imports the chosen aliyun CLI profiles; their secrets go to the keyring only.
pub async fn profile_import(state: &AppState, names: Vec<String>) -> Result<Vec<String>, AppError> {
    let imported = blocking(state, move |p| p.import_cli(&Env::real(), &names)).await?;
    tracing::info!(profiles = ?imported, "profiles imported from the aliyun CLI");
    Ok(imported)
}

fn refuse_builtin(name: &str, what: &str) -> Result<(), AppError> {
    if profiles::is_sandbox(name) {
        return Err(AppError::invalid_input(format!(
            "the built-in {name} profile cannot be {what}"
        )));
    }
    Ok(())
}

fn kind_name(input: &ProfileInput) -> &'static str {
    match input.profile.kind {
        profiles::ProfileKind::AccessKey => "accessKey",
        profiles::ProfileKind::StsToken => "stsToken",
        profiles::ProfileKind::RamRoleArn { .. } => "ramRoleArn",
    }
}
