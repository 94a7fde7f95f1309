//! Building the exact requests a plan shows, sending them unchanged, and reading what
//! the cloud's errors mean for a step.

use std::collections::BTreeMap;

use acs_openapi::{AcsError, Client, ErrorKind, Params, Product, Request};
use serde_json::Value;

use super::types::{Blocker, CloudAction, CloudRequest};

pub const CUSTOM: &str = "Custom";

pub fn create_role(role: &str, trust_policy: &str) -> CloudRequest {
    request(
        CloudAction::CreateRole,
        [
            ("RoleName", role),
            ("AssumeRolePolicyDocument", trust_policy),
        ],
    )
}

pub fn create_policy(policy: &str, document: &str) -> CloudRequest {
    request(
        CloudAction::CreatePolicy,
        [("PolicyName", policy), ("PolicyDocument", document)],
    )
}

pub fn attach_policy(policy: &str, role: &str) -> CloudRequest {
    request(
        CloudAction::AttachPolicyToRole,
        [
            ("PolicyType", CUSTOM),
            ("PolicyName", policy),
            ("RoleName", role),
        ],
    )
}

pub fn attach_instance_role(region: &str, instance: &str, role: &str) -> CloudRequest {
    let ids = instance_ids(instance);
    request(
        CloudAction::AttachInstanceRamRole,
        [
            ("RegionId", region),
            ("RamRoleName", role),
            ("InstanceIds", &ids),
        ],
    )
}

pub fn detach_instance_role(region: &str, instance: &str, role: &str) -> CloudRequest {
    let ids = instance_ids(instance);
    request(
        CloudAction::DetachInstanceRamRole,
        [
            ("RegionId", region),
            ("RamRoleName", role),
            ("InstanceIds", &ids),
        ],
    )
}

/// `InstanceIds` is a JSON array inside one string (reference §2.4).
fn instance_ids(instance: &str) -> String {
    serde_json::to_string(&[instance]).expect("strings serialise")
}

fn request<const N: usize>(action: CloudAction, params: [(&str, &str); N]) -> CloudRequest {
    CloudRequest {
        action,
        parameters: params
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// Sends exactly `req`: the parameters the plan showed, nothing added but signing.
pub async fn send(client: &Client, req: &CloudRequest) -> Result<Value, AcsError> {
    let mut params = Params::new();
    for (k, v) in &req.parameters {
        params.set(k, v);
    }
    let product = req.action.product();
    let region = req.parameters.get("RegionId").map(String::as_str);
    let wire = Request::new(product, req.action.name(), params)
        .in_region(region.filter(|_| product == Product::Ecs));
    client.call_json(&wire).await
}

/// What an error means for the step that met it.
pub enum Failure {
    /// The caller lacks a permission.
    Blocked(Blocker),
    /// `EntityAlreadyExists.*`: what we create is there already (compare it).
    AlreadyExists,
    /// Throttled, unavailable, or the connection broke: may work later, may have applied.
    Transient(AcsError),
    Other(AcsError),
}

pub fn classify(action: CloudAction, err: AcsError) -> Failure {
    if err.kind() == ErrorKind::PermissionDenied {
        return Failure::Blocked(blocker(action, &err));
    }
    if err
        .code()
        .is_some_and(|c| c.starts_with("EntityAlreadyExists"))
    {
        return Failure::AlreadyExists;
    }
    if acs_openapi::retry::is_transient(&err) {
        Failure::Transient(err)
    } else {
        Failure::Other(err)
    }
}

/// `EntityNotExist.*` from RAM reads: the thing is simply not there yet.
pub fn is_not_found(err: &AcsError) -> bool {
    err.kind() == ErrorKind::NotFound
}

/// The RAM permission behind a denial: attaching a role to an instance also needs
/// `ram:PassRole`, and the cloud says so with its own code.
pub fn blocker(action: CloudAction, err: &AcsError) -> Blocker {
    let code = err.code().unwrap_or("PermissionDenied").to_owned();
    let permission = if code == "InvalidUser.PassRoleForbidden" {
        "ram:PassRole".to_owned()
    } else {
        permission(action)
    };
    Blocker {
        permission,
        code,
        request_id: err.request_id().map(str::to_owned),
        message: err.to_string(),
    }
}

/// `ram:GetRole`, `ecs:AttachInstanceRamRole`, …
pub fn permission(action: CloudAction) -> String {
    let prefix = match action.product() {
        Product::Ecs => "ecs",
        Product::Ram => "ram",
        Product::Sts => "sts",
    };
    format!("{prefix}:{}", action.name())
}
