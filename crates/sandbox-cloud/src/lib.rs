//! A local Alibaba Cloud: ECS, RAM, STS and a simulated Cloud Assistant, served over real
//! HTTP on 127.0.0.1. It is an independent implementation of the server side and never
//! reuses the client's request builder or signer.

use std::net::SocketAddr;

/// What the embedded sandbox is started with.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Scenario name: `demo` (default) or `scale`.
    pub scenario: String,
    /// Address to bind; port 0 picks a free port.
    pub bind: SocketAddr,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            scenario: "demo".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox cloud cannot serve yet: {0}")]
    NotAvailable(&'static str),
}

/// A running sandbox. Dropping it does not stop the server; call `shutdown`.
#[derive(Debug)]
pub struct RunningSandbox {
    endpoint: String,
}

impl RunningSandbox {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

/// Start the sandbox in-process.
pub async fn start(_options: SandboxOptions) -> Result<RunningSandbox, SandboxError> {
    Err(SandboxError::NotAvailable(
        "the emulator's HTTP server is not built yet",
    ))
}
