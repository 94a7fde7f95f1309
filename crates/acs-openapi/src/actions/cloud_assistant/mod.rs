//! Cloud Assistant: agent status and install, commands, invocations, file sends.
//!
//! Quirks kept as on the wire: `CloudAssistantStatus` is the string `"true"`/`"false"`;
//! per-instance end time is `FinishTime` in DescribeInvocations but `FinishedTime` in
//! DescribeInvocationResults; `Overwrite` in DescribeSendFileResults is a string.

mod agent;
mod commands;
mod invocations;
mod send_file;

pub use agent::*;
pub use commands::*;
pub use invocations::*;
pub use send_file::*;

fn json_object(map: &serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::to_string(map).expect("a JSON map serialises")
}
