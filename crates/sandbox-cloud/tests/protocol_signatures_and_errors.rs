//! Protocol behaviour over real HTTP: the three signature styles and Alibaba's error
//! shapes and HTTP statuses.

mod support;

use base64::Engine as _;
use support::{raw, Client, Style, ADMIN, ECS, RAM, STS};

#[tokio::test]
async fn all_three_signature_styles_work_and_spaces_survive() {
    let sb = support::sandbox().await;
    for style in [Style::V1Get, Style::V1Form, Style::V3] {
        let c = Client::new(&sb, ADMIN).with_style(style);
        let name = format!("probe run {style:?} a+b*c~");
        let r = c
            .ok(
                "CreateCommand",
                ECS,
                &[
                    ("RegionId", "cn-hangzhou"),
                    ("Name", &name),
                    ("Type", "RunShellScript"),
                    (
                        "CommandContent",
                        &base64::engine::general_purpose::STANDARD.encode("echo hi there"),
                    ),
                ],
            )
            .await;
        let id = r["CommandId"].as_str().unwrap();
        let d = c
            .ok(
                "DescribeCommands",
                ECS,
                &[
                    ("RegionId", "cn-hangzhou"),
                    ("CommandId", id),
                    ("ContentEncoding", "PlainText"),
                ],
            )
            .await;
        assert_eq!(
            d["Commands"]["Command"][0]["Name"],
            name.as_str(),
            "{style:?}"
        );
        assert_eq!(
            d["Commands"]["Command"][0]["CommandContent"],
            "echo hi there"
        );
        let who = c.ok("GetCallerIdentity", STS, &[]).await;
        assert_eq!(who["IdentityType"], "RAMUser");
        assert_eq!(who["AccountId"], "1688000000000001");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn errors_have_alibabas_shape_and_statuses() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let (s, b) = c
        .err(
            "RunInstances",
            ECS,
            &[("RegionId", "cn-hangzhou")],
            "UnsupportedOperation",
        )
        .await;
    assert_eq!(s, 400);
    for k in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(b[k].is_string(), "{k} in {b}");
    }
    assert_eq!(b["HostId"], "ecs.aliyuncs.com");
    c.err("DescribeRegions", "2099-01-01", &[], "InvalidVersion")
        .await;
    c.err("DescribeInstances", ECS, &[], "MissingParameter")
        .await;
    let (s, _) = c
        .err(
            "DescribeInstances",
            ECS,
            &[("RegionId", "mars-north-1")],
            "InvalidRegionId.NotFound",
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = c
        .err(
            "StopInstance",
            ECS,
            &[("RegionId", "cn-hangzhou"), ("InstanceId", "i-nope")],
            "InvalidInstanceId.NotFound",
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = c
        .err(
            "GetRole",
            RAM,
            &[("RoleName", "Nope")],
            "EntityNotExist.Role",
        )
        .await;
    assert_eq!(s, 404);
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
    let role = [("RoleName", "Twice"), ("AssumeRolePolicyDocument", trust)];
    c.ok("CreateRole", RAM, &role).await;
    let (s, _) = c
        .err("CreateRole", RAM, &role, "EntityAlreadyExists.Role")
        .await;
    assert_eq!(s, 409);
    let policy = [
        ("PolicyName", "Twice"),
        ("PolicyDocument", r#"{"Version":"1","Statement":[]}"#),
    ];
    c.ok("CreatePolicy", RAM, &policy).await;
    let (s, _) = c
        .err("CreatePolicy", RAM, &policy, "EntityAlreadyExists.Policy")
        .await;
    assert_eq!(s, 409);
    // A malformed number is refused, not replaced by the default.
    c.err(
        "RunCommand",
        ECS,
        &[
            ("RegionId", "cn-hangzhou"),
            ("Type", "RunShellScript"),
            ("CommandContent", "echo"),
            ("InstanceId.1", "i-x"),
            ("Timeout", "soon"),
        ],
        "InvalidParameter.Timeout",
    )
    .await;
    c.err(
        "SendFile",
        ECS,
        &[
            ("RegionId", "cn-hangzhou"),
            ("InstanceId.1", "i-x"),
            ("Name", "a.sh"),
            ("TargetDir", "/tmp"),
            ("Content", "x"),
            ("Timeout", "soon"),
        ],
        "InvalidParameter.Timeout",
    )
    .await;
    let bad = Client {
        secret: "wrong".into(),
        ..c.clone()
    };
    let (s, b) = bad
        .err("DescribeRegions", ECS, &[], "SignatureDoesNotMatch")
        .await;
    assert_eq!(s, 400);
    assert!(b["Message"]
        .as_str()
        .unwrap()
        .contains("GET&%2F&AccessKeyId%3D"));
    let unknown = Client {
        key: "LTAI-nobody".into(),
        ..c.clone()
    };
    let (s, _) = unknown
        .err("DescribeRegions", ECS, &[], "InvalidAccessKeyId.NotFound")
        .await;
    assert_eq!(s, 404);
    // The same request twice: the nonce was used.
    let req = c.build("DescribeRegions", ECS, &[]);
    assert_eq!(raw(sb.local_addr(), &req).await.unwrap().status, 200);
    assert_eq!(
        raw(sb.local_addr(), &req).await.unwrap().json()["Code"],
        "SignatureNonceUsed"
    );
    // RPC v1 without Format=JSON answers XML.
    let r = raw(
        sb.local_addr(),
        &c.build("DescribeRegions", ECS, &[("Format", "XML")]),
    )
    .await
    .unwrap();
    let xml = r.text();
    assert!(
        xml.contains("<DescribeRegionsResponse><Regions><Region>"),
        "{xml}"
    );
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("text/xml")));
    // A list written from typed views (DescribeDisks) is the same list in XML.
    let json_disks = raw(
        sb.local_addr(),
        &c.build("DescribeDisks", ECS, &[("RegionId", "cn-hangzhou")]),
    )
    .await
    .unwrap()
    .json();
    let disk_id = json_disks["Disks"]["Disk"][0]["DiskId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(json_disks["TotalCount"].as_u64().unwrap() > 0);
    let xml = raw(
        sb.local_addr(),
        &c.build(
            "DescribeDisks",
            ECS,
            &[("RegionId", "cn-hangzhou"), ("Format", "XML")],
        ),
    )
    .await
    .unwrap()
    .text();
    assert!(
        xml.contains("<Disks><Disk><AttachedTime>")
            && xml.contains(&format!("<DiskId>{disk_id}</DiskId>")),
        "{xml}"
    );
    sb.shutdown().await;
}
