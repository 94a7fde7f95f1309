//! File sends (SendFile): one file for some instances, each with its own status
//! (reference §3.13).

use serde_json::{json, Value};

use crate::clock::{iso, SimTime};
use crate::world::model::status::{error_fields, InvocationStatus, TaskError, TaskStatus};
use crate::world::model::tags::Tags;

#[derive(Debug, Clone)]
pub struct SendFileInstance {
    pub instance_id: String,
    pub status: TaskStatus,
    pub error: Option<TaskError>,
    pub creation_time: SimTime,
    pub start_time: Option<SimTime>,
    pub finish_time: Option<SimTime>,
    pub update_time: SimTime,
}

impl SendFileInstance {
    pub fn new(instance_id: &str, now: SimTime) -> Self {
        Self {
            instance_id: instance_id.to_string(),
            status: TaskStatus::Pending,
            error: None,
            creation_time: now,
            start_time: None,
            finish_time: None,
            update_time: now,
        }
    }

    fn to_json(&self) -> Value {
        let (error_code, error_info) = error_fields(self.error);
        json!({
            "InstanceId": self.instance_id,
            "InvocationStatus": self.status,
            "ErrorCode": error_code,
            "ErrorInfo": error_info,
            "CreationTime": iso(self.creation_time),
            "StartTime": self.start_time.map(iso).unwrap_or_default(),
            "FinishTime": self.finish_time.map(iso).unwrap_or_default(),
            "UpdateTime": iso(self.update_time),
        })
    }
}

#[derive(Debug, Clone)]
pub struct SendFileTask {
    pub id: String,
    pub name: String,
    pub description: String,
    pub content: Vec<u8>,
    /// As given (`PlainText` or `Base64`); `content` is already decoded.
    pub content_type: String,
    pub raw_content: String,
    pub file_mode: String,
    pub owner: String,
    pub group: String,
    pub overwrite: bool,
    pub target_dir: String,
    /// Seconds the file may wait for delivery (`Timeout`, default 60, at least 10).
    pub timeout: u64,
    pub creation_time: SimTime,
    pub tags: Tags,
    pub instances: Vec<SendFileInstance>,
}

impl SendFileTask {
    pub fn status(&self) -> InvocationStatus {
        let statuses: Vec<TaskStatus> = self.instances.iter().map(|i| i.status).collect();
        InvocationStatus::of_file_send(&statuses)
    }

    /// The instance's part of this file send.
    pub fn instance_mut(&mut self, instance_id: &str) -> Option<&mut SendFileInstance> {
        self.instances
            .iter_mut()
            .find(|i| i.instance_id == instance_id)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "InvokeId": self.id,
            "Name": self.name,
            "Description": self.description,
            "Content": self.raw_content,
            "ContentType": self.content_type,
            "FileMode": self.file_mode,
            "FileOwner": self.owner,
            "FileGroup": self.group,
            "Overwrite": self.overwrite.to_string(),
            "TargetDir": self.target_dir,
            "CreationTime": iso(self.creation_time),
            "VmCount": self.instances.len(),
            "InvocationStatus": self.status(),
            "ResourceGroupId": "",
            "Tags": self.tags.to_json(),
            "InvokeInstances": { "InvokeInstance": self.instances.iter().map(SendFileInstance::to_json).collect::<Vec<_>>() },
        })
    }
}
