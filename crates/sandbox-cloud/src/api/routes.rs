//! The one table of implemented actions: product, action, handler, what calling it takes.
//! `implemented()`, the read-only rule, the `ClientToken` list and the README's action list
//! all derive from it (a test checks the README).

use serde_json::Value;

use super::Product::{self, Ecs, Ram, Sts};
use super::{ecs_assistant as ca, ecs_instances as ins, ecs_snapshots as sn, ram, sts, Call};
use crate::errors::ApiResult;

pub type Handler = fn(&mut Call) -> ApiResult<Value>;

/// What a principal needs to call an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone with a valid key (GetCallerIdentity).
    Anyone,
    /// Describe/List/Get: the read-only user may call it.
    Read,
    Write,
    /// A write that hands a RAM role to an instance (`ram:PassRole`).
    PassRole,
}

#[derive(Clone, Copy)]
pub struct Route {
    pub product: Product,
    pub action: &'static str,
    pub handler: Handler,
    pub access: Access,
    /// The create honours `ClientToken` (same token, same answer).
    pub idempotent: bool,
}

const fn r(product: Product, action: &'static str, handler: Handler, access: Access) -> Route {
    Route {
        product,
        action,
        handler,
        access,
        idempotent: false,
    }
}

/// A create that honours `ClientToken`.
const fn once(product: Product, action: &'static str, handler: Handler) -> Route {
    Route {
        idempotent: true,
        ..r(product, action, handler, Access::Write)
    }
}

use Access::{Anyone, PassRole, Read, Write};

/// In the order the README lists them.
pub const ROUTES: &[Route] = &[
    r(Ecs, "DescribeRegions", ins::describe_regions, Read),
    r(Ecs, "DescribeInstances", ins::describe_instances, Read),
    r(Ecs, "DescribeDisks", ins::describe_disks, Read),
    r(Ecs, "StopInstance", ins::stop_instance, Write),
    r(Ecs, "StartInstance", ins::start_instance, Write),
    r(Ecs, "RebootInstance", ins::reboot_instance, Write),
    r(
        Ecs,
        "DescribeInstanceRamRole",
        ins::describe_instance_ram_role,
        Read,
    ),
    r(
        Ecs,
        "AttachInstanceRamRole",
        ins::attach_instance_ram_role,
        PassRole,
    ),
    r(
        Ecs,
        "DetachInstanceRamRole",
        ins::detach_instance_ram_role,
        PassRole,
    ),
    r(
        Ecs,
        "DescribeCloudAssistantStatus",
        ca::describe_cloud_assistant_status,
        Read,
    ),
    r(
        Ecs,
        "InstallCloudAssistant",
        ca::install_cloud_assistant,
        Write,
    ),
    r(Ecs, "DescribeCommands", ca::describe_commands, Read),
    once(Ecs, "CreateCommand", ca::create_command),
    r(Ecs, "DeleteCommand", ca::delete_command, Write),
    once(Ecs, "RunCommand", ca::run_command),
    once(Ecs, "InvokeCommand", ca::invoke_command),
    r(Ecs, "DescribeInvocations", ca::describe_invocations, Read),
    r(
        Ecs,
        "DescribeInvocationResults",
        ca::describe_invocation_results,
        Read,
    ),
    r(Ecs, "StopInvocation", ca::stop_invocation, Write),
    once(Ecs, "SendFile", ca::send_file),
    r(
        Ecs,
        "DescribeSendFileResults",
        ca::describe_send_file_results,
        Read,
    ),
    once(Ecs, "CreateSnapshotGroup", sn::create_snapshot_group),
    r(
        Ecs,
        "DescribeSnapshotGroups",
        sn::describe_snapshot_groups,
        Read,
    ),
    r(Ecs, "DeleteSnapshotGroup", sn::delete_snapshot_group, Write),
    r(Ecs, "DescribeSnapshots", sn::describe_snapshots, Read),
    r(Ecs, "ListTagResources", sn::list_tag_resources, Read),
    r(Ecs, "TagResources", sn::tag_resources, Write),
    r(Ecs, "UntagResources", sn::untag_resources, Write),
    r(Ecs, "ResetDisks", sn::reset_disks, Write),
    r(Ecs, "ResetDisk", sn::reset_disk, Write),
    r(Ram, "GetRole", ram::get_role, Read),
    r(Ram, "CreateRole", ram::create_role, Write),
    r(Ram, "ListRoles", ram::list_roles, Read),
    r(Ram, "GetPolicy", ram::get_policy, Read),
    r(Ram, "CreatePolicy", ram::create_policy, Write),
    r(Ram, "AttachPolicyToRole", ram::attach_policy_to_role, Write),
    r(
        Ram,
        "ListPoliciesForRole",
        ram::list_policies_for_role,
        Read,
    ),
    r(Sts, "GetCallerIdentity", sts::get_caller_identity, Anyone),
    r(Sts, "AssumeRole", sts::assume_role, Write),
];

/// The route of an action, if the sandbox implements it.
pub fn route(product: Product, action: &str) -> Option<&'static Route> {
    ROUTES
        .iter()
        .find(|r| r.product == product && r.action == action)
}

/// Every implemented action of a product, for documentation and the control API.
pub fn implemented(product: Product) -> Vec<&'static str> {
    ROUTES
        .iter()
        .filter(|r| r.product == product)
        .map(|r| r.action)
        .collect()
}

/// May a read-only principal call it?
pub fn is_read(product: Product, action: &str) -> bool {
    route(product, action).is_some_and(|r| matches!(r.access, Read | Anyone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_is_routed_once_and_reads_are_named_as_reads() {
        for (n, a) in ROUTES.iter().enumerate() {
            assert!(
                !ROUTES[..n]
                    .iter()
                    .any(|b| b.product == a.product && b.action == a.action),
                "{} twice",
                a.action
            );
            // The access column agrees with the cloud's naming convention.
            let named_read = ["Describe", "List", "Get"]
                .iter()
                .any(|p| a.action.starts_with(p));
            assert_eq!(
                matches!(a.access, Read | Anyone),
                named_read,
                "{}",
                a.action
            );
            assert!(!(a.idempotent && a.access != Write), "{}", a.action);
        }
        assert!(is_read(Ecs, "DescribeSnapshots"));
        assert!(!is_read(Ecs, "CreateSnapshotGroup"));
        assert!(!is_read(Ecs, "DescribeNothing"));
        assert_eq!(implemented(Sts), vec!["GetCallerIdentity", "AssumeRole"]);
    }

    /// README.md's "## Actions" paragraph lists exactly the table, in its order.
    #[test]
    fn the_readme_lists_the_route_table() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("## Actions")
            .nth(1)
            .and_then(|s| s.split("\n\n").next())
            .expect("README has an Actions section");
        let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
        let expected = [Ecs, Ram, Sts]
            .iter()
            .map(|p| {
                let label = p.name().to_ascii_uppercase();
                format!("{label}: {}.", implemented(*p).join(", "))
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(flat, expected);
    }
}
