//! The scale scenario serves 10k instances, paged correctly. Its speed is measured by
//! `make bench` (docs/BENCHMARKS.md), not asserted here.

mod support;

use sandbox_cloud::{start, SandboxOptions};
use support::{Client, ADMIN, ECS};

#[tokio::test]
async fn ten_thousand_instances_page_completely() {
    let sb = start(SandboxOptions {
        scenario: "scale".into(),
        scale_instances: 10_000,
        scale_regions: 8,
        time_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let c = Client::new(&sb, ADMIN);
    let mut total = 0;
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let mut q = vec![("RegionId", "cn-hangzhou"), ("MaxResults", "100")];
        if !token.is_empty() {
            q.push(("NextToken", token.as_str()));
        }
        let b = c.ok("DescribeInstances", ECS, &q).await;
        total += b["Instances"]["Instance"].as_array().unwrap().len();
        pages += 1;
        token = b["NextToken"].as_str().unwrap().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(total, 1250);
    assert_eq!(pages, 13);
    sb.shutdown().await;
}

#[tokio::test]
async fn refuses_more_regions_than_it_knows() {
    let err = start(SandboxOptions {
        scenario: "scale".into(),
        scale_instances: 10,
        scale_regions: 30,
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("1 to 29 regions, not 30"), "{err}");
}

#[tokio::test]
async fn the_scale_cloud_has_the_public_region_list_and_spreads_over_25() {
    let sb = start(SandboxOptions {
        scenario: "scale".into(),
        scale_instances: 10_000,
        scale_regions: 25,
        time_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let c = Client::new(&sb, ADMIN);
    let listed = c.ok("DescribeRegions", ECS, &[]).await;
    let ids: Vec<&str> = listed["Regions"]["Region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["RegionId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 29, "{ids:?}");
    // The classic eight first, in their old order; the rest of the public list after.
    assert_eq!(
        ids[..8],
        [
            "cn-hangzhou",
            "cn-shanghai",
            "cn-beijing",
            "cn-shenzhen",
            "cn-hongkong",
            "ap-southeast-1",
            "us-west-1",
            "eu-central-1"
        ]
    );
    assert!(ids.contains(&"cn-wuhan-lr") && ids.contains(&"me-east-1"));
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 29);

    let count = |b: &serde_json::Value| b["TotalCount"].as_u64().unwrap();
    for (region, expect) in [
        ("cn-hangzhou", 400),
        ("ap-northeast-2", 400),
        ("us-east-1", 0),
    ] {
        let b = c
            .ok(
                "DescribeInstances",
                ECS,
                &[("RegionId", region), ("MaxResults", "10")],
            )
            .await;
        // ap-northeast-2 is the 20th region, us-east-1 the 27th: beyond the 25 filled.
        assert_eq!(count(&b), expect, "{region}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn the_demo_cloud_keeps_its_eight_regions() {
    let sb = start(SandboxOptions {
        time_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let c = Client::new(&sb, ADMIN);
    let listed = c.ok("DescribeRegions", ECS, &[]).await;
    assert_eq!(listed["Regions"]["Region"].as_array().unwrap().len(), 8);
    c.err(
        "DescribeInstances",
        ECS,
        &[("RegionId", "cn-qingdao")],
        "InvalidRegionId.NotFound",
    )
    .await;
    sb.shutdown().await;
}
