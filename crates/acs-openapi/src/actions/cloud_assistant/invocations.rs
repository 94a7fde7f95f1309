//! Invocations and their per-instance results.

use serde::Deserialize;

use super::super::ecs_instances::ecs_request as ecs;
// next_token_stream! expands to calls of these.
use super::super::paging::{next_token, next_token_stream, paginate, Page};
use super::super::Tags;
use crate::client::Client;
use crate::error::AcsError;
use crate::params::Params;

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

// ---- StopInvocation ------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopInvocationRequest {
    pub invoke_id: String,
    /// The instances to stop it on (at most 50); empty: every instance of the invocation.
    pub instance_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StopInvocationResponse {
    pub request_id: String,
}

impl Client {
    /// Stop an invocation: parts not yet started are `Cancelled`, running ones go
    /// `Stopping` then `Terminated` (poll `DescribeInvocations` for the end; alibaba-api.md
    /// §3.10, §3.12).
    pub async fn stop_invocation(
        &self,
        region: &str,
        req: &StopInvocationRequest,
    ) -> Result<StopInvocationResponse, AcsError> {
        let mut p = Params::new();
        p.set("InvokeId", &req.invoke_id)
            .repeat("InstanceId", &req.instance_ids);
        self.call(&ecs("StopInvocation", region, p)).await
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
