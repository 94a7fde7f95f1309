//! Reads the account (GetRole, GetPolicy, ListPoliciesForRole, DescribeInstanceRamRole;
//! never a write) and says for each step whether it is done, to do, in conflict, or
//! blocked by a missing permission.

use acs_openapi::{AcsError, Client, ErrorKind};

use super::cloud::{self, CUSTOM};
use super::diff::diff_documents;
use super::documents::{ecs_trust_policy, snapshot_policy};
use super::evaluate::{evaluate_policy, evaluate_trust};
use super::plan_instances::instance_steps;
use super::types::{
    Blocker, CloudAction, CloudRequest, Evaluation, PlanStep, RamOptions, RamPlan, StepKind,
    StepState,
};
use crate::error::AppError;

/// The plan for `options` against the account `client` signs for.
pub async fn plan(client: &Client, options: &RamOptions) -> Result<RamPlan, AppError> {
    options.validate()?;
    let role = role_step(client, options).await?;
    let policy = policy_step(client, options).await?;
    let attachment = attachment_step(client, options, role.state, policy.state).await?;
    let (instance_steps, instances) = instance_steps(client, options, role.state).await?;
    let mut steps = vec![role, policy, attachment];
    steps.extend(instance_steps);
    Ok(RamPlan { steps, instances })
}

async fn role_step(client: &Client, o: &RamOptions) -> Result<PlanStep, AppError> {
    let expected = ecs_trust_policy();
    let create = cloud::create_role(&o.role_name, &expected);
    let step = new_step(StepKind::Role, StepKind::Role.as_str(), &o.role_name);
    let what = format!("Role {}", o.role_name);
    Ok(match client.get_role(&o.role_name).await {
        // GetRole documents the trust policy; a reply without one judges as an empty document.
        Ok(r) => judge(
            step,
            Existing {
                what,
                document_word: "trust policy",
                expected: &expected,
                actual: r.role.assume_role_policy_document.as_deref().unwrap_or(""),
                evaluation: evaluate_trust(
                    r.role.assume_role_policy_document.as_deref().unwrap_or(""),
                ),
                use_anyway: o.use_existing_role,
            },
        ),
        Err(e) => missing_or_blocked(
            step,
            CloudAction::GetRole,
            e,
            create,
            format!("{what} does not exist: it will be created, trusted by ecs.aliyuncs.com."),
        )?,
    })
}

async fn policy_step(client: &Client, o: &RamOptions) -> Result<PlanStep, AppError> {
    let expected = snapshot_policy();
    let create = cloud::create_policy(&o.policy_name, &expected);
    let step = new_step(StepKind::Policy, StepKind::Policy.as_str(), &o.policy_name);
    let what = format!("Custom policy {}", o.policy_name);
    Ok(match client.get_policy(&o.policy_name, CUSTOM).await {
        Ok(r) => {
            let actual = r.default_policy_version.policy_document;
            judge(
                step,
                Existing {
                    what,
                    document_word: "document",
                    expected: &expected,
                    actual: &actual,
                    evaluation: evaluate_policy(&actual),
                    use_anyway: o.use_existing_policy,
                },
            )
        }
        Err(e) => missing_or_blocked(
            step,
            CloudAction::GetPolicy,
            e,
            create,
            format!("{what} does not exist: it will be created with the four snapshot actions on \"*\"."),
        )?,
    })
}

async fn attachment_step(
    client: &Client,
    o: &RamOptions,
    role: StepState,
    policy: StepState,
) -> Result<PlanStep, AppError> {
    let target = format!("{} → {}", o.policy_name, o.role_name);
    let step = new_step(StepKind::Attachment, StepKind::Attachment.as_str(), &target);
    let attach = cloud::attach_policy(&o.policy_name, &o.role_name);
    let waits = if role == StepState::Conflict || policy == StepState::Conflict {
        " Waits until the conflict above is resolved."
    } else {
        ""
    };
    if role == StepState::Todo || policy == StepState::Todo {
        return Ok(todo(
            step,
            format!("Policy {target}: attached once the role and policy exist.{waits}"),
            vec![attach],
        ));
    }
    Ok(match attached(client, &o.role_name, &o.policy_name).await {
        Ok(true) => done(
            step,
            format!(
                "Policy {} is attached to role {}.",
                o.policy_name, o.role_name
            ),
        ),
        Ok(false) => todo(
            step,
            format!(
                "Policy {} will be attached to role {}.{waits}",
                o.policy_name, o.role_name
            ),
            vec![attach],
        ),
        Err(e) => missing_or_blocked(
            step,
            CloudAction::ListPoliciesForRole,
            e,
            attach,
            format!("Policy {target}: attached once the role exists."),
        )?,
    })
}

