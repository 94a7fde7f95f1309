//! Freeze/thaw scripts: the template library (real `.sh` files under `templates/`, each a
//! freeze + thaw pair), rendering with checked parameters, and validation of any script
//! before it is sent (SendFile's size limit, UTF-8, shebang, LF endings, no NUL bytes,
//! every placeholder filled).
//!
//! Layout, lowest first (nothing imports upward): `types` (data), `validate` (a script's
//! bytes), `catalogue` (the templates), `params` (values against rules), `render`.

mod catalogue;
mod params;
mod render;
mod types;
mod validate;

pub use catalogue::DEFAULT_FREEZE_TIMEOUT_SECONDS;
pub use params::check_value;
pub use render::{check_params, render, templates};
pub use types::*;
pub use validate::{validate_script, MAX_SCRIPT_BYTES, SEND_FILE_BASE64_LIMIT};
