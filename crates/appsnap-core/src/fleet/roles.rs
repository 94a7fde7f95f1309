//! Does each attached role grant the snapshot actions? Every distinct role's policies
//! are listed once (ListPoliciesForRole) and every distinct policy read once
//! (GetPolicy); the role's documents are judged together by the RAM engine's
//! `evaluate_policy`, so a Deny in one policy outweighs an Allow in another.

use std::collections::BTreeMap;

use acs_openapi::Client;
use serde_json::Value;

use super::assembly::miss;
use super::types::{Assessed, FleetEvent, Missing, RoleFact};
use crate::error::AppError;
use crate::progress::Reporter;
use crate::ram::{evaluate_policy, Evaluation};

pub(super) async fn evaluate_roles(
    client: &Client,
    instances: &mut [Assessed],
    reporter: &Reporter<FleetEvent>,
) -> Result<Vec<Missing>, AppError> {
    // RAM role names are case-insensitive: one read per role however it is spelled.
    let names: BTreeMap<String, String> = instances
        .iter()
        .filter_map(|a| match &a.instance.role {
            RoleFact::Attached { role_name, .. } => {
                Some((role_name.to_ascii_lowercase(), role_name.clone()))
            }
            _ => None,
        })
        .collect();
    let mut missing = Vec::new();
    let mut documents: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    let mut verdicts: BTreeMap<String, Evaluation> = BTreeMap::new();
    for (key, role) in names {
        reporter.checkpoint()?;
        let policies = match client.list_policies_for_role(&role).await {
            Ok(r) => r.policies.policy,
            Err(e) => {
                missing.push(miss(
                    "",
                    "ListPoliciesForRole",
                    &format!("whether role {role} grants the snapshot actions is unknown"),
                    &e,
                ));
                continue;
            }
        };
        let mut texts = Vec::new();
        let mut complete = true;
        for p in policies {
            let key = (p.policy_type.clone(), p.policy_name.clone());
            if !documents.contains_key(&key) {
                reporter.checkpoint()?;
                let doc = match client.get_policy(&p.policy_name, &p.policy_type).await {
                    Ok(r) => Some(r.default_policy_version.policy_document),
                    Err(e) => {
                        missing.push(miss(
                            "",
                            "GetPolicy",
                            &format!("policy {} of role {role} is not read", p.policy_name),
                            &e,
                        ));
                        None
                    }
                };
                documents.insert(key.clone(), doc);
            }
            match &documents[&key] {
                Some(doc) => texts.push(doc.clone()),
                None => complete = false,
            }
        }
        if complete {
            verdicts.insert(key, evaluate_policy(&merged(&texts)));
        }
    }
    for a in instances.iter_mut() {
        if let RoleFact::Attached {
            role_name,
            evaluation,
        } = &mut a.instance.role
        {
            *evaluation = verdicts.get(&role_name.to_ascii_lowercase()).cloned();
        }
    }
    Ok(missing)
}

/// One document holding every statement of `documents`; an unreadable document adds a
/// statement that grants nothing, so it can never make a grant appear.
fn merged(documents: &[String]) -> String {
    let mut statements = Vec::new();
    for text in documents {
        match serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| v.get("Statement").cloned())
        {
            Some(Value::Array(list)) => statements.extend(list),
            Some(one @ Value::Object(_)) => statements.push(one),
            _ => {}
        }
    }
    serde_json::json!({"Version": "1", "Statement": statements}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deny_in_one_policy_outweighs_an_allow_in_another() {
        let allow =
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}"#;
        let deny = r#"{"Version":"1","Statement":{"Effect":"Deny","Action":"ecs:TagResources","Resource":"*"}}"#;
        assert!(evaluate_policy(&merged(&[allow.into()])).sufficient);
        let both = evaluate_policy(&merged(&[allow.into(), deny.into()]));
        assert!(!both.sufficient);
        let denied: Vec<&str> = both
            .findings
            .iter()
            .filter(|f| !f.holds)
            .map(|f| f.subject.as_str())
            .collect();
        assert_eq!(denied, ["ecs:TagResources"]);
        assert!(!evaluate_policy(&merged(&["not json".into()])).sufficient);
    }
}
