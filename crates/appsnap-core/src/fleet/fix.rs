//! Carrying out a check's fix for chosen instances of the inventory, then reading their
//! regions again so the checks show the result:
//! - StartInstance per stopped instance (no ClientToken: not retried by the client), then
//!   DescribeInstances (≤100 ids) until each shows `Running` or the wait runs out;
//! - InstallCloudAssistant, ≤50 ids a call (§3.5); the agent takes effect after the
//!   instance restarts, which is left to the user (a restart is never done silently);
//! - AttachRole through the RAM engine's plan/apply with its default role and policy;
//!   an instance holding another role is only changed by the caller's `on_conflict`,
//!   otherwise it comes back as a conflict with its choices;
//! - DeepCheck through the probe (the guest checks are made again in place);
//! - PushScripts is the Scripts screen's job and refused here.

use std::collections::BTreeMap;
use std::time::Duration;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::Client;
use tokio::time::Instant;

use super::inventory::inventory as read_inventory;
use super::probe::{deep_check, ProbeTuning};
use super::refresh::merge;
use super::types::{
    FixAction, FixEvent, FixOutcome, FixReport, FixRequest, FixState, GuestFacts, Inventory,
    InventoryOptions, FIX_MAX,
};
use crate::error::AppError;
use crate::progress::Reporter;
use crate::ram::{
    apply, ApplyTuning, InstanceRef, RamOptions, StepKind, StepState, DEFAULT_POLICY_NAME,
    DEFAULT_ROLE_NAME,
};

/// InstallCloudAssistant `InstanceId.N`: 1–50 (§3.5, §7.2).
pub const INSTALL_BATCH: usize = 50;
/// DescribeInstances `InstanceIds`: ≤100 (§3.2).
const DESCRIBE_BATCH: usize = 100;

#[derive(Debug, Clone)]
pub struct FixTuning {
    pub ram: ApplyTuning,
    pub probe: ProbeTuning,
    /// How long a started instance may take to show `Running`.
    pub start_wait: Duration,
    pub start_poll: Duration,
}

impl Default for FixTuning {
    fn default() -> Self {
        Self {
            ram: ApplyTuning::default(),
            probe: ProbeTuning::default(),
            start_wait: Duration::from_secs(180),
            start_poll: Duration::from_secs(3),
        }
    }
}

/// Fixes `request.instance_ids` and updates `inventory` with what the cloud (or the
/// probe) says afterwards. A failure of one instance is its outcome, not an error.
pub async fn fix(
    client: &Client,
    request: &FixRequest,
    inventory: &mut Inventory,
    tuning: &FixTuning,
    reporter: &Reporter<FixEvent>,
) -> Result<FixReport, AppError> {
    let targets = targets(request, inventory)?;
    reporter.checkpoint()?;
    let outcomes = match request.action {
        FixAction::StartInstance => start(client, inventory, &targets, tuning, reporter).await?,
        FixAction::InstallAgent => install(client, &targets, reporter).await?,
        FixAction::AttachRole => attach(client, request, &targets, tuning, reporter).await?,
        FixAction::DeepCheck => {
            let ids: Vec<String> = targets.iter().map(|t| t.instance_id.clone()).collect();
            let fleet = reporter.map(|event| FixEvent::Fleet { event });
            deep_check(client, inventory, &ids, &tuning.probe, &fleet).await?;
            probed(inventory, &targets)
        }
        FixAction::PushScripts => unreachable!("refused by targets()"),
    };
    for outcome in &outcomes {
        reporter.emit(FixEvent::InstanceDone {
            outcome: outcome.clone(),
        });
    }
    if request.action != FixAction::DeepCheck {
        reread(client, inventory, &targets, reporter).await?;
    }
    Ok(FixReport {
        action: request.action,
        outcomes,
    })
}

