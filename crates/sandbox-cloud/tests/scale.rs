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
        scale_regions: 10,
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("1 to 8 regions, not 10"), "{err}");
}
