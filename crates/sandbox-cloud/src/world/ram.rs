//! RAM: roles, custom policies, attachments, a few system policies, and the policy
//! evaluation used for role sessions and by the in-guest plugin (which acts with the
//! instance's RAM role).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::clock::{iso, SimTime};

/// The four actions the app-consistent snapshot plugin needs (seed README, reference §4.1).
pub const PLUGIN_ACTIONS: &[&str] = &[
    "ecs:DescribeSnapshots",
    "ecs:CreateSnapshotGroup",
    "ecs:TagResources",
    "ecs:DescribeDisks",
];

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub description: String,
    pub trust_policy: String,
    pub created: SimTime,
    pub updated: SimTime,
    pub max_session_duration: u32,
    /// (PolicyType, PolicyName, attached at)
    pub policies: Vec<(String, String, SimTime)>,
}

impl Role {
    pub fn to_json(&self, with_document: bool) -> Value {
        let mut v = json!({
            "RoleId": self.id,
            "RoleName": self.name,
            "Arn": self.arn,
            "Description": self.description,
            "CreateDate": iso(self.created),
            "UpdateDate": iso(self.updated),
            "MaxSessionDuration": self.max_session_duration,
        });
        if with_document {
            v["AssumeRolePolicyDocument"] = json!(self.trust_policy);
        }
        v
    }

    /// Whether the trust policy lets ECS (an instance) assume this role.
    pub fn trusts_ecs(&self) -> bool {
        self.trust_policy.contains("ecs.aliyuncs.com")
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub policy_type: String,
    pub description: String,
    pub document: String,
    pub created: SimTime,
    pub updated: SimTime,
}

impl Policy {
    pub fn to_json(&self, attachment_count: usize) -> Value {
        json!({
            "PolicyName": self.name,
            "PolicyType": self.policy_type,
            "Description": self.description,
            "DefaultVersion": "v1",
            "CreateDate": iso(self.created),
            "UpdateDate": iso(self.updated),
            "AttachmentCount": attachment_count,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Ram {
    /// Keyed by lowercase name: RAM names are unique regardless of case.
    pub roles: BTreeMap<String, Role>,
    pub policies: BTreeMap<String, Policy>,
}

impl Ram {
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.get(&name.to_ascii_lowercase())
    }

    pub fn role_mut(&mut self, name: &str) -> Option<&mut Role> {
        self.roles.get_mut(&name.to_ascii_lowercase())
    }

    /// A custom policy of this account or a system policy.
    pub fn policy(&self, policy_type: &str, name: &str) -> Option<Policy> {
        if policy_type.eq_ignore_ascii_case("System") {
            system_policy(name)
        } else {
            self.policies.get(&name.to_ascii_lowercase()).cloned()
        }
    }

    pub fn attachment_count(&self, policy_type: &str, name: &str) -> usize {
        self.roles
            .values()
            .filter(|r| {
                r.policies.iter().any(|(t, n, _)| {
                    t.eq_ignore_ascii_case(policy_type) && n.eq_ignore_ascii_case(name)
                })
            })
            .count()
    }

    /// Does the role's attached policy set allow `action` (e.g. `ecs:TagResources`)?
    /// Explicit Deny wins; resources and conditions are not evaluated.
    pub fn role_allows(&self, role_name: &str, action: &str) -> bool {
        let Some(role) = self.role(role_name) else {
            return false;
        };
        let docs: Vec<String> = role
            .policies
            .iter()
            .filter_map(|(t, n, _)| self.policy(t, n))
            .map(|p| p.document)
            .collect();
        evaluate(docs.iter().map(String::as_str), action)
    }
}

/// Evaluate policy documents for one action: any Allow and no Deny.
pub fn evaluate<'a>(documents: impl Iterator<Item = &'a str>, action: &str) -> bool {
    let mut allowed = false;
    for doc in documents {
        let Ok(v) = serde_json::from_str::<Value>(doc) else {
            continue;
        };
        let statements = match &v["Statement"] {
            Value::Array(a) => a.clone(),
            s @ Value::Object(_) => vec![s.clone()],
            _ => continue,
        };
        for st in statements {
            let actions: Vec<String> = match &st["Action"] {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
                _ => continue,
            };
            if actions.iter().any(|p| wildcard_match(p, action)) {
                match st["Effect"].as_str() {
                    Some("Deny") => return false,
                    Some("Allow") => allowed = true,
                    _ => {}
                }
            }
        }
    }
    allowed
}

/// Case-insensitive match with `*` (any run) and `?` (one char).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

const SYSTEM_POLICIES: &[(&str, &str, &str)] = &[
    (
        "AdministratorAccess",
        "管理所有阿里云资源的权限",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "ReadOnlyAccess",
        "只读访问所有阿里云资源的权限",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["*:Describe*","*:List*","*:Get*","*:Query*","*:BatchGet*"],"Resource":"*"}]}"#,
    ),
    (
        "AliyunECSFullAccess",
        "管理云服务器服务(ECS)的权限",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}"#,
    ),
    (
        "AliyunECSReadOnlyAccess",
        "只读访问云服务器服务(ECS)的权限",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":"*"}]}"#,
    ),
];

pub fn system_policy(name: &str) -> Option<Policy> {
    SYSTEM_POLICIES
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|(n, d, doc)| Policy {
            name: n.to_string(),
            policy_type: "System".into(),
            description: d.to_string(),
            document: doc.to_string(),
            created: 1_420_070_400_000,
            updated: 1_420_070_400_000,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#;

    #[test]
    fn the_seed_policy_grants_the_plugin_actions() {
        for a in PLUGIN_ACTIONS {
            assert!(evaluate([APP_POLICY].into_iter(), a), "{a}");
        }
        assert!(!evaluate([APP_POLICY].into_iter(), "ecs:DeleteSnapshot"));
    }

    #[test]
    fn deny_wins_and_wildcards_match() {
        let deny = r#"{"Version":"1","Statement":{"Effect":"Deny","Action":"ecs:TagResources","Resource":"*"}}"#;
        assert!(!evaluate(
            [APP_POLICY, deny].into_iter(),
            "ecs:TagResources"
        ));
        assert!(wildcard_match("ecs:Describe*", "ecs:describedisks"));
        assert!(wildcard_match("*", "ram:GetRole"));
        assert!(wildcard_match("*:Get*", "ram:GetRole"));
        assert!(!wildcard_match("ecs:Create?", "ecs:CreateSnapshotGroup"));
        assert!(!evaluate(["not json"].into_iter(), "ecs:DescribeDisks"));
    }
}
