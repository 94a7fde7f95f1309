//! The deep check, only when asked: the read-only probe scripts (`scripts/probe.sh`,
//! POSIX sh; `scripts/probe.ps1`, PowerShell 5) sent with RunCommand to up to 100
//! instances a call (§3.6), the results polled with DescribeInvocationResults (50 a
//! page, plain text), parsed, and the guest checks made again. Instances that cannot
//! run it (not Running, agent not online) are marked so, without a call.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use acs_openapi::actions::cloud_assistant::{
    DescribeInvocationResultsRequest, InvocationResult, RunCommandRequest,
};
use acs_openapi::actions::new_client_token;
use acs_openapi::{AcsError, Client};
use futures::TryStreamExt;

use super::predict::assess;
use super::probe_output::parse_probe;
use super::types::{FleetEvent, GuestFacts, Inventory};
use crate::error::AppError;
use crate::progress::Reporter;

pub const LINUX_PROBE: &str = include_str!("scripts/probe.sh");
pub const WINDOWS_PROBE: &str = include_str!("scripts/probe.ps1");
/// RunCommand `InstanceId.N`: 1–100 (§3.6, §7.2).
pub const PROBE_BATCH: usize = 100;
/// Per-instance states after which nothing changes (§3.10).
pub(crate) const FINAL: [&str; 8] = [
    "Success",
    "Failed",
    "Error",
    "Timeout",
    "Cancelled",
    "Terminated",
    "Aborted",
    "Invalid",
];

#[derive(Debug, Clone)]
pub struct ProbeTuning {
    /// Between two polls of the results.
    pub poll_interval: Duration,
    /// How long to wait for every answer before marking the rest as not answered.
    pub wait: Duration,
    /// RunCommand's own `Timeout` in seconds.
    pub command_timeout_secs: u32,
}

impl Default for ProbeTuning {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(1),
            wait: Duration::from_secs(90),
            command_timeout_secs: 60,
        }
    }
}

/// Probes `targets` (instance ids; empty = every instance) and checks them again.
pub async fn deep_check(
    client: &Client,
    inventory: &mut Inventory,
    targets: &[String],
    tuning: &ProbeTuning,
    reporter: &Reporter<FleetEvent>,
) -> Result<(), AppError> {
    let wanted: HashSet<&str> = targets.iter().map(String::as_str).collect();
    let unknown: Vec<&String> = targets
        .iter()
        .filter(|t| {
            !inventory
                .instances
                .iter()
                .any(|a| &a.instance.instance_id == *t)
        })
        .collect();
    if let Some(t) = unknown.first() {
        return Err(AppError::invalid_input(format!(
            "instance {t} is not in the inventory"
        )));
    }
    // (region, os type) → instance ids that can run the probe.
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut facts: HashMap<String, GuestFacts> = HashMap::new();
    for a in &inventory.instances {
        let i = &a.instance;
        if !wanted.is_empty() && !wanted.contains(i.instance_id.as_str()) {
            continue;
        }
        let why_not = if i.status != "Running" {
            Some(format!("the instance is {}", i.status))
        } else if !i.agent.as_ref().is_some_and(|g| g.online) {
            Some("Cloud Assistant is not online".to_owned())
        } else {
            None
        };
        match why_not {
            Some(reason) => {
                facts.insert(i.instance_id.clone(), GuestFacts::Failed { reason });
            }
            None => groups
                .entry((i.region_id.clone(), i.os_type.clone()))
                .or_default()
                .push(i.instance_id.clone()),
        }
    }
    for ((region, os_type), ids) in groups {
        for chunk in ids.chunks(PROBE_BATCH) {
            reporter.checkpoint()?;
            let answers = probe_batch(client, &region, &os_type, chunk, tuning, reporter).await?;
            facts.extend(answers);
        }
    }
    let limit = inventory.group_disk_limit;
    for a in inventory.instances.iter_mut() {
        if let Some(g) = facts.remove(&a.instance.instance_id) {
            let mut instance = a.instance.clone();
            instance.guest = Some(g);
            *a = assess(instance, limit);
        }
    }
    Ok(())
}

