//! Typed STS, region, instance, disk and Cloud Assistant status actions against the
//! sandbox cloud over real HTTP, with both signatures and across pages. Every client
//! decodes strictly: a reply field renamed on either side fails here.

mod common;

use acs_openapi::actions::ecs_instances::{
    DescribeDisksRequest, DescribeInstancesRequest, Instance,
};
use acs_openapi::SignatureVersion;
use common::{assert_request_id, Sandbox, HZ};
use futures::TryStreamExt;

#[tokio::test]
async fn sts_identity_and_regions_with_both_signatures() {
    let sb = Sandbox::start().await;
    for sig in [SignatureVersion::Acs3, SignatureVersion::V1] {
        let client = sb.builder("admin").signature(sig).build().unwrap();
        let me = client.get_caller_identity().await.unwrap();
        assert_eq!(me.account_id, sandbox_cloud::DEMO_ACCOUNT_ID, "{sig:?}");
        assert_request_id(&me.request_id);
        let regions = client.describe_regions(HZ).await.unwrap().regions.region;
        assert!(regions.iter().any(|r| r.region_id == HZ), "{regions:?}");
    }
}

#[tokio::test]
async fn instances_disks_and_agent_status_stream_across_pages() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let all: Vec<Instance> = client
        .describe_instances_stream(
            HZ,
            DescribeInstancesRequest {
                max_results: Some(3),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert!(all.len() > 3, "paging must have fetched several pages");
    let mut ids: Vec<&str> = all.iter().map(|i| i.instance_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no duplicates across pages");
    assert!(sb.calls("DescribeInstances").await >= 2);

    let mysql = all
        .iter()
        .find(|i| i.instance_name == "app-centos79-mysql")
        .unwrap();
    assert_eq!(mysql.os_type, "linux");
    let by_id = client
        .describe_instances(
            HZ,
            &DescribeInstancesRequest {
                instance_ids: vec![mysql.instance_id.clone()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_id.instances.instance.len(), 1);

    let disks: Vec<_> = client
        .describe_disks_stream(
            HZ,
            DescribeDisksRequest {
                instance_id: Some(mysql.instance_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert!(disks.iter().any(|d| d.disk_type == "system"), "{disks:?}");

    let no_agent = all
        .iter()
        .find(|i| i.instance_name == "no-agent-ubuntu2204")
        .unwrap();
    let status: Vec<_> = client
        .describe_cloud_assistant_status_stream(
            HZ,
            vec![mysql.instance_id.clone(), no_agent.instance_id.clone()],
        )
        .try_collect()
        .await
        .unwrap();
    let of = |id: &str| {
        status
            .iter()
            .find(|s| s.instance_id == id)
            .unwrap()
            .cloud_assistant_status
    };
    assert!(of(&mysql.instance_id));
    assert!(!of(&no_agent.instance_id));
    client
        .install_cloud_assistant(HZ, std::slice::from_ref(&no_agent.instance_id))
        .await
        .unwrap();
}
