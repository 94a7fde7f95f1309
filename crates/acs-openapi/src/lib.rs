//! Alibaba Cloud OpenAPI client. Knows the wire protocol (signing, credentials,
//! endpoints, retries, typed actions) and nothing of what snapshots mean.
//!
//! Entry point: [`Client::builder`]. Typed actions are methods on [`Client`] (see
//! [`actions`]); paged lists also have `*_stream` variants.

pub mod actions;
pub mod client;
pub mod clock;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod limiter;
pub mod pacer;
pub mod params;
mod reply;
pub mod retry;
pub mod sensitive;
pub mod signing;
pub mod strict;

pub use client::{Client, ClientBuilder, Request, StsAssumeRole};
pub use clock::Clock;
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use endpoint::{Network, Product};
pub use error::{AcsError, ErrorKind, ServiceError};
pub use limiter::LimitSettings;
pub use params::Params;
pub use retry::{Jitter, RetryPolicy};
pub use sensitive::Sensitive;
pub use signing::SignatureVersion;
