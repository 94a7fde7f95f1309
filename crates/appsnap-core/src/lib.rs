//! AppSnap's workflows. Knows the snapshot workflow and nothing of HTTP or windows.

mod listed;

pub mod diagnostics;
pub mod error;
pub mod fleet;
pub mod hint;
pub mod history;
pub mod inventory;
pub mod jobs;
pub mod profiles;
pub mod progress;
pub mod ram;
pub mod rollback;
pub mod scripts;
pub mod session;
pub mod settings;
pub mod status;

pub use error::{AppError, ErrorCode};
pub use hint::{Hint, HintKey};
pub use session::{Session, SessionOverrides, Settings};
