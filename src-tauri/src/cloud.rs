//! The cloud behind the current profile. The built-in Sandbox profile talks to the embedded
//! sandbox as its admin user; stored profiles open through core's session, which this
//! function hands over to once core has it (the only place the shell builds a client).

use acs_openapi::{Client, Credentials};
use appsnap_core::status::SandboxStatus;
use appsnap_core::{AppError, ErrorCode};

use crate::state::{AppState, SANDBOX_PROFILE};

/// A client for the current profile, or why there is none.
pub async fn client(state: &AppState) -> Result<Client, AppError> {
    let profile = state.current_profile.read().await.clone();
    if profile != SANDBOX_PROFILE {
        return Err(AppError::new(
            ErrorCode::NotFound,
            format!("the desktop app opens only the {SANDBOX_PROFILE} profile, not '{profile}'"),
        ));
    }
    let endpoint = match &*state.sandbox.read().await {
        SandboxStatus::Running { endpoint, .. } => endpoint.clone(),
        SandboxStatus::Starting => {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "the sandbox cloud is still starting",
            ))
        }
        SandboxStatus::Unavailable { reason } => {
            return Err(AppError::new(
                ErrorCode::Network,
                format!("the sandbox cloud is not available: {reason}"),
            ))
        }
    };
    let admin = sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == "admin")
        .ok_or_else(|| AppError::internal("the sandbox has no admin account"))?;
    Ok(Client::builder()
        .endpoint(endpoint)
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()?)
}
