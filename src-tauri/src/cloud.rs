//! The session behind the current profile: the built-in Sandbox profile on the embedded
//! sandbox as its admin user, or a stored profile through core's `Session` (the only way
//! the shell gets a client).

use acs_openapi::credentials::{AccessKey, Env};
use acs_openapi::Sensitive;
use appsnap_core::session::{SandboxAccess, Session};
use appsnap_core::status::SandboxStatus;
use appsnap_core::{AppError, ErrorCode};

use crate::state::AppState;

/// A session for the current profile, or why there is none.
pub async fn session(state: &AppState) -> Result<Session, AppError> {
    session_named(state, &state.current_profile.name()).await
}

/// A session for the profile `name` (the Sandbox or a stored one).
pub async fn session_named(state: &AppState, name: &str) -> Result<Session, AppError> {
    let sandbox = sandbox_access(state, name).await?;
    Session::open_named(name, sandbox.as_ref(), &state.profiles, &Env::real())
}

/// The embedded sandbox's endpoint and admin key; `None` when it is not serving.
async fn sandbox_access(state: &AppState, name: &str) -> Result<Option<SandboxAccess>, AppError> {
    let endpoint = match &*state.sandbox.read().await {
        SandboxStatus::Running { endpoint, .. } => endpoint.clone(),
        SandboxStatus::Starting if appsnap_core::profiles::is_sandbox(name) => {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "the sandbox cloud is still starting",
            ))
        }
        _ => return Ok(None),
    };
    let admin = sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == "admin")
        .ok_or_else(|| AppError::internal("the sandbox has no admin account"))?;
    Ok(Some(SandboxAccess {
        endpoint,
        key: AccessKey {
            id: admin.access_key_id.to_owned(),
            secret: Sensitive::new(admin.access_key_secret.to_owned()),
        },
    }))
}