async fn probe_batch(
    client: &Client,
    region: &str,
    os_type: &str,
    ids: &[String],
    tuning: &ProbeTuning,
    reporter: &Reporter<FleetEvent>,
) -> Result<Vec<(String, GuestFacts)>, AppError> {
    let windows = os_type == "windows";
    let request = RunCommandRequest {
        command_type: if windows {
            "RunPowerShellScript"
        } else {
            "RunShellScript"
        }
        .to_owned(),
        command_content: if windows { WINDOWS_PROBE } else { LINUX_PROBE }.to_owned(),
        instance_ids: ids.to_vec(),
        name: Some("appsnap-inventory-probe".to_owned()),
        timeout: Some(tuning.command_timeout_secs),
        keep_command: Some(false),
        // One token for this batch: the client's retries resend it unchanged.
        client_token: Some(new_client_token()),
        ..Default::default()
    };
    let failed_all = |reason: String| {
        ids.iter()
            .map(|id| {
                (
                    id.clone(),
                    GuestFacts::Failed {
                        reason: reason.clone(),
                    },
                )
            })
            .collect::<Vec<_>>()
    };
    let invoke_id = match client.run_command(region, &request).await {
        Ok(r) => r.invoke_id,
        Err(e) => return Ok(failed_all(format!("RunCommand failed: {e}"))),
    };
    reporter.emit(FleetEvent::ProbeSent {
        region_id: region.to_owned(),
        invoke_id: invoke_id.clone(),
        instances: ids.len() as u32,
    });
    let started = Instant::now();
    let mut done: HashMap<String, GuestFacts> = HashMap::new();
    loop {
        reporter.checkpoint()?;
        match results(client, region, &invoke_id).await {
            Ok(list) => {
                for r in list {
                    if ids.contains(&r.instance_id) && FINAL.contains(&r.invocation_status.as_str())
                    {
                        let facts = answer(&r);
                        done.insert(r.instance_id.clone(), facts);
                    }
                }
            }
            // A failed poll is retried at the next interval, until the wait runs out.
            Err(e) if started.elapsed() >= tuning.wait => {
                return Ok(finish(
                    ids,
                    done,
                    &format!("polling failed: {e}"),
                    region,
                    reporter,
                ))
            }
            Err(_) => {}
        }
        if done.len() == ids.len() || started.elapsed() >= tuning.wait {
            let why = format!(
                "no answer within {} s (invocation {invoke_id})",
                tuning.wait.as_secs()
            );
            return Ok(finish(ids, done, &why, region, reporter));
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

fn answer(r: &InvocationResult) -> GuestFacts {
    if r.invocation_status != "Success" {
        let code = [r.error_code.as_str(), r.error_info.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(": ");
        return GuestFacts::Failed {
            reason: format!(
                "the probe ended {} (exit {}){}",
                r.invocation_status,
                r.exit_code.map_or("none".to_owned(), |c| c.to_string()),
                if code.is_empty() {
                    String::new()
                } else {
                    format!(", {code}")
                }
            ),
        };
    }
    match parse_probe(&r.output) {
        Ok(facts) => facts,
        Err(reason) => GuestFacts::Failed { reason },
    }
}

fn finish(
    ids: &[String],
    mut done: HashMap<String, GuestFacts>,
    why: &str,
    region: &str,
    reporter: &Reporter<FleetEvent>,
) -> Vec<(String, GuestFacts)> {
    let answered = done
        .values()
        .filter(|g| matches!(g, GuestFacts::Probed { .. }))
        .count() as u32;
    reporter.emit(FleetEvent::ProbeDone {
        region_id: region.to_owned(),
        answered,
        failed: ids.len() as u32 - answered,
    });
    ids.iter()
        .map(|id| {
            let facts = done.remove(id).unwrap_or_else(|| GuestFacts::Failed {
                reason: why.to_owned(),
            });
            (id.clone(), facts)
        })
        .collect()
}
