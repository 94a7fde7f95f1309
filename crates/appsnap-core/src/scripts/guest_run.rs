//! Running one read-only or test guest script on instances of one region and collecting
//! each instance's exit code and plain-text output: RunCommand with up to 100 instances a
//! call (§3.6), results polled with DescribeInvocationResults (50 a page).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use acs_openapi::actions::cloud_assistant::{
    DescribeInvocationResultsRequest, InvocationResult, RunCommandRequest,
};
use acs_openapi::actions::new_client_token;
use acs_openapi::{AcsError, Client};
use futures::TryStreamExt;

use crate::error::AppError;
use crate::fleet::{FINAL_STATES, PROBE_BATCH};
use crate::progress::Reporter;

/// Runs `content` (RunShellScript) on `ids` in `region`; each instance's answer or why
/// there is none, in the order of `ids`.
pub(super) async fn run_on<E: 'static>(
    client: &Client,
    region: &str,
    ids: &[String],
    name: &str,
    content: &str,
    tuning: &ScriptsTuning,
    reporter: &Reporter<E>,
) -> Result<Vec<(String, GuestAnswer)>, AppError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(PROBE_BATCH) {
        reporter.checkpoint()?;
        out.extend(run_chunk(client, region, chunk, name, content, tuning, reporter).await?);
    }
    Ok(out)
}

async fn run_chunk<E: 'static>(
    client: &Client,
    region: &str,
    ids: &[String],
    name: &str,
    content: &str,
    tuning: &ScriptsTuning,
    reporter: &Reporter<E>,
) -> Result<Vec<(String, GuestAnswer)>, AppError> {
    let request = RunCommandRequest {
        command_type: "RunShellScript".to_owned(),
        command_content: content.to_owned(),
        instance_ids: ids.to_vec(),
        name: Some(name.to_owned()),
        timeout: Some(tuning.command_timeout_secs),
        keep_command: Some(false),
        // One token for this call: the client's retries resend it unchanged.
        client_token: Some(new_client_token()),
        ..Default::default()
    };
    let all = |why: String| {
        ids.iter()
            .map(|id| (id.clone(), GuestAnswer::NoAnswer(why.clone())))
            .collect()
    };
    let invoke_id = match client.run_command(region, &request).await {
        Ok(r) => r.invoke_id,
        Err(e) => return Ok(all(format!("RunCommand failed: {e}"))),
    };
    let started = Instant::now();
    let mut done: HashMap<String, GuestAnswer> = HashMap::new();
    loop {
        reporter.checkpoint()?;
        match results(client, region, &invoke_id).await {
            Ok(list) => {
                for r in list {
                    if ids.contains(&r.instance_id)
                        && FINAL_STATES.contains(&r.invocation_status.as_str())
                    {
                        done.insert(r.instance_id.clone(), answer(r));
                    }
                }
            }
            Err(e) if started.elapsed() >= tuning.wait => {
                return Ok(finish(ids, done, &format!("polling failed: {e}")));
            }
            // A failed poll is retried at the next interval, until the wait runs out.
            Err(_) => {}
        }
        if done.len() == ids.len() || started.elapsed() >= tuning.wait {
            let why = format!(
                "no answer within {} s (invocation {invoke_id})",
                tuning.wait.as_secs()
            );
            return Ok(finish(ids, done, &why));
        }
        tokio::time::sleep(tuning.poll_interval).await;
    }
}

async fn results(
    client: &Client,
    region: &str,
    invoke_id: &str,
) -> Result<Vec<InvocationResult>, AcsError> {
    client
        .describe_invocation_results_stream(
            region,
            DescribeInvocationResultsRequest {
                invoke_id: Some(invoke_id.to_owned()),
                content_encoding: Some("PlainText".to_owned()),
                max_results: Some(50),
                ..Default::default()
            },
        )
        .try_collect()
        .await
}

/// A script that ran to its end (any exit code) answered; anything else did not.
fn answer(r: InvocationResult) -> GuestAnswer {
    match r.exit_code {
        Some(exit_code) if matches!(r.invocation_status.as_str(), "Success" | "Failed") => {
            GuestAnswer::Ran {
                exit_code,
                output: r.output,
            }
        }
        code => {
            let detail = [r.error_code.as_str(), r.error_info.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(": ");
            GuestAnswer::NoAnswer(format!(
                "the guest script ended {} (exit {}){}",
                r.invocation_status,
                code.map_or("none".to_owned(), |c| c.to_string()),
                if detail.is_empty() {
                    String::new()
                } else {
                    format!(", {detail}")
                }
            ))
        }
    }
}

fn finish(
    ids: &[String],
    mut done: HashMap<String, GuestAnswer>,
    why: &str,
) -> Vec<(String, GuestAnswer)> {
    ids.iter()
        .map(|id| {
            let a = done
                .remove(id)
                .unwrap_or_else(|| GuestAnswer::NoAnswer(why.to_owned()));
            (id.clone(), a)
        })
        .collect()
}

/// How one instance answered a guest script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum GuestAnswer {
    Ran { exit_code: i64, output: String },
    NoAnswer(String),
}

/// Waiting for Cloud Assistant: file sends, the read-back probe and test runs.
#[derive(Debug, Clone)]
pub struct ScriptsTuning {
    /// Between two polls of the results.
    pub poll_interval: Duration,
    /// How long to wait for every answer of one call before giving up on the rest.
    pub wait: Duration,
    /// RunCommand's `Timeout` in seconds (the test run adds the freeze timeout twice).
    pub command_timeout_secs: u32,
    /// SendFile's `Timeout` in seconds: how long delivery may wait for the agent.
    pub send_timeout_secs: u32,
}

impl Default for ScriptsTuning {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(1),
            wait: Duration::from_secs(120),
            command_timeout_secs: 60,
            send_timeout_secs: 60,
        }
    }
}
