//! Invocations: one command run on some instances, each instance's part with its own status,
//! output and error (reference §3.10–3.12).

use serde_json::{json, Value};

use crate::clock::{iso, SimTime};
use crate::world::model::command::encode_content;
use crate::world::model::status::{error_fields, InvocationStatus, TaskError, TaskStatus};
use crate::world::model::tags::Tags;

/// Output kept per instance; the agent keeps the tail (reference §3.11).
pub const OUTPUT_LIMIT: usize = 24 * 1024;

#[derive(Debug, Clone)]
pub struct InvokeInstance {
    pub instance_id: String,
    pub status: TaskStatus,
    pub exit_code: Option<i64>,
    pub output: Vec<u8>,
    pub dropped: usize,
    pub error: Option<TaskError>,
    pub creation_time: SimTime,
    pub start_time: Option<SimTime>,
    pub finish_time: Option<SimTime>,
    /// When StopInvocation was called on this part.
    pub stop_time: Option<SimTime>,
    pub update_time: SimTime,
}

impl InvokeInstance {
    pub fn new(instance_id: &str, now: SimTime) -> Self {
        Self {
            instance_id: instance_id.to_string(),
            status: TaskStatus::Pending,
            exit_code: None,
            output: Vec::new(),
            dropped: 0,
            error: None,
            creation_time: now,
            start_time: None,
            finish_time: None,
            stop_time: None,
            update_time: now,
        }
    }

    pub fn is_final(&self) -> bool {
        !self.status.is_live()
    }

    /// Append output, keeping the tail within the limit.
    pub fn push_output(&mut self, text: &str) {
        self.output.extend_from_slice(text.as_bytes());
        if self.output.len() > OUTPUT_LIMIT {
            let cut = self.output.len() - OUTPUT_LIMIT;
            self.output.drain(..cut);
            self.dropped += cut;
        }
    }

    pub fn to_json(&self, include_output: bool, plain: bool) -> Value {
        let (error_code, error_info) = error_fields(self.error);
        let mut v = json!({
            "InstanceId": self.instance_id,
            "InvocationStatus": self.status,
            "InstanceInvokeStatus": self.status.record(),
            "ExitCode": self.exit_code.unwrap_or(0),
            "Dropped": self.dropped,
            "ErrorCode": error_code,
            "ErrorInfo": error_info,
            "CreationTime": iso(self.creation_time),
            "StartTime": self.start_time.map(iso).unwrap_or_default(),
            "FinishTime": self.finish_time.map(iso).unwrap_or_default(),
            "StopTime": self.stop_time.map(iso).unwrap_or_default(),
            "UpdateTime": iso(self.update_time),
            "Repeats": u32::from(self.start_time.is_some()),
            "Timed": false,
        });
        if include_output {
            v["Output"] = json!(encode_content(&self.output, plain));
        }
        v
    }
}

#[derive(Debug, Clone)]
pub struct Invocation {
    pub id: String,
    pub command_id: String,
    pub command_name: String,
    pub command_type: String,
    /// The command template (plain text); rendered per instance when delivered.
    pub content: String,
    pub description: String,
    /// Values for the placeholders (custom parameters after defaults).
    pub parameters: Vec<(String, String)>,
    pub timeout: u64,
    pub working_dir: String,
    pub username: String,
    pub repeat_mode: String,
    pub creation_time: SimTime,
    pub tags: Tags,
    pub instances: Vec<InvokeInstance>,
}

impl Invocation {
    /// Overall `InvocationStatus` by the documented aggregation rules (reference §3.10).
    pub fn status(&self) -> InvocationStatus {
        let statuses: Vec<TaskStatus> = self.instances.iter().map(|i| i.status).collect();
        InvocationStatus::of(&statuses)
    }

    /// The instance's part of this invocation.
    pub fn instance_mut(&mut self, instance_id: &str) -> Option<&mut InvokeInstance> {
        self.instances
            .iter_mut()
            .find(|i| i.instance_id == instance_id)
    }

    pub fn parameters_json(&self) -> String {
        let map: serde_json::Map<String, Value> = self
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        if map.is_empty() {
            String::new()
        } else {
            Value::Object(map).to_string()
        }
    }

