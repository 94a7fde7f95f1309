//! ECS Cloud Assistant actions by resource: agent status and installation, commands,
//! invocations and their results, file sends (reference §3.4–3.13).

mod agent_status;
mod commands;
mod invocations;
mod send_file;

use crate::api::Call;
use crate::errors::{ApiError, ApiResult};
use crate::world::model::os::OsType;

pub use agent_status::{describe_cloud_assistant_status, install_cloud_assistant};
pub use commands::{create_command, delete_command, describe_commands};
pub use invocations::{
    describe_invocation_results, describe_invocations, invoke_command, run_command, stop_invocation,
};
pub use send_file::{describe_send_file_results, send_file};

pub(crate) fn plain(c: &Call, default_plain: bool) -> bool {
    match c.p.get("ContentEncoding") {
        Some(e) => e.eq_ignore_ascii_case("PlainText"),
        None => default_plain,
    }
}

pub(crate) fn instance_ids(c: &Call, max: usize) -> ApiResult<Vec<String>> {
    let ids = c.p.list("InstanceId");
    if ids.is_empty() {
        return Err(ApiError::missing("InstanceId.N"));
    }
    if ids.len() > max {
        return Err(ApiError::instance_ids_exceed(max));
    }
    Ok(ids)
}

pub(crate) fn valid_type(kind: &str) -> ApiResult<OsType> {
    match kind {
        "RunShellScript" => Ok(OsType::Linux),
        "RunPowerShellScript" | "RunBatScript" => Ok(OsType::Windows),
        _ => Err(ApiError::command_type_not_found(kind)),
    }
}
