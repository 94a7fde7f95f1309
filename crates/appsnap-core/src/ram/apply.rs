//! Runs a fresh plan's `todo` steps (and the chosen conflict resolutions) in order.
//! acs-openapi retries only reads and `ClientToken` calls; RAM's creates and the
//! instance-role calls carry no token, so this engine retries them itself, and after a
//! lost or failed reply it re-reads first: a retry never creates twice, and an
//! `EntityAlreadyExists.*` means "compare", not "fail".

use std::collections::HashMap;
use std::time::Duration;

use acs_openapi::Client;
use serde_json::Value;

use super::cloud::{self, Failure};
use super::plan::{blocked_detail, plan};
use super::probe::{probe, Probe, Seen};
use super::types::{
    Blocker, CloudAction, CloudRequest, InstanceResolution, PlanStep, RamApplyEvent,
    RamApplyReport, RamOptions, StepFailure, StepKind, StepState,
};
use crate::error::AppError;
use crate::progress::Reporter;

/// Sends the plan's writes and returns the account's plan afterwards. Stops between
/// steps with `Cancelled` when asked; a later `plan` resumes from what was done.
pub async fn apply(
    client: &Client,
    options: &RamOptions,
    tuning: &ApplyTuning,
    reporter: &Reporter<RamApplyEvent>,
) -> Result<RamApplyReport, AppError> {
    let before = plan(client, options).await?;
    reporter.emit(RamApplyEvent::Planned {
        plan: before.clone(),
    });
    let mut run = Run {
        client,
        options,
        tuning,
        reporter,
        states: before
            .steps
            .iter()
            .map(|s| (s.id.clone(), s.state))
            .collect(),
        blockers: HashMap::new(),
        failures: Vec::new(),
    };
    for step in &before.steps {
        reporter.checkpoint()?;
        run.step(step).await;
    }
    let mut after = plan(client, options).await?;
    // A write denied during apply leaves a step that reads fine: show it blocked.
    for step in after
        .steps
        .iter_mut()
        .filter(|s| s.state != StepState::Done)
    {
        if let Some(b) = run.blockers.get(&step.id) {
            step.state = StepState::Blocked;
            step.detail = blocked_detail(b);
            step.blocker = Some(b.clone());
        }
    }
    for inst in &mut after.instances {
        if let Some(s) = after
            .steps
            .iter()
            .find(|s| s.target == inst.instance_id && s.kind == StepKind::Instance)
        {
            inst.state = s.state;
        }
    }
    Ok(RamApplyReport {
        plan: after,
        failures: run.failures,
    })
}

/// Timing of retries and of the post-attach check; the defaults suit the real cloud.
#[derive(Debug, Clone)]
pub struct ApplyTuning {
    /// Tries of one write when the cloud throttles, is unavailable or drops the reply.
    pub write_attempts: u32,
    pub retry_delay: Duration,
    pub retry_max_delay: Duration,
    /// How long DescribeInstanceRamRole may take to show a fresh attachment.
    pub verify_timeout: Duration,
    pub verify_delay: Duration,
    pub verify_max_delay: Duration,
}

impl Default for ApplyTuning {
    fn default() -> Self {
        Self {
            write_attempts: 4,
            retry_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(8),
            verify_timeout: Duration::from_secs(60),
            verify_delay: Duration::from_millis(500),
            verify_max_delay: Duration::from_secs(5),
        }
    }
}

/// How one step ended.
pub(super) enum Outcome {
    Done(String),
    Blocked(Blocker),
    Conflict(String),
    Failed(AppError),
    Skipped(String),
}

/// A write's end: the reply to read, or already settled (denied, re-read, failed).
pub(super) enum Written {
    Reply(Value),
    Settled(Outcome),
}

pub(super) struct Run<'a> {
    pub(super) client: &'a Client,
    pub(super) options: &'a RamOptions,
    pub(super) tuning: &'a ApplyTuning,
    pub(super) reporter: &'a Reporter<RamApplyEvent>,
    states: HashMap<String, StepState>,
    blockers: HashMap<String, Blocker>,
    failures: Vec<StepFailure>,
}

