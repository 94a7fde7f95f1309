//! ECS: regions, instances, disks, instance state, instance RAM roles.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Value};

use super::paging::{limits, page, Limits};
use super::{merge, Call, Splice};
use crate::errors::{ApiError, ApiResult};
use crate::world::lifecycle;
use crate::world::model::disk::Disk;
use crate::world::model::instance::Instance;
use crate::world::ram::wildcard_match;

pub fn describe_regions(c: &mut Call) -> ApiResult<Value> {
    let en =
        c.p.get("AcceptLanguage")
            .is_some_and(|l| l.starts_with("en"));
    let regions: Vec<Value> = c
        .world
        .regions
        .iter()
        .map(|r| {
            json!({
                "RegionId": r.id,
                "LocalName": if en { r.local_name_en } else { r.local_name_zh },
                "RegionEndpoint": if r.id == "cn-hangzhou" { "ecs-cn-hangzhou.aliyuncs.com".to_string() } else { format!("ecs.{}.aliyuncs.com", r.id) },
                "Status": "available",
            })
        })
        .collect();
    Ok(super::list_body("Regions", "Region", regions))
}

pub fn describe_instances(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = c.p.json_list("InstanceIds")?;
    if ids.len() > 100 {
        return Err(ApiError::invalid("InstanceIds", "at most 100 ids"));
    }
    let name = c.p.get("InstanceName").map(String::from);
    let status = c.p.get("Status").map(String::from);
    let zone = c.p.get("ZoneId").map(String::from);
    let vpc = c.p.get("VpcId").map(String::from);
    let image = c.p.get("ImageId").map(String::from);
    let tags = c.p.tags("Tag");
    let reg = c.world.region_mut(&c.account, &region)?;
    let items: Vec<_> = super::select(&reg.instances, &ids)
        .into_iter()
        .filter(|i| name.as_ref().is_none_or(|n| wildcard_match(n, &i.name)))
        .filter(|i| status.as_ref().is_none_or(|s| i.status.as_str() == s))
        .filter(|i| zone.as_ref().is_none_or(|z| &i.zone_id == z))
        .filter(|i| vpc.as_ref().is_none_or(|v| &i.vpc_id == v))
        .filter(|i| image.as_ref().is_none_or(|v| &i.os.image_id == v))
        .filter(|i| i.tags.matches(&tags))
        .collect();
    // Page first, render after: the scale scenario has 10k+ instances.
    let (items, fields) = page(items, &c.p, limits(10, 100, 100), false)?;
    let items: Vec<Arc<Instance>> = items.into_iter().cloned().collect();
    let items = Splice::later("Instances", "Instance", move || {
        Splice::text(items.iter().map(|i| i.view()))
    });
    Ok(super::list_views(c, items, fields))
}

pub fn describe_disks(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = c.p.json_list("DiskIds")?;
    let instance = c.p.get("InstanceId").map(String::from);
    let kind =
        c.p.get("DiskType")
            .filter(|t| *t != "all")
            .map(String::from);
    let category =
        c.p.get("Category")
            .filter(|t| *t != "all")
            .map(String::from);
    let status = c.p.get("Status").filter(|t| *t != "All").map(String::from);
    let tags = c.p.tags("Tag");
    let reg = c.world.region_mut(&c.account, &region)?;
    let wanted: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let disks: Vec<_> = reg
        .disks_in_order()
        .iter()
        .filter(|d| wanted.is_empty() || wanted.contains(d.id.as_str()))
        .filter(|d| {
            instance
                .as_ref()
                .is_none_or(|i| d.instance_id.as_ref() == Some(i))
        })
        .filter(|d| kind.as_ref().is_none_or(|k| &d.kind == k))
        .filter(|d| category.as_ref().is_none_or(|k| &d.category == k))
        .filter(|d| status.as_ref().is_none_or(|k| d.status.as_str() == k))
        .filter(|d| d.tags.matches(&tags))
        .collect();
    let l = Limits {
        clamp: true,
        ..limits(10, 100, 500)
    };
    // Page first, render after (as for instances): a scale region has thousands of disks.
    let (disks, fields) = page(disks, &c.p, l, false)?;
    // Serialised after the world's lock is released: the largest pages there are.
    let disks: Vec<Arc<Disk>> = disks.into_iter().cloned().collect();
    let items = Splice::later("Disks", "Disk", move || {
        Splice::text(disks.iter().map(|d| d.view()))
    });
    Ok(super::list_views(c, items, fields))
}

pub fn stop_instance(c: &mut Call) -> ApiResult<Value> {
    let region = region_of(c)?;
    let id = c.p.req("InstanceId")?.to_string();
    lifecycle::stop(c.world, &c.account, &region, &id, c.now)?;
    Ok(json!({}))
}

pub fn start_instance(c: &mut Call) -> ApiResult<Value> {
    let region = region_of(c)?;
    let id = c.p.req("InstanceId")?.to_string();
    lifecycle::start(c.world, &c.account, &region, &id, c.now)?;
    Ok(json!({}))
}

pub fn reboot_instance(c: &mut Call) -> ApiResult<Value> {
    let region = region_of(c)?;
    let id = c.p.req("InstanceId")?.to_string();
    lifecycle::reboot(c.world, &c.account, &region, &id, c.now)?;
    Ok(json!({}))
}

