//! Commands: own and public ones, RunCommand (create + run) and InvokeCommand.

use serde::Deserialize;

use super::super::ecs_instances::ecs_request as ecs;
// next_token_stream! expands to calls of these.
use super::super::paging::{next_token, next_token_stream, paginate, Page};
use super::super::{new_client_token, Tags};
use super::json_object;
use crate::client::Client;
use crate::error::AcsError;
use crate::params::Params;

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

impl Client {
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
}