impl Run<'_> {
    async fn step(&mut self, step: &PlanStep) {
        let Some(outcome) = self.outcome(step).await else {
            return;
        };
        let id = step.id.clone();
        let (state, event) = match outcome {
            Outcome::Done(detail) => (
                StepState::Done,
                RamApplyEvent::StepDone {
                    step_id: id.clone(),
                    detail,
                },
            ),
            Outcome::Blocked(blocker) => {
                self.blockers.insert(id.clone(), blocker.clone());
                // Known missing and not made: later steps must not take it as "may exist".
                (
                    step.state,
                    RamApplyEvent::StepBlocked {
                        step_id: id.clone(),
                        blocker,
                    },
                )
            }
            Outcome::Conflict(detail) => (
                StepState::Conflict,
                RamApplyEvent::StepConflict {
                    step_id: id.clone(),
                    detail,
                },
            ),
            Outcome::Failed(error) => {
                self.failures.push(StepFailure {
                    step_id: id.clone(),
                    error: error.clone(),
                });
                (
                    step.state,
                    RamApplyEvent::StepFailed {
                        step_id: id.clone(),
                        error,
                    },
                )
            }
            Outcome::Skipped(reason) => (
                step.state,
                RamApplyEvent::StepSkipped {
                    step_id: id.clone(),
                    reason,
                },
            ),
        };
        self.states.insert(id, state);
        self.reporter.emit(event);
    }

    /// `None` when the step needs nothing (done, blocked by a read, unresolved conflict).
    async fn outcome(&self, step: &PlanStep) -> Option<Outcome> {
        let o = self.options;
        let role = self.state(StepKind::Role.as_str());
        let policy = self.state(StepKind::Policy.as_str());
        let needs = |what: &str| {
            Some(Outcome::Skipped(format!(
                "needs the {what} step to be done first"
            )))
        };
        match (step.kind, step.state) {
            (_, StepState::Done | StepState::Blocked) => None,
            (StepKind::Instance, StepState::Conflict) => match step.resolution {
                Some(InstanceResolution::Extend) if policy != StepState::Done => needs("policy"),
                Some(InstanceResolution::Replace) if role != StepState::Done => needs("role"),
                Some(InstanceResolution::Extend | InstanceResolution::Replace) => {
                    self.started(step);
                    Some(self.resolve(step).await)
                }
                Some(InstanceResolution::Skip) => Some(Outcome::Skipped(step.detail.clone())),
                None => None,
            },
            (_, StepState::Conflict) => None,
            (StepKind::Role, StepState::Todo) => {
                self.started(step);
                let probe = Probe::Role {
                    name: o.role_name.clone(),
                };
                Some(self.create(step, &step.request[0], probe).await)
            }
            (StepKind::Policy, StepState::Todo) => {
                self.started(step);
                let probe = Probe::Policy {
                    name: o.policy_name.clone(),
                };
                Some(self.create(step, &step.request[0], probe).await)
            }
            (StepKind::Attachment, StepState::Todo) => {
                if role != StepState::Done {
                    return needs("role");
                }
                if policy != StepState::Done {
                    return needs("policy");
                }
                self.started(step);
                Some(
                    self.attach_policy(step, &step.request[0], &o.role_name)
                        .await,
                )
            }
            // A role we could not read may still exist: the attach call will tell.
            (StepKind::Instance, StepState::Todo)
                if matches!(role, StepState::Done | StepState::Blocked) =>
            {
                self.started(step);
                Some(self.attach_instance(step, &step.request[0]).await)
            }
            (StepKind::Instance, StepState::Todo) => needs("role"),
        }
    }

    fn state(&self, id: &str) -> StepState {
        self.states.get(id).copied().unwrap_or(StepState::Todo)
    }

    fn started(&self, step: &PlanStep) {
        self.reporter.emit(RamApplyEvent::StepStarted {
            step_id: step.id.clone(),
        });
    }

    /// CreateRole/CreatePolicy: a lost reply or `EntityAlreadyExists` → re-read and compare.
    async fn create(&self, step: &PlanStep, req: &CloudRequest, probe: Probe) -> Outcome {
        match self.write(step, req, &probe).await {
            Written::Reply(_) => Outcome::Done(format!("Created {}.", step.target)),
            Written::Settled(o) => o,
        }
    }

    /// AttachPolicyToRole to our role or (extend) to the instance's role.
    pub(super) async fn attach_policy(
        &self,
        step: &PlanStep,
        req: &CloudRequest,
        role: &str,
    ) -> Outcome {
        let probe = Probe::Attachment {
            role: role.to_owned(),
            policy: self.options.policy_name.clone(),
        };
        match self.write(step, req, &probe).await {
            Written::Reply(_) => Outcome::Done(format!(
                "Attached policy {} to role {role}.",
                self.options.policy_name
            )),
            Written::Settled(o) => o,
        }
    }

    /// Sends one write, retrying what may pass later; after a lost reply it re-reads
    /// first, so nothing is sent twice once it has applied.
    pub(super) async fn write(
        &self,
        step: &PlanStep,
        req: &CloudRequest,
        probe: &Probe,
    ) -> Written {
        let mut attempt = 1;
        loop {
            let err = match cloud::send(self.client, req).await {
                Ok(v) => return Written::Reply(v),
                Err(e) => e,
            };
            match cloud::classify(req.action, err) {
                Failure::Blocked(b) => return Written::Settled(Outcome::Blocked(b)),
                // Attaching what is attached already is success (reference §5.3).
                Failure::AlreadyExists if req.action == CloudAction::AttachPolicyToRole => {
                    return Written::Settled(Outcome::Done(
                        "The policy was attached already.".into(),
                    ));
                }
                Failure::AlreadyExists => {
                    return Written::Settled(self.compare(probe, "It exists already").await)
                }
                Failure::Transient(e) if attempt < self.tuning.write_attempts => {
                    let delay = self.retry_delay(attempt, &e);
                    self.reporter.emit(RamApplyEvent::Retrying {
                        step_id: step.id.clone(),
                        attempt,
                        code: e.code().unwrap_or("NoResponse").to_owned(),
                        delay_ms: delay.as_millis().min(u32::MAX as u128) as u32,
                    });
                    tokio::time::sleep(delay).await;
                    match probe_or_fail(self.client, probe).await {
                        Ok(Seen::Present) => {
                            return Written::Settled(Outcome::Done(
                                "The earlier attempt had applied (confirmed by reading it back)."
                                    .into(),
                            ))
                        }
                        Ok(Seen::Different(d)) => return Written::Settled(Outcome::Conflict(d)),
                        Ok(Seen::Absent) => attempt += 1,
                        Err(o) => return Written::Settled(o),
                    }
                }
                Failure::Transient(e) | Failure::Other(e) => {
                    return Written::Settled(Outcome::Failed(e.into()))
                }
            }
        }
    }

    async fn compare(&self, probe: &Probe, why: &str) -> Outcome {
        match probe_or_fail(self.client, probe).await {
            Ok(Seen::Present) => {
                Outcome::Done(format!("{why} and matches (an earlier attempt made it)."))
            }
            Ok(Seen::Different(d)) => Outcome::Conflict(d),
            Ok(Seen::Absent) => Outcome::Failed(AppError::new(
                crate::error::ErrorCode::Conflict,
                format!("{why}, yet it cannot be read back; run the plan again."),
            )),
            Err(o) => o,
        }
    }

    fn retry_delay(&self, attempt: u32, err: &acs_openapi::AcsError) -> Duration {
        let exp = attempt.saturating_sub(1).min(10);
        let backoff = self.tuning.retry_delay.saturating_mul(1 << exp);
        let hint = err
            .service()
            .and_then(|s| s.retry_after)
            .unwrap_or_default();
        backoff.max(hint).min(self.tuning.retry_max_delay)
    }
}

async fn probe_or_fail(client: &Client, p: &Probe) -> Result<Seen, Outcome> {
    probe(client, p)
        .await
        .map_err(|e| Outcome::Failed(e.into()))
}
