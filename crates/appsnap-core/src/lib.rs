//! AppSnap's workflows. Knows the snapshot workflow and nothing of HTTP or windows.

pub mod error;
pub mod inventory;
pub mod profiles;
pub mod progress;
pub mod status;

pub use error::{AppError, ErrorCode};
