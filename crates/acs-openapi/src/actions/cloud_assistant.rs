//! Cloud Assistant: agent status and install, commands, invocations, file sends.
//!
//! Quirks kept as on the wire: `CloudAssistantStatus` is the string `"true"`/`"false"`;
//! per-instance end time is `FinishTime` in DescribeInvocations but `FinishedTime` in
//! DescribeInvocationResults; `Overwrite` in DescribeSendFileResults is a string.

use futures::stream::BoxStream;
use serde::Deserialize;

use super::ecs_instances::ecs_request as ecs;
use super::paging::{next_token, next_token_stream, paginate, Page};
use super::{bool_from_string, new_client_token, EmptyResponse, Tags};
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

// ---- commands ----------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeCommandsRequest {
    /// `None` = own commands; `AlibabaCloud` = public commands.
    pub provider: Option<String>,
    pub command_id: Option<String>,
    pub name: Option<String>,
    pub latest: Option<bool>,
    pub content_encoding: Option<String>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeCommandsResponse {
    pub request_id: String,
    pub total_count: u64,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub commands: Commands,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Commands {
    #[serde(rename = "Command", default)]
    pub command: Vec<Command>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Command {
    pub command_id: String,
    pub name: String,
    pub description: String,
    #[serde(rename = "Type")]
    pub command_type: String,
    pub command_content: String,
    pub working_dir: String,
    pub timeout: u64,
    pub enable_parameter: bool,
    pub parameter_names: ParameterNames,
    pub parameter_definitions: ParameterDefinitions,
    pub provider: String,
    pub category: String,
    pub version: u64,
    pub latest: bool,
    pub creation_time: String,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ParameterNames {
    #[serde(rename = "ParameterName", default)]
    pub parameter_name: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ParameterDefinitions {
    #[serde(rename = "ParameterDefinition", default)]
    pub parameter_definition: Vec<ParameterDefinition>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ParameterDefinition {
    pub parameter_name: String,
    pub description: String,
    pub default_value: String,
    pub required: bool,
    pub pattern_regex: String,
    pub possible_values: PossibleValues,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PossibleValues {
    #[serde(rename = "PossibleValue", default)]
    pub possible_value: Vec<String>,
}

// ---- RunCommand / InvokeCommand ----------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunCommandRequest {
    /// `RunShellScript`, `RunPowerShellScript` or `RunBatScript`.
    pub command_type: String,
    pub command_content: String,
    /// `PlainText` (default) or `Base64`.
    pub content_encoding: Option<String>,
    pub instance_ids: Vec<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub working_dir: Option<String>,
    pub timeout: Option<u32>,
    pub enable_parameter: Option<bool>,
    /// JSON object in a string.
    pub parameters: Option<serde_json::Map<String, serde_json::Value>>,
    pub username: Option<String>,
    pub keep_command: Option<bool>,
    /// Generated when `None`; reused on every retry.
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RunCommandResponse {
    pub request_id: String,
    pub command_id: String,
    pub invoke_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvokeCommandRequest {
    /// A `c-...` id or the name of a public command.
    pub command_id: String,
    pub instance_ids: Vec<String>,
    pub parameters: Option<serde_json::Map<String, serde_json::Value>>,
    pub timeout: Option<u32>,
    pub working_dir: Option<String>,
    pub username: Option<String>,
    /// Generated when `None`; reused on every retry.
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InvokeCommandResponse {
    pub request_id: String,
    pub invoke_id: String,
}

// ---- DescribeInvocations -----------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeInvocationsRequest {
    pub invoke_id: Option<String>,
    pub command_id: Option<String>,
    pub instance_id: Option<String>,
    pub invoke_status: Option<String>,
    pub include_output: Option<bool>,
    pub content_encoding: Option<String>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInvocationsResponse {
    pub request_id: String,
    pub total_count: u64,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub invocations: Invocations,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Invocations {
    #[serde(rename = "Invocation", default)]
    pub invocation: Vec<Invocation>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Invocation {
    pub invoke_id: String,
    pub command_id: String,
    pub command_name: String,
    pub command_type: String,
    pub command_content: String,
    /// JSON string.
    pub parameters: String,
    /// The overall status to use (`Pending`, `Running`, `Success`, `Failed`, ...).
    pub invocation_status: String,
    /// Legacy overall status; prefer `invocation_status`.
    pub invoke_status: String,
    pub repeat_mode: String,
    pub timeout: u64,
    pub creation_time: String,
    pub invoke_instances: InvokeInstances,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct InvokeInstances {
    #[serde(rename = "InvokeInstance", default)]
    pub invoke_instance: Vec<InvokeInstance>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InvokeInstance {
    pub instance_id: String,
    pub invocation_status: String,
    pub instance_invoke_status: String,
    pub exit_code: Option<i64>,
    /// Only with `IncludeOutput` (alibaba-api.md §3.10).
    pub output: Option<String>,
    pub dropped: u64,
    pub error_code: String,
    pub error_info: String,
    pub creation_time: String,
    pub start_time: String,
    /// `FinishTime` here; DescribeInvocationResults says `FinishedTime`.
    pub finish_time: String,
    pub update_time: String,
}

// ---- DescribeInvocationResults -----------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeInvocationResultsRequest {
    pub invoke_id: Option<String>,
    pub instance_id: Option<String>,
    pub command_id: Option<String>,
    pub invoke_record_status: Option<String>,
    /// `Base64` (the API's default) or `PlainText`.
    pub content_encoding: Option<String>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInvocationResultsResponse {
    pub request_id: String,
    /// Note the singular `Invocation` object wrapping the results.
    pub invocation: InvocationResultsPage,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InvocationResultsPage {
    pub total_count: u64,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub invocation_results: InvocationResults,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct InvocationResults {
    #[serde(rename = "InvocationResult", default)]
    pub invocation_result: Vec<InvocationResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InvocationResult {
    pub invoke_id: String,
    pub instance_id: String,
    pub command_id: String,
    pub invocation_status: String,
    pub invoke_record_status: String,
    pub exit_code: Option<i64>,
    /// Base64 unless PlainText was asked for.
    pub output: String,
    pub dropped: u64,
    pub error_code: String,
    pub error_info: String,
    pub start_time: String,
    /// `FinishedTime` here; DescribeInvocations says `FinishTime`.
    pub finished_time: String,
    pub stop_time: String,
    pub repeats: u64,
    pub username: String,
}

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

fn json_object(map: &serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::to_string(map).expect("a JSON map serialises")
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

    pub async fn describe_commands(
        &self,
        region: &str,
        req: &DescribeCommandsRequest,
    ) -> Result<DescribeCommandsResponse, AcsError> {
        let mut p = Params::new();
        p.opt("Provider", req.provider.as_ref())
            .opt("CommandId", req.command_id.as_ref())
            .opt("Name", req.name.as_ref())
            .opt("Latest", req.latest)
            .opt("ContentEncoding", req.content_encoding.as_ref())
            .opt("MaxResults", req.max_results)
            .opt("NextToken", req.next_token.as_ref());
        self.call(&ecs("DescribeCommands", region, p)).await
    }

    next_token_stream!(
        /// Every matching command, following `NextToken`.
        describe_commands_stream, describe_commands, DescribeCommandsRequest, Command,
        |r: DescribeCommandsResponse| (r.commands.command, r.next_token)
    );

    pub async fn run_command(
        &self,
        region: &str,
        req: &RunCommandRequest,
    ) -> Result<RunCommandResponse, AcsError> {
        let mut p = Params::new();
        p.set("Type", &req.command_type)
            .set("CommandContent", &req.command_content)
            .opt("ContentEncoding", req.content_encoding.as_ref())
            .repeat("InstanceId", &req.instance_ids)
            .opt("Name", req.name.as_ref())
            .opt("Description", req.description.as_ref())
            .opt("WorkingDir", req.working_dir.as_ref())
            .opt("Timeout", req.timeout)
            .opt("EnableParameter", req.enable_parameter)
            .opt("Parameters", req.parameters.as_ref().map(json_object))
            .opt("Username", req.username.as_ref())
            .opt("KeepCommand", req.keep_command)
            .set(
                "ClientToken",
                req.client_token.clone().unwrap_or_else(new_client_token),
            );
        self.call(&ecs("RunCommand", region, p)).await
    }

    pub async fn invoke_command(
        &self,
        region: &str,
        req: &InvokeCommandRequest,
    ) -> Result<InvokeCommandResponse, AcsError> {
        let mut p = Params::new();
        p.set("CommandId", &req.command_id)
            .repeat("InstanceId", &req.instance_ids)
            .opt("Parameters", req.parameters.as_ref().map(json_object))
            .opt("Timeout", req.timeout)
            .opt("WorkingDir", req.working_dir.as_ref())
            .opt("Username", req.username.as_ref())
            .set(
                "ClientToken",
                req.client_token.clone().unwrap_or_else(new_client_token),
            );
        self.call(&ecs("InvokeCommand", region, p)).await
    }

    pub async fn describe_invocations(
        &self,
        region: &str,
        req: &DescribeInvocationsRequest,
    ) -> Result<DescribeInvocationsResponse, AcsError> {
        let mut p = Params::new();
        p.opt("InvokeId", req.invoke_id.as_ref())
            .opt("CommandId", req.command_id.as_ref())
            .opt("InstanceId", req.instance_id.as_ref())
            .opt("InvokeStatus", req.invoke_status.as_ref())
            .opt("IncludeOutput", req.include_output)
            .opt("ContentEncoding", req.content_encoding.as_ref())
            .opt("MaxResults", req.max_results)
            .opt("NextToken", req.next_token.as_ref());
        self.call(&ecs("DescribeInvocations", region, p)).await
    }

    next_token_stream!(
        /// Every matching invocation, following `NextToken`.
        describe_invocations_stream, describe_invocations, DescribeInvocationsRequest, Invocation,
        |r: DescribeInvocationsResponse| (r.invocations.invocation, r.next_token)
    );

    pub async fn describe_invocation_results(
        &self,
        region: &str,
        req: &DescribeInvocationResultsRequest,
    ) -> Result<DescribeInvocationResultsResponse, AcsError> {
        let mut p = Params::new();
        p.opt("InvokeId", req.invoke_id.as_ref())
            .opt("InstanceId", req.instance_id.as_ref())
            .opt("CommandId", req.command_id.as_ref())
            .opt("InvokeRecordStatus", req.invoke_record_status.as_ref())
            .opt("ContentEncoding", req.content_encoding.as_ref())
            .opt("MaxResults", req.max_results)
            .opt("NextToken", req.next_token.as_ref());
        self.call(&ecs("DescribeInvocationResults", region, p))
            .await
    }

    next_token_stream!(
        /// Every per-instance result, following `NextToken`.
        describe_invocation_results_stream, describe_invocation_results,
        DescribeInvocationResultsRequest, InvocationResult,
        |r: DescribeInvocationResultsResponse| (
            r.invocation.invocation_results.invocation_result,
            r.invocation.next_token,
        )
    );

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

    #[test]
    fn finish_time_vs_finished_time() {
        let inv: DescribeInvocationsResponse = serde_json::from_str(
            r#"{"Invocations":{"Invocation":[{"InvokeId":"t-1","InvokeInstances":{"InvokeInstance":[
                {"InstanceId":"i-1","FinishTime":"2024-01-02T03:04:05Z","ExitCode":0}]}}]}}"#,
        )
        .unwrap();
        let ii = &inv.invocations.invocation[0]
            .invoke_instances
            .invoke_instance[0];
        assert_eq!(ii.finish_time, "2024-01-02T03:04:05Z");
        let res: DescribeInvocationResultsResponse = serde_json::from_str(
            r#"{"Invocation":{"TotalCount":1,"InvocationResults":{"InvocationResult":[
                {"InvokeId":"t-1","FinishedTime":"2024-01-02T03:04:06Z","ExitCode":1,"Output":"aGk="}]}}}"#,
        )
        .unwrap();
        let r = &res.invocation.invocation_results.invocation_result[0];
        assert_eq!(r.finished_time, "2024-01-02T03:04:06Z");
        assert_eq!(r.exit_code, Some(1));
    }

    #[test]
    fn send_file_overwrite_is_a_string() {
        let r: DescribeSendFileResultsResponse = serde_json::from_str(
            r#"{"Invocations":{"Invocation":[{"InvokeId":"f-1","Overwrite":"true","FileMode":"0700"}]}}"#,
        )
        .unwrap();
        assert!(r.invocations.invocation[0].overwrite);
    }
}
