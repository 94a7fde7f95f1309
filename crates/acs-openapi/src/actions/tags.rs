//! ECS resource tags (TagResources / ListTagResources).

use serde::Deserialize;

use super::ecs_instances::ecs_request as ecs;
use super::paging::{next_token, next_token_stream, paginate, Page};
use super::EmptyResponse;
use crate::client::Client;
use crate::error::AcsError;
use crate::params::Params;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TagResource {
    pub resource_id: String,
    pub resource_type: String,
    pub tag_key: String,
    pub tag_value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct TagResources {
    #[serde(rename = "TagResource", default)]
    pub tag_resource: Vec<TagResource>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListTagResourcesResponse {
    pub request_id: String,
    /// The next page's cursor; absent (or empty) on the last page.
    pub next_token: Option<String>,
    pub tag_resources: TagResources,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListTagResourcesRequest {
    /// `instance`, `disk`, `snapshot`, ...
    pub resource_type: String,
    pub resource_ids: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub next_token: Option<String>,
}

impl Client {
    pub async fn list_tag_resources(
        &self,
        region: &str,
        req: &ListTagResourcesRequest,
    ) -> Result<ListTagResourcesResponse, AcsError> {
        let mut p = Params::new();
        p.set("ResourceType", &req.resource_type)
            .repeat("ResourceId", &req.resource_ids)
            .key_values("Tag", &req.tags)
            .opt("NextToken", req.next_token.as_ref());
        self.call(&ecs("ListTagResources", region, p)).await
    }

    next_token_stream!(
        /// Every matching (resource, tag) pair, following `NextToken`.
        list_tag_resources_stream, list_tag_resources, ListTagResourcesRequest, TagResource,
        |r: ListTagResourcesResponse| (r.tag_resources.tag_resource, r.next_token)
    );

    pub async fn tag_resources(
        &self,
        region: &str,
        resource_type: &str,
        resource_ids: &[String],
        tags: &[(String, String)],
    ) -> Result<EmptyResponse, AcsError> {
        let mut p = Params::new();
        p.set("ResourceType", resource_type)
            .repeat("ResourceId", resource_ids)
            .key_values("Tag", tags);
        self.call(&ecs("TagResources", region, p)).await
    }
}