/// The instances asked for, with their regions from the inventory; bad input refused
/// before anything is sent.
fn targets(request: &FixRequest, inventory: &Inventory) -> Result<Vec<InstanceRef>, AppError> {
    if request.action == FixAction::PushScripts {
        return Err(AppError::invalid_input(
            "pushing the freeze/thaw scripts is done on the Scripts screen, which is not \
             available yet; nothing was sent",
        ));
    }
    if request.instance_ids.is_empty() || request.instance_ids.len() > FIX_MAX {
        return Err(AppError::invalid_input(format!(
            "choose 1 to {FIX_MAX} instances to fix ({} given)",
            request.instance_ids.len()
        )));
    }
    if request.on_conflict.is_some() && request.action != FixAction::AttachRole {
        return Err(AppError::invalid_input(
            "a conflict choice applies only to attaching the RAM role",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    request
        .instance_ids
        .iter()
        .map(|id| {
            let short: String = id.chars().take(80).collect();
            if !seen.insert(id.as_str()) {
                return Err(AppError::invalid_input(format!(
                    "instance {short} is listed twice"
                )));
            }
            let a = inventory
                .instances
                .iter()
                .find(|a| &a.instance.instance_id == id)
                .ok_or_else(|| {
                    AppError::invalid_input(format!(
                        "instance {short} is not in the inventory; refresh it first"
                    ))
                })?;
            Ok(InstanceRef {
                instance_id: id.clone(),
                region_id: a.instance.region_id.clone(),
            })
        })
        .collect()
}

fn outcome(t: &InstanceRef, state: FixState, detail: impl Into<String>) -> FixOutcome {
    FixOutcome {
        instance_id: t.instance_id.clone(),
        region_id: t.region_id.clone(),
        state,
        detail: detail.into(),
        error: None,
        choices: Vec::new(),
    }
}

fn failed(t: &InstanceRef, error: AppError) -> FixOutcome {
    FixOutcome {
        error: Some(error.clone()),
        ..outcome(t, FixState::Failed, error.message)
    }
}

fn by_region(targets: &[InstanceRef]) -> BTreeMap<&str, Vec<&InstanceRef>> {
    let mut map: BTreeMap<&str, Vec<&InstanceRef>> = BTreeMap::new();
    for t in targets {
        map.entry(t.region_id.as_str()).or_default().push(t);
    }
    map
}

async fn start(
    client: &Client,
    inventory: &Inventory,
    targets: &[InstanceRef],
    tuning: &FixTuning,
    reporter: &Reporter<FixEvent>,
) -> Result<Vec<FixOutcome>, AppError> {
    let mut outcomes: BTreeMap<String, FixOutcome> = BTreeMap::new();
    for (region, list) in by_region(targets) {
        let mut started = Vec::new();
        for t in list {
            reporter.checkpoint()?;
            let status = inventory
                .instances
                .iter()
                .find(|a| a.instance.instance_id == t.instance_id)
                .map_or("", |a| a.instance.status.as_str());
            if status == "Running" {
                outcomes.insert(
                    t.instance_id.clone(),
                    outcome(t, FixState::Skipped, "the instance is already Running"),
                );
                continue;
            }
            match client.start_instance(region, &t.instance_id).await {
                Ok(_) => started.push(t),
                Err(e) => {
                    outcomes.insert(t.instance_id.clone(), failed(t, AppError::from(&e)));
                }
            }
        }
        if started.is_empty() {
            continue;
        }
        reporter.emit(FixEvent::Sent {
            action: "StartInstance".into(),
            region_id: region.to_owned(),
            instance_ids: started.iter().map(|t| t.instance_id.clone()).collect(),
        });
        for (id, o) in wait_running(client, region, &started, tuning, reporter).await? {
            outcomes.insert(id, o);
        }
    }
    Ok(targets
        .iter()
        .filter_map(|t| outcomes.remove(&t.instance_id))
        .collect())
}

/// Polls DescribeInstances until every started instance is `Running` or time is up.
async fn wait_running(
    client: &Client,
    region: &str,
    started: &[&InstanceRef],
    tuning: &FixTuning,
    reporter: &Reporter<FixEvent>,
) -> Result<Vec<(String, FixOutcome)>, AppError> {
    let begun = Instant::now();
    let mut pending: Vec<&InstanceRef> = started.to_vec();
    let mut last: BTreeMap<String, String> = BTreeMap::new();
    let mut done = Vec::new();
    let mut attempt = 0;
    loop {
        attempt += 1;
        reporter.checkpoint()?;
        reporter.emit(FixEvent::Waiting {
            region_id: region.to_owned(),
            pending: pending.len() as u32,
            attempt,
        });
        for chunk in pending.chunks(DESCRIBE_BATCH) {
            let request = DescribeInstancesRequest {
                instance_ids: chunk.iter().map(|t| t.instance_id.clone()).collect(),
                max_results: Some(DESCRIBE_BATCH as u32),
                ..Default::default()
            };
            // A failed poll is tried again at the next interval, until the wait runs out.
            if let Ok(page) = client.describe_instances(region, &request).await {
                for i in page.instances.instance {
                    last.insert(i.instance_id, i.status);
                }
            }
        }
        pending.retain(|t| {
            let running = last.get(&t.instance_id).is_some_and(|s| s == "Running");
            if running {
                done.push((
                    t.instance_id.clone(),
                    outcome(t, FixState::Done, "started; the instance is Running"),
                ));
            }
            !running
        });
        if pending.is_empty() {
            return Ok(done);
        }
        if begun.elapsed() + tuning.start_poll > tuning.start_wait {
            for t in pending {
                let status = last.get(&t.instance_id).map_or("unknown", String::as_str);
                let e = AppError::new(
                    crate::error::ErrorCode::Cloud,
                    format!(
                        "StartInstance was accepted for {}, but it is still {status} after {} s; \
                         refresh later to see whether it started",
                        t.instance_id,
                        tuning.start_wait.as_secs()
                    ),
                );
                done.push((t.instance_id.clone(), failed(t, e)));
            }
            return Ok(done);
        }
        tokio::time::sleep(tuning.start_poll).await;
    }
}

async fn install(
    client: &Client,
    targets: &[InstanceRef],
    reporter: &Reporter<FixEvent>,
) -> Result<Vec<FixOutcome>, AppError> {
    let mut outcomes: BTreeMap<String, FixOutcome> = BTreeMap::new();
    for (region, list) in by_region(targets) {
        for chunk in list.chunks(INSTALL_BATCH) {
            reporter.checkpoint()?;
            let ids: Vec<String> = chunk.iter().map(|t| t.instance_id.clone()).collect();
            let result = client.install_cloud_assistant(region, &ids).await;
            reporter.emit(FixEvent::Sent {
                action: "InstallCloudAssistant".into(),
                region_id: region.to_owned(),
                instance_ids: ids,
            });
            for t in chunk {
                let o = match &result {
                    Ok(_) => outcome(
                        t,
                        FixState::Done,
                        "InstallCloudAssistant was accepted; the agent takes effect after the \
                         instance restarts (restart it when convenient, then refresh)",
                    ),
                    Err(e) => failed(t, AppError::from(e)),
                };
                outcomes.insert(t.instance_id.clone(), o);
            }
        }
    }
    Ok(targets
        .iter()
        .filter_map(|t| outcomes.remove(&t.instance_id))
        .collect())
}

async fn attach(
    client: &Client,
    request: &FixRequest,
    targets: &[InstanceRef],
    tuning: &FixTuning,
    reporter: &Reporter<FixEvent>,
) -> Result<Vec<FixOutcome>, AppError> {
    let options = RamOptions {
        role_name: DEFAULT_ROLE_NAME.into(),
        policy_name: DEFAULT_POLICY_NAME.into(),
        instances: targets.to_vec(),
        on_conflict: request.on_conflict,
        ..RamOptions::default()
    };
    let ram = reporter.map(|event| FixEvent::Ram { event });
    let report = apply(client, &options, &tuning.ram, &ram).await?;
    // What stands in the way of every instance: the role, policy or attachment step.
    let shared: Vec<String> = report
        .plan
        .steps
        .iter()
        .filter(|s| s.kind != StepKind::Instance && s.state != StepState::Done)
        .map(|s| s.detail.clone())
        .collect();
    Ok(targets
        .iter()
        .map(|t| {
            let step = report
                .plan
                .steps
                .iter()
                .find(|s| s.kind == StepKind::Instance && s.target == t.instance_id);
            let failure = report
                .failures
                .iter()
                .find(|f| step.is_some_and(|s| s.id == f.step_id));
            match (step, failure) {
                (_, Some(f)) => failed(t, f.error.clone()),
                (None, None) => failed(
                    t,
                    AppError::internal("the RAM plan has no step for this instance"),
                ),
                (Some(s), None) => match s.state {
                    StepState::Done => outcome(t, FixState::Done, s.detail.clone()),
                    StepState::Conflict if request.on_conflict.is_none() => FixOutcome {
                        choices: s.choices.clone(),
                        ..outcome(t, FixState::Conflict, s.detail.clone())
                    },
                    StepState::Conflict => outcome(t, FixState::Skipped, s.detail.clone()),
                    StepState::Blocked => failed(
                        t,
                        AppError::new(crate::error::ErrorCode::PermissionDenied, s.detail.clone()),
                    ),
                    StepState::Todo => {
                        let why = match shared.is_empty() {
                            true => s.detail.clone(),
                            false => shared.join(" "),
                        };
                        failed(
                            t,
                            AppError::new(
                                crate::error::ErrorCode::Conflict,
                                format!("the role was not attached: {why}"),
                            ),
                        )
                    }
                },
            }
        })
        .collect())
}

fn probed(inventory: &Inventory, targets: &[InstanceRef]) -> Vec<FixOutcome> {
    targets
        .iter()
        .map(|t| {
            let guest = inventory
                .instances
                .iter()
                .find(|a| a.instance.instance_id == t.instance_id)
                .and_then(|a| a.instance.guest.as_ref());
            match guest {
                Some(GuestFacts::Probed { .. }) => {
                    outcome(t, FixState::Done, "the deep check answered")
                }
                Some(GuestFacts::Failed { reason }) => failed(
                    t,
                    AppError::new(
                        crate::error::ErrorCode::Cloud,
                        format!("the deep check got no answer: {reason}"),
                    ),
                ),
                None => failed(t, AppError::internal("the deep check left no result")),
            }
        })
        .collect()
}

/// Reads the fixed instances' regions again and lays them over the inventory.
async fn reread(
    client: &Client,
    inventory: &mut Inventory,
    targets: &[InstanceRef],
    reporter: &Reporter<FixEvent>,
) -> Result<(), AppError> {
    let regions: Vec<String> = by_region(targets).keys().map(|r| (*r).to_owned()).collect();
    let options = InventoryOptions {
        regions: regions.clone(),
        group_disk_limit: inventory.group_disk_limit,
        ..InventoryOptions::default()
    };
    let fleet = reporter.map(|event| FixEvent::Fleet { event });
    let fresh = read_inventory(client, &options, &fleet).await?;
    *inventory = merge(Some(inventory), fresh, &regions);
    Ok(())
}
