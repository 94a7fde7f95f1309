//! RAM actions: roles, custom policies, attachments (reference §5.1–5.3).

use serde_json::{json, Value};

use super::paging::marker_page;
use super::Call;
use crate::clock::iso;
use crate::errors::{ApiError, ApiResult};
use crate::world::ram::{Policy, Role};

fn role_not_found(name: &str) -> ApiError {
    ApiError::role_not_found(name)
}

fn policy_type(c: &Call) -> ApiResult<String> {
    let t = c.p.req("PolicyType")?;
    if t == "System" || t == "Custom" {
        Ok(t.to_string())
    } else {
        Err(ApiError::policy_type_invalid())
    }
}

fn check_document(doc: &str, max: usize) -> ApiResult<()> {
    if doc.chars().count() > max {
        return Err(ApiError::policy_document_too_long(max));
    }
    let v: Value = serde_json::from_str(doc).map_err(ApiError::policy_document_not_json)?;
    if v.get("Statement").is_none() {
        return Err(ApiError::policy_document_no_statement());
    }
    Ok(())
}

pub fn create_role(c: &mut Call) -> ApiResult<Value> {
    let name = c.p.req("RoleName")?.to_string();
    if name.chars().count() > 64 {
        return Err(ApiError::role_name_length());
    }
    if !name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-')
    {
        return Err(ApiError::role_name_chars());
    }
    let doc = c.p.req("AssumeRolePolicyDocument")?.to_string();
    check_document(&doc, 2048)?;
    let description = c.p.string("Description");
    if description.chars().count() > 1024 {
        return Err(ApiError::role_description_length());
    }
    let max = c.p.u64("MaxSessionDuration")?.unwrap_or(3600);
    if !(3600..=43200).contains(&max) {
        return Err(ApiError::max_session_duration_invalid());
    }
    let account = c.account.clone();
    let id = c.world.rng.digits(17);
    let now = c.now;
    let ram = &mut c.world.account_mut(&account)?.ram;
    if ram.role(&name).is_some() {
        return Err(ApiError::role_exists());
    }
    let role = Role {
        id,
        name: name.clone(),
        // Real ARNs show the role part lowercased (reference §5.1).
        arn: format!("acs:ram::{account}:role/{}", name.to_ascii_lowercase()),
        description,
        trust_policy: doc,
        created: now,
        updated: now,
        max_session_duration: max as u32,
        policies: Vec::new(),
    };
    let body = json!({ "Role": role.to_json(true) });
    ram.roles.insert(name.to_ascii_lowercase(), role);
    Ok(body)
}

pub fn get_role(c: &mut Call) -> ApiResult<Value> {
    let name = c.p.req("RoleName")?;
    let ram = &c.world.account(&c.account)?.ram;
    let role = ram.role(name).ok_or_else(|| role_not_found(name))?;
    Ok(json!({ "Role": role.to_json(true) }))
}

pub fn list_roles(c: &mut Call) -> ApiResult<Value> {
    let ram = &c.world.account(&c.account)?.ram;
    let roles: Vec<Value> = ram
        .roles
        .values()
        .map(|r| {
            let mut v = r.to_json(false);
            v["Tags"] = json!({ "Tag": [] });
            v
        })
        .collect();
    let (roles, fields) = marker_page(roles, &c.p)?;
    let mut body = super::list_body("Roles", "Role", roles);
    if let Value::Object(m) = &mut body {
        m.extend(fields);
    }
    Ok(body)
}

pub fn create_policy(c: &mut Call) -> ApiResult<Value> {
    let name = c.p.req("PolicyName")?.to_string();
    if name.chars().count() > 128 {
        return Err(ApiError::policy_name_length());
    }
    if !name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    {
        return Err(ApiError::policy_name_chars());
    }
    let doc = c.p.req("PolicyDocument")?.to_string();
    check_document(&doc, 6144)?;
    let description = c.p.string("Description");
    let now = c.now;
    let ram = &mut c.world.account_mut(&c.account)?.ram;
    if ram.policies.contains_key(&name.to_ascii_lowercase())
        || crate::world::ram::system_policy(&name).is_some()
    {
        return Err(ApiError::policy_exists());
    }
    let policy = Policy {
        name: name.clone(),
        policy_type: "Custom".into(),
        description,
        document: doc,
        created: now,
        updated: now,
    };
    let body = json!({ "Policy": {
        "PolicyName": policy.name,
        "PolicyType": policy.policy_type,
        "Description": policy.description,
        "DefaultVersion": "v1",
        "CreateDate": iso(now),
    }});
    ram.policies.insert(name.to_ascii_lowercase(), policy);
    Ok(body)
}

pub fn get_policy(c: &mut Call) -> ApiResult<Value> {
    let name = c.p.req("PolicyName")?.to_string();
    let kind = policy_type(c)?;
    let ram = &c.world.account(&c.account)?.ram;
    let p = ram
        .policy(&kind, &name)
        .ok_or_else(ApiError::policy_not_found)?;
    let mut policy = p.to_json(ram.attachment_count(&kind, &name));
    policy["PolicyDocument"] = json!(p.document);
    Ok(json!({
        "Policy": policy,
        "DefaultPolicyVersion": { "VersionId": "v1", "IsDefaultVersion": true, "PolicyDocument": p.document, "CreateDate": iso(p.created) },
    }))
}

pub fn attach_policy_to_role(c: &mut Call) -> ApiResult<Value> {
    let kind = policy_type(c)?;
    let name = c.p.req("PolicyName")?.to_string();
    let role_name = c.p.req("RoleName")?.to_string();
    let now = c.now;
    let ram = &mut c.world.account_mut(&c.account)?.ram;
    let policy = ram
        .policy(&kind, &name)
        .ok_or_else(ApiError::policy_not_found)?;
    let role = ram
        .role_mut(&role_name)
        .ok_or_else(|| role_not_found(&role_name))?;
    if role
        .policies
        .iter()
        .any(|(t, n, _)| *t == kind && n.eq_ignore_ascii_case(&name))
    {
        return Err(ApiError::policy_already_attached());
    }
    role.policies.push((kind, policy.name, now));
    Ok(json!({}))
}

pub fn list_policies_for_role(c: &mut Call) -> ApiResult<Value> {
    let role_name = c.p.req("RoleName")?;
    let ram = &c.world.account(&c.account)?.ram;
    let role = ram
        .role(role_name)
        .ok_or_else(|| role_not_found(role_name))?;
    let list: Vec<Value> = role
        .policies
        .iter()
        .filter_map(|(t, n, at)| {
            let p = ram.policy(t, n)?;
            Some(json!({"PolicyName": p.name, "PolicyType": p.policy_type, "Description": p.description, "DefaultVersion": "v1", "AttachDate": iso(*at)}))
        })
        .collect();
    Ok(super::list_body("Policies", "Policy", list))
}
