//! Reading back what a write was meant to make, when its reply was lost or said
//! "already exists": present and as ours, absent, or something else in its place.

use acs_openapi::{AcsError, Client};

use super::cloud::{self, CUSTOM};
use super::diff::diff_documents;
use super::documents::{ecs_trust_policy, snapshot_policy};
use super::plan::attached;

pub(super) enum Probe {
    Role {
        name: String,
    },
    Policy {
        name: String,
    },
    Attachment {
        role: String,
        policy: String,
    },
    /// The instance holds `role`.
    InstanceRole {
        region: String,
        instance: String,
        role: String,
    },
    /// The instance no longer holds `role`.
    InstanceRoleGone {
        region: String,
        instance: String,
        role: String,
    },
}

pub(super) enum Seen {
    Present,
    Absent,
    /// Something else is there; the text says what.
    Different(String),
}

pub(super) async fn probe(client: &Client, p: &Probe) -> Result<Seen, AcsError> {
    Ok(match p {
        Probe::Role { name } => {
            match client.get_role(name).await {
                Ok(r) => same(
                    &ecs_trust_policy(),
                    r.role.assume_role_policy_document.as_deref().unwrap_or(""),
                    || {
                        format!("Role {name} now exists with another trust policy; it is not overwritten.")
                    },
                ),
                Err(e) if cloud::is_not_found(&e) => Seen::Absent,
                Err(e) => return Err(e),
            }
        }
        Probe::Policy { name } => {
            match client.get_policy(name, CUSTOM).await {
                Ok(r) => same(
                    &snapshot_policy(),
                    &r.default_policy_version.policy_document,
                    || {
                        format!("Policy {name} now exists with another document; it is not overwritten.")
                    },
                ),
                Err(e) if cloud::is_not_found(&e) => Seen::Absent,
                Err(e) => return Err(e),
            }
        }
        Probe::Attachment { role, policy } => match attached(client, role, policy).await? {
            true => Seen::Present,
            false => Seen::Absent,
        },
        Probe::InstanceRole {
            region,
            instance,
            role,
        } => match instance_role(client, region, instance).await? {
            Some(r) if r.eq_ignore_ascii_case(role) => Seen::Present,
            Some(r) => Seen::Different(format!("{instance} now holds role {r}.")),
            None => Seen::Absent,
        },
        Probe::InstanceRoleGone {
            region,
            instance,
            role,
        } => match instance_role(client, region, instance).await? {
            None => Seen::Present,
            Some(r) if r.eq_ignore_ascii_case(role) => Seen::Absent,
            Some(r) => Seen::Different(format!("{instance} now holds role {r}.")),
        },
    })
}

/// The role one instance holds, by DescribeInstanceRamRole.
pub(super) async fn instance_role(
    client: &Client,
    region: &str,
    instance: &str,
) -> Result<Option<String>, AcsError> {
    let r = client
        .describe_instance_ram_role(region, &[instance.to_owned()], None, 1, 50)
        .await?;
    Ok(r.instance_ram_role_sets
        .instance_ram_role_set
        .into_iter()
        .find(|s| s.instance_id == instance && !s.ram_role_name.is_empty())
        .map(|s| s.ram_role_name))
}

fn same(expected: &str, actual: &str, different: impl FnOnce() -> String) -> Seen {
    match diff_documents(expected, actual) {
        None => Seen::Present,
        Some(_) => Seen::Different(different()),
    }
}
