//! Step 4 on the wire: attach our role to an instance and confirm it with
//! DescribeInstanceRamRole (propagation can lag), or carry out the chosen way out for an
//! instance that holds another role.

use acs_openapi::actions::instance_ram_role::DetachInstanceRamRoleResponse;
use acs_openapi::actions::instance_ram_role::{AttachInstanceRamRoleResponse, RamRoleResult};
use tokio::time::Instant;

use super::apply::{Outcome, Run, Written};
use super::cloud;
use super::plan_instances::resolution_word;
use super::probe::{instance_role, Probe};
use super::types::{CloudRequest, InstanceResolution, PlanStep, RamApplyEvent};
use crate::error::{AppError, ErrorCode};

impl Run<'_> {
    /// AttachInstanceRamRole for one instance, then the check that it shows.
    pub(super) async fn attach_instance(&self, step: &PlanStep, req: &CloudRequest) -> Outcome {
        let (region, instance, role) = instance_params(req);
        let probe = Probe::InstanceRole {
            region: region.clone(),
            instance: instance.clone(),
            role: role.clone(),
        };
        let reply = match self.write(step, req, &probe).await {
            Written::Settled(o) => return o,
            Written::Reply(v) => v,
        };
        let results = serde_json::from_value::<AttachInstanceRamRoleResponse>(reply.clone())
            .map(|r| r.attach_instance_ram_role_results.results)
            .unwrap_or_default();
        if let Some(failed) = per_instance_failure(&results, &instance) {
            return Outcome::Failed(per_instance_error(
                "attach", &role, &instance, failed, &reply,
            ));
        }
        self.verify(step, &region, &instance, &role).await
    }

    /// Extend (attach our policy to the instance's role) or replace (detach it, attach ours).
    pub(super) async fn resolve(&self, step: &PlanStep) -> Outcome {
        match step.resolution {
            Some(InstanceResolution::Extend) => {
                let req = &step.request[0];
                let role = req.parameters.get("RoleName").cloned().unwrap_or_default();
                match self.attach_policy(step, req, &role).await {
                    Outcome::Done(d) => {
                        Outcome::Done(format!("{d} {} keeps role {role} (extend).", step.target))
                    }
                    other => other,
                }
            }
            Some(InstanceResolution::Replace) => self.replace(step).await,
            Some(r) => Outcome::Skipped(format!("{} chosen", resolution_word(r))),
            None => Outcome::Skipped("no choice made".into()),
        }
    }

    async fn replace(&self, step: &PlanStep) -> Outcome {
        let (detach, attach) = (&step.request[0], &step.request[1]);
        let (region, instance, old) = instance_params(detach);
        let probe = Probe::InstanceRoleGone {
            region: region.clone(),
            instance: instance.clone(),
            role: old.clone(),
        };
        match self.write(step, detach, &probe).await {
            Written::Settled(Outcome::Done(_)) => {}
            Written::Settled(o) => return o,
            Written::Reply(v) => {
                let results = serde_json::from_value::<DetachInstanceRamRoleResponse>(v.clone())
                    .map(|r| r.detach_instance_ram_role_results.results)
                    .unwrap_or_default();
                if let Some(failed) = per_instance_failure(&results, &instance) {
                    return Outcome::Failed(per_instance_error(
                        "detach", &old, &instance, failed, &v,
                    ));
                }
            }
        }
        match self.attach_instance(step, attach).await {
            Outcome::Done(d) => Outcome::Done(format!("Detached role {old}. {d}")),
            other => self.restore(other, &region, &instance, &old).await,
        }
    }

    /// Our attach failed after the old role was detached: put the old role back so the
    /// instance is not left with none, and say what happened.
    async fn restore(&self, failed: Outcome, region: &str, instance: &str, old: &str) -> Outcome {
        let back = cloud::attach_instance_role(region, instance, old);
        let restored = match cloud::send(self.client, &back).await {
            Ok(_) => format!("role {old} was attached again"),
            Err(e) => format!("attaching role {old} again failed too ({e}); attach it by hand"),
        };
        let mut error = match failed {
            Outcome::Failed(e) => e,
            Outcome::Blocked(b) => AppError::new(ErrorCode::PermissionDenied, b.message),
            Outcome::Conflict(d) | Outcome::Skipped(d) | Outcome::Done(d) => {
                AppError::new(ErrorCode::Conflict, d)
            }
        };
        error.message = format!("{}; {restored}", error.message);
        Outcome::Failed(error)
    }

    /// Polls DescribeInstanceRamRole with growing pauses until the role shows or the
    /// time is up; says so while it waits.
    async fn verify(&self, step: &PlanStep, region: &str, instance: &str, role: &str) -> Outcome {
        let t = self.tuning;
        let start = Instant::now();
        let mut delay = t.verify_delay;
        let mut attempt = 1;
        loop {
            let message = if attempt == 1 {
                format!("Checking that {instance} shows role {role}.")
            } else {
                format!(
                    "{instance} does not show role {role} yet; a new attachment can take a while to propagate. Check {attempt}, for up to {}.",
                    seconds(t.verify_timeout)
                )
            };
            self.reporter.emit(RamApplyEvent::Verifying {
                step_id: step.id.clone(),
                instance_id: instance.to_owned(),
                attempt,
                message,
            });
            match instance_role(self.client, region, instance).await {
                Ok(Some(r)) if r.eq_ignore_ascii_case(role) => {
                    return Outcome::Done(format!(
                        "Attached role {role} to {instance}; DescribeInstanceRamRole confirms it."
                    ))
                }
                Ok(Some(r)) => {
                    return Outcome::Conflict(format!("{instance} now holds role {r}, not {role}."))
                }
                Ok(None) => {}
                Err(e) if acs_openapi::retry::is_transient(&e) => {}
                Err(e) => return Outcome::Failed(e.into()),
            }
            if start.elapsed() + delay > t.verify_timeout {
                return Outcome::Failed(AppError::new(
                    ErrorCode::Cloud,
                    format!(
                        "Role {role} was attached to {instance}, but DescribeInstanceRamRole did not confirm it within {}; it may still be propagating. Run the plan again to check.",
                        seconds(t.verify_timeout)
                    ),
                ));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(t.verify_max_delay);
            attempt += 1;
        }
    }
}

/// `60 s`, `0.2 s`.
fn seconds(d: std::time::Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `(RegionId, the one instance id, RamRoleName)` of an instance-role request we built.
fn instance_params(req: &CloudRequest) -> (String, String, String) {
    let get = |k: &str| req.parameters.get(k).cloned().unwrap_or_default();
    let instance = serde_json::from_str::<Vec<String>>(&get("InstanceIds"))
        .ok()
        .and_then(|ids| ids.into_iter().next())
        .unwrap_or_default();
    (get("RegionId"), instance, get("RamRoleName"))
}

/// The instance's own result inside a 200 reply, when it says it failed.
fn per_instance_failure<'a>(
    results: &'a [RamRoleResult],
    instance: &str,
) -> Option<&'a RamRoleResult> {
    results
        .iter()
        .find(|r| r.instance_id == instance)
        .filter(|r| !r.success)
}

fn per_instance_error(
    verb: &str,
    role: &str,
    instance: &str,
    r: &RamRoleResult,
    reply: &serde_json::Value,
) -> AppError {
    let e = AppError::new(
        ErrorCode::Cloud,
        format!(
            "Could not {verb} role {role} for {instance}: {} ({})",
            r.message, r.code
        ),
    );
    match reply.get("RequestId").and_then(|v| v.as_str()) {
        Some(id) => e.with_request_id(id),
        None => e,
    }
}
