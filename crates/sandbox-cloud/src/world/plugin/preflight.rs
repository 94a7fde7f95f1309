//! The plugin's checks before it freezes anything: supported OS, the instance RAM role and
//! its permissions, the disks. Each is pure: it reads the instance and says why not.

use crate::world::model::disk::Disk;
use crate::world::model::instance::Instance;
use crate::world::plugin::params::{exit, PluginParams};
use crate::world::ram::{Ram, PLUGIN_ACTIONS};

/// Why the run stops before the freeze: the plugin's exit code and its error line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub exit: i64,
    pub message: String,
}

fn refuse(exit: i64, message: impl Into<String>) -> Result<(), Refusal> {
    Err(Refusal {
        exit,
        message: message.into(),
    })
}

/// OS versions the feature supports (reference §7.1).
pub fn os_supported(inst: &Instance) -> bool {
    let v: Vec<u32> = inst
        .os
        .version
        .split(['.', ' '])
        .filter_map(|p| p.parse().ok())
        .collect();
    let at_least = |major: u32, minor: u32| {
        v.first().copied().unwrap_or(0) > major
            || (v.first() == Some(&major) && v.get(1).copied().unwrap_or(0) >= minor)
    };
    match inst.os.distro.as_str() {
        "centos" => at_least(7, 6),
        "ubuntu" => at_least(18, 4),
        "alinux" => at_least(2, 0),
        "windows" => ["2012 R2", "2016", "2019", "2022"].contains(&inst.os.version.as_str()),
        _ => false,
    }
}

pub fn check_os(inst: &Instance) -> Result<(), Refusal> {
    if os_supported(inst) {
        return Ok(());
    }
    refuse(
        exit::UNSUPPORTED_OS,
        format!(
            "Unsupported OS for app-consistent snapshot: {}",
            inst.os.pretty
        ),
    )
}

/// The plugin acts with the instance's RAM role (credentials from the meta-server): it must
/// be attached, exist and allow the plugin's actions.
pub fn check_role(inst: &Instance, ram: &Ram, p: &PluginParams) -> Result<(), Refusal> {
    let attached = inst.ram_role.clone().unwrap_or_default();
    if !attached.eq_ignore_ascii_case(&p.ram_role_name) {
        let why = if attached.is_empty() {
            "no RAM role is attached to this instance".to_string()
        } else {
            format!(
                "the instance has RAM role {attached} attached, not {}",
                p.ram_role_name
            )
        };
        return refuse(
            exit::RAM_ROLE,
            format!(
                "Get STS credentials of RAM role {} from meta-server failed: {why}",
                p.ram_role_name
            ),
        );
    }
    if ram.role(&p.ram_role_name).is_none() {
        return refuse(
            exit::RAM_ROLE,
            format!(
                "RAM role {} does not exist (EntityNotExist.Role)",
                p.ram_role_name
            ),
        );
    }
    let missing: Vec<&str> = PLUGIN_ACTIONS
        .iter()
        .copied()
        .filter(|a| !ram.role_allows(&p.ram_role_name, a))
        .collect();
    if !missing.is_empty() {
        return refuse(exit::RAM_PERMISSION, format!("RAM role {} has no permission for {} (Forbidden.RAM: User not authorized to operate on the specified resource). Grant ecs:DescribeSnapshot*, ecs:CreateSnapshot*, ecs:TagResources and ecs:DescribeDisks.", p.ram_role_name, missing.join(", ")));
    }
    Ok(())
}

/// The disks left after `ExcludeDiskId` must exist, be group-eligible and fit one group.
pub fn check_disks(disks: &[Disk], limit: usize, p: &PluginParams) -> Result<(), Refusal> {
    for x in &p.exclude_disk_ids {
        if !disks.iter().any(|d| &d.id == x) {
            return refuse(
                exit::DISKS,
                format!("ExcludeDiskId {x} is not attached to this instance"),
            );
        }
    }
    let included: Vec<_> = disks
        .iter()
        .filter(|d| !p.exclude_disk_ids.contains(&d.id))
        .collect();
    if included.is_empty() {
        return refuse(exit::DISKS, "All attached ESSD Disks were excluded");
    }
    if let Some(bad) = included.iter().find(|d| !d.group_eligible()) {
        return refuse(exit::DISKS, format!("Disk {} category {} is not supported, only cloud_essd, cloud_auto and cloud_essd_entry disks can be in a snapshot group", bad.id, bad.category));
    }
    if included.len() > limit {
        return refuse(exit::DISKS, format!("{} disks are attached but a snapshot group holds at most {limit}; exclude some with ExcludeDiskId", included.len()));
    }
    Ok(())
}
