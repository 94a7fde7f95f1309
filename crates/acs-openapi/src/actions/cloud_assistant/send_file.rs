//! SendFile and its results.

use serde::Deserialize;

use super::super::ecs_instances::ecs_request as ecs;
// next_token_stream! expands to calls of these.
use super::super::paging::{next_token, next_token_stream, paginate, Page};
use super::super::{bool_from_string, new_client_token};
use crate::client::Client;
use crate::error::AcsError;
use crate::params::Params;

// ---- SendFile / DescribeSendFileResults --------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendFileRequest {
    pub instance_ids: Vec<String>,
    pub name: String,
    pub target_dir: String,
    pub content: String,
    /// `PlainText` (default) or `Base64`.
    pub content_type: Option<String>,
    /// Octal string such as `0700`.
    pub file_mode: Option<String>,
    pub file_owner: Option<String>,
    pub file_group: Option<String>,
    pub overwrite: Option<bool>,
    pub timeout: Option<u32>,
    pub description: Option<String>,
    /// Generated when `None`; reused on every retry.
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SendFileResponse {
    pub request_id: String,
    /// `f-...`.
    pub invoke_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeSendFileResultsRequest {
    pub invoke_id: Option<String>,
    pub instance_id: Option<String>,
    pub name: Option<String>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeSendFileResultsResponse {
    pub request_id: String,
    pub total_count: u64,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub invocations: SendFileInvocations,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SendFileInvocations {
    #[serde(rename = "Invocation", default)]
    pub invocation: Vec<SendFileInvocation>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SendFileInvocation {
    pub invoke_id: String,
    pub name: String,
    pub description: String,
    pub content: String,
    pub content_type: String,
    pub file_mode: String,
    pub file_owner: String,
    pub file_group: String,
    /// A string on the wire (`"true"`/`"false"`).
    #[serde(deserialize_with = "bool_from_string")]
    pub overwrite: bool,
    pub target_dir: String,
    pub creation_time: String,
    pub vm_count: u64,
    pub invocation_status: String,
    pub invoke_instances: SendFileInstances,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SendFileInstances {
    #[serde(rename = "InvokeInstance", default)]
    pub invoke_instance: Vec<SendFileInstance>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SendFileInstance {
    pub instance_id: String,
    pub invocation_status: String,
    pub error_code: String,
    pub error_info: String,
    pub creation_time: String,
    pub start_time: String,
    pub finish_time: String,
    pub update_time: String,
}

impl Client {
    pub async fn send_file(
        &self,
        region: &str,
        req: &SendFileRequest,
    ) -> Result<SendFileResponse, AcsError> {
        let mut p = Params::new();
        p.repeat("InstanceId", &req.instance_ids)
            .set("Name", &req.name)
            .set("TargetDir", &req.target_dir)
            .set("Content", &req.content)
            .opt("ContentType", req.content_type.as_ref())
            .opt("FileMode", req.file_mode.as_ref())
            .opt("FileOwner", req.file_owner.as_ref())
            .opt("FileGroup", req.file_group.as_ref())
            .opt("Overwrite", req.overwrite)
            .opt("Timeout", req.timeout)
            .opt("Description", req.description.as_ref())
            .set(
                "ClientToken",
                req.client_token.clone().unwrap_or_else(new_client_token),
            );
        self.call(&ecs("SendFile", region, p)).await
    }

    pub async fn describe_send_file_results(
        &self,
        region: &str,
        req: &DescribeSendFileResultsRequest,
    ) -> Result<DescribeSendFileResultsResponse, AcsError> {
        let mut p = Params::new();
        p.opt("InvokeId", req.invoke_id.as_ref())
            .opt("InstanceId", req.instance_id.as_ref())
            .opt("Name", req.name.as_ref())
            .opt("MaxResults", req.max_results)
            .opt("NextToken", req.next_token.as_ref());
        self.call(&ecs("DescribeSendFileResults", region, p)).await
    }

    next_token_stream!(
        /// Every matching file send, following `NextToken`.
        describe_send_file_results_stream, describe_send_file_results,
        DescribeSendFileResultsRequest, SendFileInvocation,
        |r: DescribeSendFileResultsResponse| (r.invocations.invocation, r.next_token)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_file_overwrite_is_a_string() {
        let r: DescribeSendFileResultsResponse = serde_json::from_str(
            r#"{"Invocations":{"Invocation":[{"InvokeId":"f-1","Overwrite":"true","FileMode":"0700"}]}}"#,
        )
        .unwrap();
        assert!(r.invocations.invocation[0].overwrite);
    }
}
