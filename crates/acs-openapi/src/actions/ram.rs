//! RAM (2015-05-01, central endpoint): roles and policies. `ListRoles` pages by
//! `Marker`/`IsTruncated`.

use futures::stream::BoxStream;
use serde::Deserialize;

use super::paging::{paginate, Page};
use super::EmptyResponse;
use crate::client::{Client, Request};
use crate::endpoint::Product;
use crate::error::AcsError;
use crate::params::Params;

fn ram(action: &'static str, p: Params) -> Request {
    Request::new(Product::Ram, action, p)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Role {
    pub role_id: String,
    pub role_name: String,
    pub arn: String,
    pub description: String,
    /// Absent from ListRoles (alibaba-api.md §5.1).
    pub assume_role_policy_document: Option<String>,
    pub create_date: String,
    /// Absent from CreateRole's reply.
    pub update_date: Option<String>,
    pub max_session_duration: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RoleResponse {
    pub request_id: String,
    pub role: Role,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateRoleRequest {
    pub role_name: String,
    /// Trust policy JSON, e.g. trusting `ecs.aliyuncs.com`.
    pub assume_role_policy_document: String,
    pub description: Option<String>,
    pub max_session_duration: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListRolesResponse {
    pub request_id: String,
    pub is_truncated: bool,
    /// Only when truncated.
    pub marker: Option<String>,
    pub roles: Roles,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Roles {
    #[serde(rename = "Role", default)]
    pub role: Vec<Role>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Policy {
    pub policy_name: String,
    /// `System` or `Custom`.
    pub policy_type: String,
    pub description: String,
    pub default_version: String,
    /// CreatePolicy and GetPolicy only (alibaba-api.md §5.2).
    pub create_date: Option<String>,
    /// GetPolicy only.
    pub update_date: Option<String>,
    /// GetPolicy only.
    pub attachment_count: Option<u64>,
    /// ListPoliciesForRole only.
    pub attach_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PolicyVersion {
    pub version_id: String,
    pub is_default_version: bool,
    pub policy_document: String,
    pub create_date: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetPolicyResponse {
    pub request_id: String,
    pub policy: Policy,
    pub default_policy_version: PolicyVersion,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreatePolicyResponse {
    pub request_id: String,
    pub policy: Policy,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListPoliciesForRoleResponse {
    pub request_id: String,
    pub policies: Policies,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Policies {
    #[serde(rename = "Policy", default)]
    pub policy: Vec<Policy>,
}

impl Client {
    pub async fn get_role(&self, role_name: &str) -> Result<RoleResponse, AcsError> {
        let mut p = Params::new();
        p.set("RoleName", role_name);
        self.call(&ram("GetRole", p)).await
    }

    pub async fn create_role(&self, req: &CreateRoleRequest) -> Result<RoleResponse, AcsError> {
        let mut p = Params::new();
        p.set("RoleName", &req.role_name)
            .set("AssumeRolePolicyDocument", &req.assume_role_policy_document)
            .opt("Description", req.description.as_ref())
            .opt("MaxSessionDuration", req.max_session_duration);
        self.call(&ram("CreateRole", p)).await
    }

    /// One page of roles from `marker`.
    pub async fn list_roles(
        &self,
        marker: Option<&str>,
        max_items: Option<u32>,
    ) -> Result<ListRolesResponse, AcsError> {
        let mut p = Params::new();
        p.opt("Marker", marker).opt("MaxItems", max_items);
        self.call(&ram("ListRoles", p)).await
    }

    /// Every role, following `Marker` while `IsTruncated`.
    pub fn list_roles_stream(
        &self,
        max_items: Option<u32>,
    ) -> BoxStream<'static, Result<Role, AcsError>> {
        let client = self.clone();
        paginate(None, move |marker: Option<String>| {
            let client = client.clone();
            async move {
                let r = client.list_roles(marker.as_deref(), max_items).await?;
                let next = r
                    .marker
                    .filter(|m| r.is_truncated && !m.is_empty() && Some(m) != marker.as_ref())
                    .map(Some);
                Ok(Page {
                    items: r.roles.role,
                    next,
                })
            }
        })
    }

    pub async fn get_policy(
        &self,
        policy_name: &str,
        policy_type: &str,
    ) -> Result<GetPolicyResponse, AcsError> {
        let mut p = Params::new();
        p.set("PolicyName", policy_name)
            .set("PolicyType", policy_type);
        self.call(&ram("GetPolicy", p)).await
    }

    pub async fn create_policy(
        &self,
        policy_name: &str,
        policy_document: &str,
        description: Option<&str>,
    ) -> Result<CreatePolicyResponse, AcsError> {
        let mut p = Params::new();
        p.set("PolicyName", policy_name)
            .set("PolicyDocument", policy_document)
            .opt("Description", description);
        self.call(&ram("CreatePolicy", p)).await
    }

    pub async fn attach_policy_to_role(
        &self,
        policy_type: &str,
        policy_name: &str,
        role_name: &str,
    ) -> Result<EmptyResponse, AcsError> {
        let mut p = Params::new();
        p.set("PolicyType", policy_type)
            .set("PolicyName", policy_name)
            .set("RoleName", role_name);
        self.call(&ram("AttachPolicyToRole", p)).await
    }

    pub async fn list_policies_for_role(
        &self,
        role_name: &str,
    ) -> Result<ListPoliciesForRoleResponse, AcsError> {
        let mut p = Params::new();
        p.set("RoleName", role_name);
        self.call(&ram("ListPoliciesForRole", p)).await
    }
}
