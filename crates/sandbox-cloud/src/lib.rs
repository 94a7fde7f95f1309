//! A local Alibaba Cloud: ECS, RAM, STS and a simulated Cloud Assistant, served over real
//! HTTP on 127.0.0.1. It is an independent implementation of the server side and never
//! reuses the client's request builder or signer.
//!
//! Layout: `auth` verifies signatures; `api` routes actions to handlers (one route table,
//! `api::routes`); `errors` is the catalogue of API errors; `world` is the simulated cloud
//! (model → world → primitives → behaviours, see `world/mod.rs`); `scenarios` build worlds;
//! `control` is the `/_sandbox/` API; `server` wires them to HTTP.

pub mod api;
pub mod auth;
pub mod clock;
pub mod control;
pub mod errors;
pub mod faults;
pub mod flow_control;
pub mod ids;
pub mod scenarios;
pub mod server;
pub mod state;
pub mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

pub use scenarios::{demo_accounts, DemoAccount, DEMO_ACCOUNT_ID};
use state::{ScenarioSpec, State};

/// What the embedded sandbox is started with.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Scenario name: `demo` (default) or `scale`.
    pub scenario: String,
    /// Address to bind; port 0 picks a free port.
    pub bind: SocketAddr,
    /// Seed for ids, the scale generator and fault ratios.
    pub seed: u64,
    /// Simulated seconds per wall second; 0 pauses the clock (step it via the control API).
    pub time_scale: f64,
    /// Turn off the timestamp-window and nonce-reuse checks (replaying captured requests).
    pub allow_replay: bool,
    /// More administrator AccessKeys `(id, secret)` in the demo account.
    pub extra_admin_keys: Vec<(String, String)>,
    /// `scale` scenario size.
    pub scale_instances: usize,
    pub scale_regions: usize,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            scenario: "demo".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 1,
            time_scale: 1.0,
            allow_replay: false,
            extra_admin_keys: Vec::new(),
            scale_instances: 1000,
            scale_regions: 4,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox cloud cannot serve yet: {0}")]
    NotAvailable(&'static str),
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("invalid sandbox options: {0}")]
    Options(String),
}

/// A running sandbox. Dropping it does not stop the server; call `shutdown`.
#[derive(Debug)]
pub struct RunningSandbox {
    endpoint: String,
    addr: SocketAddr,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSandbox {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stop accepting, close open connections and wait for the server task.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Start the sandbox in-process.
pub async fn start(options: SandboxOptions) -> Result<RunningSandbox, SandboxError> {
    if !(options.time_scale >= 0.0 && options.time_scale.is_finite()) {
        return Err(SandboxError::Options(
            "time_scale must be a non-negative number".into(),
        ));
    }
    let spec = ScenarioSpec {
        name: options.scenario.clone(),
        seed: options.seed,
        instances: options.scale_instances,
        regions: options.scale_regions,
    };
    let state = State::new(
        spec,
        options.time_scale,
        options.allow_replay,
        options.extra_admin_keys.clone(),
    )
    .map_err(SandboxError::Options)?;
    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .map_err(|source| SandboxError::Bind {
            addr: options.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
        addr: options.bind,
        source,
    })?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Mutex::new(state));
    let task = tokio::spawn(server::serve(listener, shared, stopped));
    tracing::info!(%addr, scenario = %options.scenario, "sandbox cloud listening");
    Ok(RunningSandbox {
        endpoint: format!("http://{addr}"),
        addr,
        stop,
        task,
    })
}
