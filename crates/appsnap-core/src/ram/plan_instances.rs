//! Step 4 for each chosen instance: which role it holds now (DescribeInstanceRamRole per
//! region, at most 50 ids a call), and for an instance holding another role the three
//! ways out with what each costs.

use std::collections::{BTreeMap, HashMap};

use acs_openapi::{Client, ErrorKind};
use futures::TryStreamExt;

use super::cloud;
use super::plan::{attached, blocked, done, new_step, todo};
use super::types::{
    Blocker, CloudAction, ConflictChoice, InstancePlan, InstanceRef, InstanceResolution, PlanStep,
    RamOptions, StepKind, StepState,
};
use crate::error::{AppError, ErrorCode};
use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;

/// The action's documented maximum of ids per call.
const IDS_PER_CALL: usize = 50;

pub(super) fn step_id(instance_id: &str) -> String {
    format!("{}:{instance_id}", StepKind::Instance.as_str())
}

pub(super) async fn instance_steps(
    client: &Client,
    o: &RamOptions,
    role_state: StepState,
) -> Result<(Vec<PlanStep>, Vec<InstancePlan>), AppError> {
    refuse_unknown(client, &o.instances).await?;
    let current = current_roles(client, &o.instances).await?;
    let mut extended: HashMap<String, bool> = HashMap::new();
    let (mut steps, mut summary) = (Vec::new(), Vec::new());
    for inst in &o.instances {
        let found = current.get(&inst.instance_id).cloned().unwrap_or(Ok(None));
        let step = match found {
            Err(blocker) => {
                let attach =
                    cloud::attach_instance_role(&inst.region_id, &inst.instance_id, &o.role_name);
                blocked(base(inst), blocker, vec![attach])
            }
            Ok(None) => {
                let after = if role_state == StepState::Done {
                    ""
                } else {
                    " once the role exists"
                };
                todo(
                    base(inst),
                    format!(
                        "Role {} will be attached to {}{after}.",
                        o.role_name, inst.instance_id
                    ),
                    vec![cloud::attach_instance_role(
                        &inst.region_id,
                        &inst.instance_id,
                        &o.role_name,
                    )],
                )
            }
            Ok(Some(r)) if r.eq_ignore_ascii_case(&o.role_name) => {
                done(base(inst), format!("{} holds role {r}.", inst.instance_id))
            }
            Ok(Some(r)) => {
                let key = r.to_ascii_lowercase();
                let carries = match extended.get(&key) {
                    Some(v) => *v,
                    None => {
                        // Unreadable counts as "not extended": the user still gets the choice.
                        let v = attached(client, &r, &o.policy_name).await.unwrap_or(false);
                        extended.insert(key, v);
                        v
                    }
                };
                if carries {
                    done(
                        base(inst),
                        format!(
                            "{} holds role {r}, which carries policy {} (extended).",
                            inst.instance_id, o.policy_name
                        ),
                    )
                } else {
                    conflict(base(inst), inst, &r, o)
                }
            }
        };
        summary.push(InstancePlan {
            instance_id: inst.instance_id.clone(),
            region_id: inst.region_id.clone(),
            state: step.state,
            current_role: match current.get(&inst.instance_id) {
                Some(Ok(r)) => r.clone(),
                _ => None,
            },
        });
        steps.push(step);
    }
    Ok((steps, summary))
}

fn base(inst: &InstanceRef) -> PlanStep {
    new_step(
        StepKind::Instance,
        &step_id(&inst.instance_id),
        &inst.instance_id,
    )
}