    pub fn to_json(&self, include_output: bool, plain: bool) -> Value {
        json!({
            "InvokeId": self.id,
            "CommandId": self.command_id,
            "CommandName": self.command_name,
            "CommandType": self.command_type,
            "CommandContent": encode_content(self.content.as_bytes(), plain),
            "CommandDescription": self.description,
            "Parameters": self.parameters_json(),
            "InvocationStatus": self.status(),
            "InvokeStatus": self.status().legacy(),
            "RepeatMode": self.repeat_mode,
            "Frequency": "",
            "Timed": false,
            "Timeout": self.timeout,
            "Username": self.username,
            "WorkingDir": self.working_dir,
            "CreationTime": iso(self.creation_time),
            "ContainerId": "",
            "ContainerName": "",
            "TerminationMode": "",
            "Launcher": "",
            "Tags": self.tags.to_json(),
            "InvokeInstances": { "InvokeInstance": self.instances.iter().map(|i| i.to_json(include_output, plain)).collect::<Vec<_>>() },
        })
    }

    /// One row of DescribeInvocationResults.
    pub fn result_json(&self, inst: &InvokeInstance, plain: bool) -> Value {
        let (error_code, error_info) = error_fields(inst.error);
        json!({
            "InvokeId": self.id,
            "InstanceId": inst.instance_id,
            "CommandId": self.command_id,
            "InvocationStatus": inst.status,
            "InvokeRecordStatus": inst.status.record(),
            "ExitCode": inst.exit_code.unwrap_or(0),
            "Output": encode_content(&inst.output, plain),
            "Dropped": inst.dropped,
            "ErrorCode": error_code,
            "ErrorInfo": error_info,
            "StartTime": inst.start_time.map(iso).unwrap_or_default(),
            "FinishedTime": inst.finish_time.map(iso).unwrap_or_default(),
            "StopTime": inst.stop_time.map(iso).unwrap_or_default(),
            "Repeats": u32::from(inst.start_time.is_some()),
            "Username": self.username,
            "ContainerId": "",
            "ContainerName": "",
            "TerminationMode": "",
            "Launcher": "",
            "Tags": self.tags.to_json(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(status: TaskStatus) -> InvokeInstance {
        let mut i = InvokeInstance::new("i-1", 0);
        i.status = status;
        i
    }

    #[test]
    fn output_keeps_the_tail() {
        let mut i = inst(TaskStatus::Running);
        i.push_output(&"a".repeat(OUTPUT_LIMIT));
        i.push_output("END");
        assert_eq!(i.dropped, 3);
        assert!(i.output.ends_with(b"END"));
    }

    #[test]
    fn an_invocation_renders_its_aggregate_and_legacy_statuses() {
        let inv = Invocation {
            id: "t-1".into(),
            command_id: "c-1".into(),
            command_name: String::new(),
            command_type: "RunShellScript".into(),
            content: String::new(),
            description: String::new(),
            parameters: vec![],
            timeout: 60,
            working_dir: String::new(),
            username: "root".into(),
            repeat_mode: "Once".into(),
            creation_time: 0,
            tags: Tags::default(),
            instances: vec![inst(TaskStatus::Success), inst(TaskStatus::Aborted)],
        };
        let mut failed = inst(TaskStatus::Timeout);
        failed.error = Some(TaskError::ExecutionTimeout);
        let v = inv.to_json(false, true);
        assert_eq!(v["InvocationStatus"], "PartialFailed");
        assert_eq!(v["InvokeStatus"], "PartialFailed");
        assert_eq!(
            v["InvokeInstances"]["InvokeInstance"][0]["InstanceInvokeStatus"],
            "Finished"
        );
        let row = inv.result_json(&failed, true);
        assert_eq!(row["InvocationStatus"], "Timeout");
        assert_eq!(row["InvokeRecordStatus"], "Failed");
        assert_eq!(row["ErrorCode"], "ExecutionTimeout");
        assert_eq!(row["ErrorInfo"], "the command execution has been timeout");
    }
}
