//! Routing: product from `Version` (or `x-acs-version`), action from `Action` (or
//! `x-acs-action`); caller authorisation; `ClientToken` idempotency; then the handler.

pub mod ecs_assistant;
pub mod ecs_instances;
pub mod ecs_snapshots;
pub mod paging;
pub mod params;
pub mod ram;
pub mod render;
pub mod sts;

use serde_json::Value;

use crate::clock::SimTime;
use crate::errors::{ApiError, ApiResult};
use crate::world::{Principal, World};
pub use params::Params;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Ecs,
    Ram,
    Sts,
}

impl Product {
    pub fn from_version(version: &str) -> Option<Self> {
        match version {
            "2014-05-26" => Some(Product::Ecs),
            "2015-05-01" => Some(Product::Ram),
            "2015-04-01" => Some(Product::Sts),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Product::Ecs => "Ecs",
            Product::Ram => "Ram",
            Product::Sts => "Sts",
        }
    }

    pub fn host(self) -> &'static str {
        match self {
            Product::Ecs => "ecs.aliyuncs.com",
            Product::Ram => "ram.aliyuncs.com",
            Product::Sts => "sts.aliyuncs.com",
        }
    }

    fn policy_prefix(self) -> &'static str {
        match self {
            Product::Ecs => "ecs",
            Product::Ram => "ram",
            Product::Sts => "sts",
        }
    }

    fn denied(self) -> ApiError {
        match self {
            Product::Ecs => ApiError::forbidden_ram(),
            _ => ApiError::no_permission(),
        }
    }
}

/// Add paging (or other top-level) fields to an answer body.
fn merge(mut body: Value, fields: serde_json::Map<String, Value>) -> Value {
    if let Value::Object(m) = &mut body {
        m.extend(fields);
    }
    body
}

/// One authenticated call.
pub struct Call<'w> {
    pub world: &'w mut World,
    pub now: SimTime,
    pub account: String,
    pub principal: Principal,
    pub access_key_id: String,
    pub p: Params,
}

type Handler = fn(&mut Call) -> ApiResult<Value>;

fn handler(product: Product, action: &str) -> Option<Handler> {
    use ecs_assistant as ca;
    use ecs_instances as ins;
    use ecs_snapshots as sn;
    let h: Handler = match (product, action) {
        (Product::Ecs, "DescribeRegions") => ins::describe_regions,
        (Product::Ecs, "DescribeInstances") => ins::describe_instances,
        (Product::Ecs, "DescribeDisks") => ins::describe_disks,
        (Product::Ecs, "StopInstance") => ins::stop_instance,
        (Product::Ecs, "StartInstance") => ins::start_instance,
        (Product::Ecs, "RebootInstance") => ins::reboot_instance,
        (Product::Ecs, "DescribeInstanceRamRole") => ins::describe_instance_ram_role,
        (Product::Ecs, "AttachInstanceRamRole") => ins::attach_instance_ram_role,
        (Product::Ecs, "DetachInstanceRamRole") => ins::detach_instance_ram_role,
        (Product::Ecs, "DescribeCloudAssistantStatus") => ca::describe_cloud_assistant_status,
        (Product::Ecs, "InstallCloudAssistant") => ca::install_cloud_assistant,
        (Product::Ecs, "DescribeCommands") => ca::describe_commands,
        (Product::Ecs, "CreateCommand") => ca::create_command,
        (Product::Ecs, "DeleteCommand") => ca::delete_command,
        (Product::Ecs, "RunCommand") => ca::run_command,
        (Product::Ecs, "InvokeCommand") => ca::invoke_command,
        (Product::Ecs, "DescribeInvocations") => ca::describe_invocations,
        (Product::Ecs, "DescribeInvocationResults") => ca::describe_invocation_results,
        (Product::Ecs, "SendFile") => ca::send_file,
        (Product::Ecs, "DescribeSendFileResults") => ca::describe_send_file_results,
        (Product::Ecs, "CreateSnapshotGroup") => sn::create_snapshot_group,
        (Product::Ecs, "DescribeSnapshotGroups") => sn::describe_snapshot_groups,
        (Product::Ecs, "DeleteSnapshotGroup") => sn::delete_snapshot_group,
        (Product::Ecs, "DescribeSnapshots") => sn::describe_snapshots,
        (Product::Ecs, "ListTagResources") => sn::list_tag_resources,
        (Product::Ecs, "TagResources") => sn::tag_resources,
        (Product::Ecs, "UntagResources") => sn::untag_resources,
        (Product::Ecs, "ResetDisks") => sn::reset_disks,
        (Product::Ecs, "ResetDisk") => sn::reset_disk,
        (Product::Ram, "GetRole") => ram::get_role,
        (Product::Ram, "CreateRole") => ram::create_role,
        (Product::Ram, "ListRoles") => ram::list_roles,
        (Product::Ram, "GetPolicy") => ram::get_policy,
        (Product::Ram, "CreatePolicy") => ram::create_policy,
        (Product::Ram, "AttachPolicyToRole") => ram::attach_policy_to_role,
        (Product::Ram, "ListPoliciesForRole") => ram::list_policies_for_role,
        (Product::Sts, "GetCallerIdentity") => sts::get_caller_identity,
        (Product::Sts, "AssumeRole") => sts::assume_role,
        _ => return None,
    };
    Some(h)
}

