//! The two documents the seed prescribes, built from typed values so the JSON sent is
//! byte-for-byte the seed's (field order included).

use serde::Serialize;

/// The actions the in-guest snapshot tool needs, exactly as the seed's policy lists them.
pub const SNAPSHOT_ACTIONS: [&str; 4] = [
    "ecs:DescribeSnapshot*",
    "ecs:CreateSnapshot*",
    "ecs:TagResources",
    "ecs:DescribeDisks",
];

/// The service principal of ECS instances.
pub const ECS_SERVICE: &str = "ecs.aliyuncs.com";

/// The action a trust policy must allow for a principal to take the role.
pub const ASSUME_ROLE: &str = "sts:AssumeRole";

/// `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}`
pub fn ecs_trust_policy() -> String {
    let doc = TrustDocument {
        statement: vec![TrustStatement {
            action: ASSUME_ROLE,
            effect: "Allow",
            principal: ServicePrincipal {
                service: vec![ECS_SERVICE],
            },
        }],
        version: "1",
    };
    serde_json::to_string(&doc).expect("static document serialises")
}

/// The seed's custom policy: one Allow of [`SNAPSHOT_ACTIONS`] on `*`, empty Condition.
pub fn snapshot_policy() -> String {
    let doc = PolicyDocument {
        version: "1",
        statement: vec![PolicyStatement {
            effect: "Allow",
            action: SNAPSHOT_ACTIONS.to_vec(),
            resource: vec!["*"],
            condition: Empty {},
        }],
    };
    serde_json::to_string(&doc).expect("static document serialises")
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TrustDocument {
    statement: Vec<TrustStatement>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TrustStatement {
    action: &'static str,
    effect: &'static str,
    principal: ServicePrincipal,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ServicePrincipal {
    service: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyDocument {
    version: &'static str,
    statement: Vec<PolicyStatement>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyStatement {
    effect: &'static str,
    action: Vec<&'static str>,
    resource: Vec<&'static str>,
    condition: Empty,
}

/// Serialises as `{}`.
#[derive(Serialize)]
struct Empty {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_the_seeds_exactly() {
        assert_eq!(
            ecs_trust_policy(),
            r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#
        );
        assert_eq!(
            snapshot_policy(),
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#
        );
    }
}