fn conflict(mut step: PlanStep, inst: &InstanceRef, other: &str, o: &RamOptions) -> PlanStep {
    let (region, id) = (&inst.region_id, &inst.instance_id);
    let (ours, policy) = (&o.role_name, &o.policy_name);
    step.choices = vec![
        ConflictChoice {
            resolution: InstanceResolution::Extend,
            consequence: format!(
                "Least disruptive: {id} keeps role {other} and policy {policy} is attached to {other}, so everything using {other} (on any instance) also gets the snapshot permissions."
            ),
            requests: vec![cloud::attach_policy(policy, other)],
        },
        ConflictChoice {
            resolution: InstanceResolution::Replace,
            consequence: format!(
                "Detaches {other} and attaches {ours}: whatever on {id} used {other} (agents, scripts, SDKs using the instance's credentials) loses its permissions."
            ),
            requests: vec![
                cloud::detach_instance_role(region, id, other),
                cloud::attach_instance_role(region, id, ours),
            ],
        },
        ConflictChoice {
            resolution: InstanceResolution::Skip,
            consequence: format!(
                "{id} keeps {other} without the snapshot permissions: application-consistent snapshots of it will fail the permission check."
            ),
            requests: Vec::new(),
        },
    ];
    step.state = StepState::Conflict;
    step.resolution = o.resolution_for(id);
    let chosen = step
        .choices
        .iter()
        .find(|c| Some(c.resolution) == step.resolution);
    step.detail = match chosen {
        Some(c) => format!(
            "{id} holds role {other}, not {ours} (an instance holds one role). Chosen: {} — {}",
            resolution_word(c.resolution),
            c.consequence
        ),
        None => format!(
            "{id} holds role {other}, not {ours} (an instance holds one role). Choose extend, replace or skip."
        ),
    };
    step.request = chosen.map(|c| c.requests.clone()).unwrap_or_default();
    step
}

pub(super) fn resolution_word(r: InstanceResolution) -> &'static str {
    match r {
        InstanceResolution::Extend => "extend",
        InstanceResolution::Replace => "replace",
        InstanceResolution::Skip => "skip",
    }
}

/// DescribeInstances takes at most this many ids per call.
const DESCRIBE_IDS_PER_CALL: usize = 100;

/// DescribeInstanceRamRole leaves out ids it does not know, so an instance id with a typo
/// or in another region would plan as `todo` and fail only at apply: look them up first.
/// A caller who may not list instances gets the plan without this check.
async fn refuse_unknown(client: &Client, instances: &[InstanceRef]) -> Result<(), AppError> {
    let mut by_region: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for i in instances {
        by_region
            .entry(i.region_id.as_str())
            .or_default()
            .push(i.instance_id.clone());
    }
    let mut unknown = Vec::new();
    for (region, ids) in by_region {
        for chunk in ids.chunks(DESCRIBE_IDS_PER_CALL) {
            let request = DescribeInstancesRequest {
                instance_ids: chunk.to_vec(),
                max_results: Some(DESCRIBE_IDS_PER_CALL as u32),
                ..Default::default()
            };
            let found = match client
                .describe_instances_stream(region, request)
                .try_collect::<Vec<_>>()
                .await
            {
                Ok(found) => found,
                Err(e) if e.kind() == ErrorKind::PermissionDenied => continue,
                Err(e) => return Err(e.into()),
            };
            unknown.extend(
                chunk
                    .iter()
                    .filter(|id| !found.iter().any(|f| &f.instance_id == *id))
                    .map(|id| format!("{id} in {region}")),
            );
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::NotFound,
            format!(
                "no such instance: {} (check the instance ID and its region)",
                unknown.join(", ")
            ),
        ))
    }
}

pub(super) type Current = HashMap<String, Result<Option<String>, Blocker>>;

/// Each instance's role now, by region in calls of at most [`IDS_PER_CALL`] ids; a
/// denied read marks that call's instances with the blocker.
pub(super) async fn current_roles(
    client: &Client,
    instances: &[InstanceRef],
) -> Result<Current, AppError> {
    let mut by_region: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for i in instances {
        by_region
            .entry(i.region_id.as_str())
            .or_default()
            .push(i.instance_id.clone());
    }
    let mut current = Current::new();
    for (region, ids) in by_region {
        for chunk in ids.chunks(IDS_PER_CALL) {
            let read = client
                .describe_instance_ram_role_stream(region, chunk.to_vec(), None, None)
                .try_collect::<Vec<_>>()
                .await;
            match read {
                Ok(sets) => {
                    for id in chunk {
                        let role = sets
                            .iter()
                            .find(|s| &s.instance_id == id)
                            .map(|s| s.ram_role_name.clone())
                            // Tolerate an entry with an empty name (reference §3.8).
                            .filter(|r| !r.is_empty());
                        current.insert(id.clone(), Ok(role));
                    }
                }
                Err(e) if e.kind() == ErrorKind::PermissionDenied => {
                    let b = cloud::blocker(CloudAction::DescribeInstanceRamRole, &e);
                    for id in chunk {
                        current.insert(id.clone(), Err(b.clone()));
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(current)
}
