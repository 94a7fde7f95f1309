//! Agent status and install.

use futures::stream::BoxStream;
use serde::Deserialize;

use super::super::bool_from_string;
use super::super::ecs_instances::ecs_request as ecs;
use super::super::paging::{next_token, paginate, Page};
use super::super::EmptyResponse;
use crate::client::Client;
use crate::error::AcsError;
use crate::params::Params;

// ---- agent status / install --------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CloudAssistantStatus {
    pub instance_id: String,
    #[serde(deserialize_with = "bool_from_string")]
    pub cloud_assistant_status: bool,
    pub cloud_assistant_version: String,
    #[serde(rename = "OSType")]
    pub os_type: String,
    pub last_heartbeat_time: String,
    pub active_task_count: u64,
    pub invocation_count: u64,
    pub support_session_manager: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeCloudAssistantStatusResponse {
    pub request_id: String,
    pub total_count: u64,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub instance_cloud_assistant_status_set: StatusSet,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StatusSet {
    #[serde(rename = "InstanceCloudAssistantStatus", default)]
    pub items: Vec<CloudAssistantStatus>,
}

impl Client {
    pub async fn describe_cloud_assistant_status(
        &self,
        region: &str,
        instance_ids: &[String],
        next_token_: Option<&str>,
    ) -> Result<DescribeCloudAssistantStatusResponse, AcsError> {
        let mut p = Params::new();
        p.repeat("InstanceId", instance_ids)
            .opt("NextToken", next_token_);
        self.call(&ecs("DescribeCloudAssistantStatus", region, p))
            .await
    }

    /// Agent status of every given instance, following `NextToken`.
    pub fn describe_cloud_assistant_status_stream(
        &self,
        region: &str,
        instance_ids: Vec<String>,
    ) -> BoxStream<'static, Result<CloudAssistantStatus, AcsError>> {
        let (client, region) = (self.clone(), region.to_string());
        paginate(None, move |token: Option<String>| {
            let (client, region, ids) = (client.clone(), region.clone(), instance_ids.clone());
            async move {
                let r = client
                    .describe_cloud_assistant_status(&region, &ids, token.as_deref())
                    .await?;
                Ok(Page {
                    next: next_token(token.as_deref(), r.next_token.as_deref()),
                    items: r.instance_cloud_assistant_status_set.items,
                })
            }
        })
    }

    pub async fn install_cloud_assistant(
        &self,
        region: &str,
        instance_ids: &[String],
    ) -> Result<EmptyResponse, AcsError> {
        let mut p = Params::new();
        p.repeat("InstanceId", instance_ids);
        self.call(&ecs("InstallCloudAssistant", region, p)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_assistant_status_is_a_string_on_the_wire() {
        let r: DescribeCloudAssistantStatusResponse = serde_json::from_str(
            r#"{"RequestId":"R","InstanceCloudAssistantStatusSet":{"InstanceCloudAssistantStatus":[
                {"InstanceId":"i-1","CloudAssistantStatus":"true","OSType":"Linux"},
                {"InstanceId":"i-2","CloudAssistantStatus":"false"}]}}"#,
        )
        .unwrap();
        let s = &r.instance_cloud_assistant_status_set.items;
        assert!(s[0].cloud_assistant_status);
        assert!(!s[1].cloud_assistant_status);
    }
}
