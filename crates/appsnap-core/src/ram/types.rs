//! The RAM setup engine's data: plan, steps, options, events. No behaviour lives here
//! beyond naming, so every other file of the engine can import it without a circle.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::AppError;

/// The four steps of the seed's step 1 and the state of an account against each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RamPlan {
    pub steps: Vec<PlanStep>,
    /// One entry per chosen instance, in the order asked for.
    pub instances: Vec<InstancePlan>,
}

/// One step. The first six fields are the CLI's pinned `--output json`; the optional
/// ones after them appear only when they carry something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlanStep {
    /// `role`, `policy`, `attachment` or `instance:<instanceId>`.
    pub id: String,
    pub kind: StepKind,
    /// The role name, the policy name, `policy → role`, or the instance id.
    pub target: String,
    pub state: StepState,
    /// What the state means and what happens next, in plain words.
    pub detail: String,
    /// The exact calls apply sends for this step, in order (the document as the exact
    /// JSON string); empty when nothing will be sent.
    pub request: Vec<CloudRequest>,
    /// Expected vs actual document, when an existing role or policy differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub diff: Option<DocumentDiff>,
    /// What the existing document grants, when it differs from ours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub evaluation: Option<Evaluation>,
    /// The permission the caller lacks, when `state` is `blocked`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub blocker: Option<Blocker>,
    /// For an instance that holds another role: the ways out and what each costs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ConflictChoice>>", optional)]
    pub choices: Vec<ConflictChoice>,
    /// The choice taken for this instance (per instance, else the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resolution: Option<InstanceResolution>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum StepKind {
    Role,
    Policy,
    Attachment,
    Instance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum StepState {
    /// The account already has it; nothing will be sent.
    Done,
    /// Apply will send `request`.
    Todo,
    /// Something else is in the way; never overwritten without a choice.
    Conflict,
    /// The caller lacks a permission (see `blocker`).
    Blocked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstancePlan {
    pub instance_id: String,
    pub region_id: String,
    pub state: StepState,
    /// The RAM role the instance holds now, if any.
    pub current_role: Option<String>,
}

/// One API call exactly as it goes on the wire (before signing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CloudRequest {
    pub action: CloudAction,
    /// Wire parameter names to values; documents and id lists are JSON strings.
    pub parameters: BTreeMap<String, String>,
}

/// Every action the engine calls, named once; the product and the permission name
/// derive from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CloudAction {
    GetRole,
    CreateRole,
    GetPolicy,
    CreatePolicy,
    ListPoliciesForRole,
    AttachPolicyToRole,
    DescribeInstanceRamRole,
    AttachInstanceRamRole,
    DetachInstanceRamRole,
}

/// A permission the caller lacks, with the cloud's own words for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Blocker {
    /// The RAM action to grant, e.g. `ram:GetRole` or `ram:PassRole`.
    pub permission: String,
    /// The cloud's error code, e.g. `NoPermission`.
    pub code: String,
    pub request_id: Option<String>,
    pub message: String,
}

