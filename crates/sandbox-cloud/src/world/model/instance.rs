//! ECS instances: attributes, the Cloud Assistant agent on them and their guest.

use serde_json::{json, Value};

use crate::clock::{iso, SimTime};
use crate::world::model::guest::Guest;
use crate::world::model::os::Os;
use crate::world::model::status::InstanceStatus;
use crate::world::model::tags::Tags;

#[derive(Debug, Clone)]
pub struct Agent {
    pub installed: bool,
    /// Installed by InstallCloudAssistant, active after the next (re)start.
    pub pending_install: bool,
    pub online: bool,
    pub version: String,
    pub invocation_count: u64,
    pub last_invoked: Option<SimTime>,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub name: String,
    pub host_name: String,
    pub region_id: String,
    pub zone_id: String,
    pub status: InstanceStatus,
    pub os: Os,
    pub instance_type: String,
    pub cpu: u32,
    pub memory_mib: u32,
    pub creation_time: SimTime,
    pub vpc_id: String,
    pub vswitch_id: String,
    pub private_ip: String,
    pub public_ip: Option<String>,
    pub tags: Tags,
    pub ram_role: Option<String>,
    pub agent: Agent,
    pub guest: Guest,
}

impl Instance {
    /// `CloudAssistantStatus`: the agent answers heartbeats only on a running instance.
    pub fn assistant_running(&self) -> bool {
        self.agent.installed && self.agent.online && self.status == InstanceStatus::Running
    }

    pub fn to_json(&self) -> Value {
        json!({
            "InstanceId": self.id,
            "InstanceName": self.name,
            "HostName": self.host_name,
            "Description": "",
            "Status": self.status,
            "RegionId": self.region_id,
            "ZoneId": self.zone_id,
            "ImageId": self.os.image_id,
            "OSName": self.os.name,
            "OSNameEn": self.os.name_en,
            "OSType": self.os.os_type.lower(),
            "InstanceType": self.instance_type,
            "InstanceTypeFamily": self.instance_type.rsplit_once('.').map(|(f, _)| f).unwrap_or(""),
            "Cpu": self.cpu,
            "Memory": self.memory_mib,
            "CreationTime": crate::clock::iso_minutes(self.creation_time),
            "StartTime": crate::clock::iso_minutes(self.creation_time),
            "InstanceNetworkType": "vpc",
            "InstanceChargeType": "PostPaid",
            "InternetChargeType": "PayByTraffic",
            "ExpiredTime": "2099-12-31T15:59Z",
            "IoOptimized": true,
            "DeletionProtection": false,
            "ResourceGroupId": "",
            "VpcAttributes": {
                "VpcId": self.vpc_id,
                "VSwitchId": self.vswitch_id,
                "NatIpAddress": "",
                "PrivateIpAddress": { "IpAddress": [self.private_ip] }
            },
            "PublicIpAddress": { "IpAddress": self.public_ip.iter().collect::<Vec<_>>() },
            "InnerIpAddress": { "IpAddress": [] },
            "EipAddress": { "IpAddress": "", "AllocationId": "", "InternetChargeType": "" },
            "SecurityGroupIds": { "SecurityGroupId": [format!("sg-{}", &self.id[2..])] },
            "OperationLocks": { "LockReason": [] },
            "Tags": self.tags.to_json(),
        })
    }

    pub fn cloud_assistant_json(&self) -> Value {
        json!({
            "InstanceId": self.id,
            "CloudAssistantStatus": if self.assistant_running() { "true" } else { "false" },
            "CloudAssistantVersion": if self.agent.installed { self.agent.version.as_str() } else { "" },
            "OSType": self.os.os_type.title(),
            "LastHeartbeatTime": if self.assistant_running() { iso(self.creation_time) } else { String::new() },
            "LastInvokedTime": self.agent.last_invoked.map(iso).unwrap_or_default(),
            "InvocationCount": self.agent.invocation_count,
            "ActiveTaskCount": 0,
            "SupportSessionManager": self.agent.installed,
        })
    }
}
