//! DescribeCloudAssistantStatus and InstallCloudAssistant (reference §3.4–3.5).

use std::sync::Arc;

use serde_json::{json, Value};

use super::instance_ids;
use crate::api::paging::{limits, page};
use crate::api::{Call, Splice};
use crate::errors::{ApiError, ApiResult};
use crate::world::model::instance::Instance;

pub fn describe_cloud_assistant_status(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = c.p.list("InstanceId");
    if ids.len() > 100 {
        return Err(ApiError::instance_ids_exceed(100));
    }
    let os = c.p.get("OSType").map(str::to_ascii_lowercase);
    let reg = c.world.region_mut(&c.account, &region)?;
    reg.check_instances(ids.iter(), ApiError::assistant_instance_not_found)?;
    let items: Vec<_> = crate::api::select(&reg.instances, &ids)
        .into_iter()
        .filter(|i| os.as_ref().is_none_or(|o| o == i.os.os_type.lower()))
        .collect();
    let (items, fields) = page(items, &c.p, limits(10, 100, 50), false)?;
    // Serialised after the world's lock, as the instance and disk pages are.
    let items: Vec<Arc<Instance>> = items.into_iter().cloned().collect();
    let items = Splice::later(
        "InstanceCloudAssistantStatusSet",
        "InstanceCloudAssistantStatus",
        move || Splice::text(items.iter().map(|i| i.agent_status_view())),
    );
    Ok(crate::api::list_views(c, items, fields))
}

pub fn install_cloud_assistant(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = instance_ids(c, 50)?;
    let reg = c.world.region_mut(&c.account, &region)?;
    reg.check_instances(ids.iter(), ApiError::assistant_instance_not_found)?;
    for id in &ids {
        let inst = reg.instance_mut(id).expect("checked");
        if !inst.agent.installed {
            // Takes effect after the next restart (reference §3.5).
            inst.agent.pending_install = true;
            inst.agent.online = true;
        }
    }
    Ok(json!({}))
}