/// An expected document beside the one the account has, and how they differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DocumentDiff {
    pub expected: String,
    pub actual: String,
    pub changes: Vec<DiffEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DiffEntry {
    /// JSON path such as `$.Statement[0].Action[1]`.
    pub path: String,
    pub change: DiffChange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub expected: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub actual: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DiffChange {
    /// Only in the account's document.
    Added,
    /// Only in the expected document.
    Removed,
    /// In both with different values.
    Changed,
}

/// Whether a document does what ours does: each needed grant with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Evaluation {
    /// All findings hold: "use it anyway" is accepted.
    pub sufficient: bool,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Finding {
    /// An action such as `ecs:CreateSnapshot*`, or `sts:AssumeRole by ecs.aliyuncs.com`.
    pub subject: String,
    pub holds: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConflictChoice {
    pub resolution: InstanceResolution,
    pub consequence: String,
    pub requests: Vec<CloudRequest>,
}

/// What to do with an instance that already holds another role (it can hold one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum InstanceResolution {
    /// Attach our policy to the role the instance already has.
    Extend,
    /// Detach that role and attach ours.
    Replace,
    /// Leave the instance as it is.
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstanceRef {
    pub instance_id: String,
    pub region_id: String,
}

/// What the user asked for. Missing fields take the seed's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct RamOptions {
    pub role_name: String,
    pub policy_name: String,
    pub instances: Vec<InstanceRef>,
    /// Accept an existing role with another trust policy if it lets ECS assume it.
    pub use_existing_role: bool,
    /// Accept an existing policy with another document if it grants the four actions.
    pub use_existing_policy: bool,
    /// The choice for every instance with another role that has no choice of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub on_conflict: Option<InstanceResolution>,
    /// Choices per instance id.
    pub resolutions: BTreeMap<String, InstanceResolution>,
}

/// A typed progress event of `apply`, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
#[ts(export)]
pub enum RamApplyEvent {
    /// The fresh plan apply works from.
    #[serde(rename_all = "camelCase")]
    Planned { plan: RamPlan },
    #[serde(rename_all = "camelCase")]
    StepStarted { step_id: String },
    /// A call failed in a way worth trying again (throttled, unavailable, connection lost).
    #[serde(rename_all = "camelCase")]
    Retrying {
        step_id: String,
        attempt: u32,
        code: String,
        delay_ms: u32,
    },
    /// Checking with DescribeInstanceRamRole that the role shows on the instance.
    #[serde(rename_all = "camelCase")]
    Verifying {
        step_id: String,
        instance_id: String,
        attempt: u32,
        message: String,
    },
    #[serde(rename_all = "camelCase")]
    StepDone { step_id: String, detail: String },
    /// Not run because an earlier step it needs did not finish.
    #[serde(rename_all = "camelCase")]
    StepSkipped { step_id: String, reason: String },
    #[serde(rename_all = "camelCase")]
    StepBlocked { step_id: String, blocker: Blocker },
    /// Something else appeared meanwhile (e.g. a role with another document).
    #[serde(rename_all = "camelCase")]
    StepConflict { step_id: String, detail: String },
    #[serde(rename_all = "camelCase")]
    StepFailed { step_id: String, error: AppError },
}

/// The result of `apply`: the account's plan afterwards (a partial apply resumes from
/// it) and each step that failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RamApplyReport {
    pub plan: RamPlan,
    pub failures: Vec<StepFailure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StepFailure {
    pub step_id: String,
    pub error: AppError,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Role => "role",
            Self::Policy => "policy",
            Self::Attachment => "attachment",
            Self::Instance => "instance",
        }
    }
}

impl CloudAction {
    /// The wire name, e.g. `CreateRole`.
    pub fn name(self) -> &'static str {
        match self {
            Self::GetRole => "GetRole",
            Self::CreateRole => "CreateRole",
            Self::GetPolicy => "GetPolicy",
            Self::CreatePolicy => "CreatePolicy",
            Self::ListPoliciesForRole => "ListPoliciesForRole",
            Self::AttachPolicyToRole => "AttachPolicyToRole",
            Self::DescribeInstanceRamRole => "DescribeInstanceRamRole",
            Self::AttachInstanceRamRole => "AttachInstanceRamRole",
            Self::DetachInstanceRamRole => "DetachInstanceRamRole",
        }
    }

    pub fn product(self) -> acs_openapi::Product {
        match self {
            Self::DescribeInstanceRamRole
            | Self::AttachInstanceRamRole
            | Self::DetachInstanceRamRole => acs_openapi::Product::Ecs,
            _ => acs_openapi::Product::Ram,
        }
    }
}

impl Default for RamOptions {
    fn default() -> Self {
        Self {
            role_name: DEFAULT_ROLE_NAME.into(),
            policy_name: DEFAULT_POLICY_NAME.into(),
            instances: Vec::new(),
            use_existing_role: false,
            use_existing_policy: false,
            on_conflict: None,
            resolutions: BTreeMap::new(),
        }
    }
}

/// The seed's example names.
pub const DEFAULT_ROLE_NAME: &str = "AppSnapshotRoleName";
pub const DEFAULT_POLICY_NAME: &str = "AppSnapshotPolicy";
