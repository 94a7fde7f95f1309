//! Test support shared by the workspace's crates, used only as a dev-dependency
//! (`scripts/check-layers.mjs` refuses it as a normal or build dependency):
//! - [`keyring_gate`]: the one switch for tests that need the real OS keyring;
//! - [`mock_server`]: a scripted HTTP/1.1 server for transport and CLI error-path tests;
//! - [`data`]: the signing vectors and SDK request captures, kept once;
//! - [`sandbox`] (feature `sandbox`): starting the sandbox cloud the way tests want it.

pub mod data;
pub mod keyring_gate;
pub mod mock_server;
#[cfg(feature = "sandbox")]
pub mod sandbox;
