//! Alibaba Cloud OpenAPI client. Knows the wire protocol (signing, credentials,
//! endpoints, retries, typed actions) and nothing of what snapshots mean.

pub mod sensitive;
pub mod signing;

pub use sensitive::Sensitive;
pub use signing::SignatureVersion;