/// Every implemented action, for documentation and the control API.
pub fn implemented(product: Product) -> Vec<&'static str> {
    const ALL: &[&str] = &[
        "DescribeRegions",
        "DescribeInstances",
        "DescribeDisks",
        "StopInstance",
        "StartInstance",
        "RebootInstance",
        "DescribeInstanceRamRole",
        "AttachInstanceRamRole",
        "DetachInstanceRamRole",
        "DescribeCloudAssistantStatus",
        "InstallCloudAssistant",
        "DescribeCommands",
        "CreateCommand",
        "DeleteCommand",
        "RunCommand",
        "InvokeCommand",
        "DescribeInvocations",
        "DescribeInvocationResults",
        "SendFile",
        "DescribeSendFileResults",
        "CreateSnapshotGroup",
        "DescribeSnapshotGroups",
        "DeleteSnapshotGroup",
        "DescribeSnapshots",
        "ListTagResources",
        "TagResources",
        "UntagResources",
        "ResetDisks",
        "ResetDisk",
        "GetRole",
        "CreateRole",
        "ListRoles",
        "GetPolicy",
        "CreatePolicy",
        "AttachPolicyToRole",
        "ListPoliciesForRole",
        "GetCallerIdentity",
        "AssumeRole",
    ];
    ALL.iter()
        .copied()
        .filter(|a| handler(product, a).is_some())
        .collect()
}

/// Creates that honour `ClientToken`.
const IDEMPOTENT: &[&str] = &[
    "RunCommand",
    "InvokeCommand",
    "CreateCommand",
    "SendFile",
    "CreateSnapshotGroup",
];

fn is_read(action: &str) -> bool {
    ["Describe", "List", "Get"]
        .iter()
        .any(|p| action.starts_with(p))
}

/// May this principal call this action?
pub fn authorize(
    world: &World,
    account: &str,
    principal: &Principal,
    product: Product,
    action: &str,
) -> ApiResult<()> {
    if product == Product::Sts && action == "GetCallerIdentity" {
        return Ok(());
    }
    match principal {
        Principal::Admin { .. } => Ok(()),
        Principal::Operator { .. } => match (product, action) {
            (Product::Ram, _) => Err(ApiError::no_permission()),
            (Product::Ecs, "AttachInstanceRamRole" | "DetachInstanceRamRole") => {
                Err(ApiError::new(
                    403,
                    "InvalidUser.PassRoleForbidden",
                    "The RAM user does not have the privilege to pass a RAM role.",
                ))
            }
            _ => Ok(()),
        },
        Principal::ReadOnly { .. } if is_read(action) => Ok(()),
        Principal::ReadOnly { .. } => Err(product.denied()),
        Principal::RoleSession { role_name, .. } => {
            let ram = &world.account(account)?.ram;
            if ram.role_allows(role_name, &format!("{}:{action}", product.policy_prefix())) {
                Ok(())
            } else {
                Err(product.denied())
            }
        }
    }
}

/// Run one action (authorisation already done). Handles ClientToken idempotency.
pub fn dispatch(
    call: &mut Call,
    product: Product,
    action: &str,
    version: &str,
) -> ApiResult<Value> {
    let h = handler(product, action)
        .ok_or_else(|| ApiError::unsupported(product.name(), action, version))?;
    let token = call.p.get("ClientToken").map(String::from);
    let Some(token) = token.filter(|_| IDEMPOTENT.contains(&action)) else {
        return h(call);
    };
    if token.len() > 64 || !token.is_ascii() {
        return Err(ApiError::invalid(
            "ClientToken",
            "at most 64 ASCII characters",
        ));
    }
    let fingerprint = serde_json::to_string(
        &call
            .p
            .0
            .iter()
            .filter(|(k, _)| !params::COMMON.contains(&k.as_str()))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let key = (call.account.clone(), action.to_string(), token);
    if let Some((fp, answer)) = call.world.idempotency.get(&key) {
        if *fp != fingerprint {
            return Err(ApiError::new(
                400,
                "IdempotentParameterMismatch",
                "The request uses the same client token as a previous, but non-identical request.",
            ));
        }
        return Ok(answer.clone());
    }
    let answer = h(call)?;
    call.world
        .idempotency
        .insert(key, (fingerprint, answer.clone()));
    Ok(answer)
}