/// Is custom policy `policy` attached to `role`? (RAM names ignore case.)
pub(super) async fn attached(client: &Client, role: &str, policy: &str) -> Result<bool, AcsError> {
    let r = client.list_policies_for_role(role).await?;
    Ok(r.policies.policy.iter().any(|p| {
        p.policy_type.eq_ignore_ascii_case(CUSTOM) && p.policy_name.eq_ignore_ascii_case(policy)
    }))
}

struct Existing<'a> {
    what: String,
    document_word: &'static str,
    expected: &'a str,
    actual: &'a str,
    evaluation: Evaluation,
    use_anyway: bool,
}

/// An existing role or policy: done when its document is ours, else a conflict that
/// "use it anyway" resolves only when the evaluation proves it does the job.
fn judge(mut step: PlanStep, e: Existing<'_>) -> PlanStep {
    let Some(diff) = diff_documents(e.expected, e.actual) else {
        return done(
            step,
            format!(
                "{} exists with exactly the expected {}.",
                e.what, e.document_word
            ),
        );
    };
    let failed: Vec<String> = e
        .evaluation
        .findings
        .iter()
        .filter(|f| !f.holds)
        .map(|f| format!("{}: {}", f.subject, f.reason))
        .collect();
    let (state, detail) = match (e.use_anyway, e.evaluation.sufficient) {
        (true, true) => (
            StepState::Done,
            format!(
                "{} has another {}; used anyway as chosen, since it does what ours does. It is not changed.",
                e.what, e.document_word
            ),
        ),
        (true, false) => (
            StepState::Conflict,
            format!(
                "Refused to use {} anyway: {}. Choose another name.",
                e.what,
                failed.join("; ")
            ),
        ),
        (false, sufficient) => (
            StepState::Conflict,
            format!(
                "{} exists with another {}; AppSnap never overwrites it. {} Or choose another name.",
                e.what,
                e.document_word,
                if sufficient {
                    "It does what ours does, so \"use it anyway\" would be accepted.".to_owned()
                } else {
                    format!("\"Use it anyway\" would be refused: {}.", failed.join("; "))
                }
            ),
        ),
    };
    step.state = state;
    step.detail = detail;
    step.diff = Some(diff);
    step.evaluation = Some(e.evaluation);
    step
}

/// A read's error: not found → the write is to do; denied → blocked; else fatal.
fn missing_or_blocked(
    step: PlanStep,
    read: CloudAction,
    err: AcsError,
    write: CloudRequest,
    todo_detail: String,
) -> Result<PlanStep, AppError> {
    if cloud::is_not_found(&err) {
        Ok(todo(step, todo_detail, vec![write]))
    } else if err.kind() == ErrorKind::PermissionDenied {
        Ok(blocked(step, cloud::blocker(read, &err), vec![write]))
    } else {
        Err(err.into())
    }
}

pub(super) fn new_step(kind: StepKind, id: &str, target: &str) -> PlanStep {
    PlanStep {
        id: id.to_owned(),
        kind,
        target: target.to_owned(),
        state: StepState::Todo,
        detail: String::new(),
        request: Vec::new(),
        diff: None,
        evaluation: None,
        blocker: None,
        choices: Vec::new(),
        resolution: None,
    }
}

pub(super) fn done(mut step: PlanStep, detail: String) -> PlanStep {
    step.state = StepState::Done;
    step.detail = detail;
    step
}

pub(super) fn todo(mut step: PlanStep, detail: String, request: Vec<CloudRequest>) -> PlanStep {
    step.state = StepState::Todo;
    step.detail = detail;
    step.request = request;
    step
}

/// The step still shows what it would send once the permission is granted.
pub(super) fn blocked(
    mut step: PlanStep,
    blocker: Blocker,
    request: Vec<CloudRequest>,
) -> PlanStep {
    step.state = StepState::Blocked;
    step.detail = blocked_detail(&blocker);
    step.blocker = Some(blocker);
    step.request = request;
    step
}

pub(super) fn blocked_detail(b: &Blocker) -> String {
    format!(
        "The caller lacks {} (the cloud answered {}{}). Grant it, or run this with an account that has it.",
        b.permission,
        b.code,
        b.request_id
            .as_deref()
            .map(|id| format!(", RequestId {id}"))
            .unwrap_or_default()
    )
}