/// StopInstance/StartInstance do not require RegionId; find the instance's region.
fn region_of(c: &Call) -> ApiResult<String> {
    if let Some(r) = c.p.get("RegionId") {
        return Ok(r.to_string());
    }
    let id = c.p.req("InstanceId")?;
    c.world
        .account(&c.account)?
        .regions
        .values()
        .find(|r| r.instances.contains_key(id))
        .map(|r| r.id.clone())
        .ok_or_else(|| ApiError::instance_not_found(id))
}

pub fn describe_instance_ram_role(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = c.p.json_list("InstanceIds")?;
    let role = c.p.get("RamRoleName").map(String::from);
    if ids.is_empty() && role.is_none() {
        return Err(ApiError::instance_ids_and_role_empty());
    }
    if ids.len() > 50 {
        return Err(ApiError::invalid("InstanceIds", "at most 50 ids"));
    }
    let reg = c.world.region_mut(&c.account, &region)?;
    let sets: Vec<Value> = super::select(&reg.instances, &ids)
        .into_iter()
        .filter_map(|i| {
            let r = i.ram_role.as_ref()?;
            role.as_ref()
                .is_none_or(|want| want.eq_ignore_ascii_case(r))
                .then(|| json!({"InstanceId": i.id, "RamRoleName": r}))
        })
        .collect();
    let (sets, mut fields) = page(sets, &c.p, limits(10, 50, 50), false)?;
    fields.insert("RegionId".into(), json!(region));
    Ok(merge(
        super::list_body("InstanceRamRoleSets", "InstanceRamRoleSet", sets),
        fields,
    ))
}

pub fn attach_instance_ram_role(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let role = c.p.req("RamRoleName")?.to_string();
    let ids = c.p.json_list("InstanceIds")?;
    if ids.is_empty() {
        return Err(ApiError::missing("InstanceIds"));
    }
    if ids.len() > 100 {
        return Err(ApiError::invalid("InstanceIds", "at most 100 ids"));
    }
    let ram = &c.world.account(&c.account)?.ram;
    let r = ram
        .role(&role)
        .ok_or_else(ApiError::instance_role_not_found)?;
    if !r.trusts_ecs() {
        return Err(ApiError::instance_role_not_ecs());
    }
    let role_name = r.name.clone();
    let reg = c.world.region_mut(&c.account, &region)?;
    // The RAM-role APIs' own wording (reference §2.5).
    reg.check_instances(ids.iter(), ApiError::role_api_instance_not_found)?;
    let mut results = Vec::new();
    let mut fail = 0;
    for id in &ids {
        let inst = reg.instance_mut(id).expect("checked above");
        let (code, message, ok) = match &inst.ram_role {
            Some(cur) if !cur.eq_ignore_ascii_case(&role_name) => {
                // The real code is undocumented (reference §9.2): a clearly sandbox-chosen one.
                (
                    "Sandbox.InstanceRamRoleConflict".to_string(),
                    format!("The instance already has RAM role {cur} attached; detach it first."),
                    false,
                )
            }
            _ => {
                inst.ram_role = Some(role_name.clone());
                ("200".to_string(), "success".to_string(), true)
            }
        };
        if !ok {
            fail += 1;
        }
        results.push(json!({"InstanceId": id, "Code": code, "Message": message, "Success": ok}));
    }
    Ok(json!({
        "RamRoleName": role_name,
        "TotalCount": ids.len(),
        "FailCount": fail,
        "AttachInstanceRamRoleResults": { "AttachInstanceRamRoleResult": results },
    }))
}

pub fn detach_instance_ram_role(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let role = c.p.get("RamRoleName").map(String::from);
    let ids = c.p.json_list("InstanceIds")?;
    if ids.is_empty() {
        return Err(ApiError::missing("InstanceIds"));
    }
    let reg = c.world.region_mut(&c.account, &region)?;
    // The RAM-role APIs' own wording (reference §2.5).
    reg.check_instances(ids.iter(), ApiError::role_api_instance_not_found)?;
    let mut results = Vec::new();
    let mut fail = 0;
    for id in &ids {
        let inst = reg.instance_mut(id).expect("checked above");
        let current = inst.ram_role.clone();
        let (code, message, ok) = match (&current, &role) {
            (None, _) => (
                "Sandbox.InstanceRamRoleNotAttached".to_string(),
                "No RAM role is attached to the instance.".to_string(),
                false,
            ),
            (Some(cur), Some(want)) if !cur.eq_ignore_ascii_case(want) => (
                "Sandbox.InstanceRamRoleMismatch".to_string(),
                format!("The instance has RAM role {cur}, not {want}."),
                false,
            ),
            _ => {
                inst.ram_role = None;
                ("200".to_string(), "success".to_string(), true)
            }
        };
        if !ok {
            fail += 1;
        }
        let sets: Vec<Value> = current
            .iter()
            .map(|r| json!({"InstanceId": id, "RamRoleName": r}))
            .collect();
        results.push(json!({"InstanceId": id, "Code": code, "Message": message, "Success": ok, "InstanceRamRoleSets": {"InstanceRamRoleSet": sets}}));
    }
    Ok(json!({
        "RamRoleName": role.unwrap_or_default(),
        "TotalCount": ids.len(),
        "FailCount": fail,
        "DetachInstanceRamRoleResults": { "DetachInstanceRamRoleResult": results },
    }))
}
