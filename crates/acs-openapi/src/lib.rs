//! Alibaba Cloud OpenAPI client. Knows the wire protocol (signing, credentials,
//! endpoints, retries, typed actions) and nothing of what snapshots mean.

pub mod clock;
pub mod credentials;
pub mod error;
pub mod sensitive;
pub mod signing;

pub use clock::Clock;
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{AcsError, ErrorKind, ServiceError};
pub use sensitive::Sensitive;
pub use signing::SignatureVersion;
