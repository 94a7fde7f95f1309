//! `ClientBuilder::strict_decoding(true)` over real HTTP: a reply whose field was renamed
//! fails with the action and the JSON path of the missing field, where the default
//! (lenient) client silently decodes it to "" or 0. The sandbox tests run strict, so a
//! rename on either side fails them; this proves the switch really bites.

use std::time::Duration;

use acs_openapi::actions::ecs_instances::DescribeDisksRequest;
use acs_openapi::{AcsError, Client, Credentials, Jitter, RetryPolicy};
use test_support::mock_server::{ok, MockServer};

fn client(server: &MockServer, strict: bool) -> Client {
    Client::builder()
        .endpoint(&server.endpoint)
        .region("cn-hangzhou")
        .static_credentials(Credentials::access_key("testid", "testsecret"))
        .retry(RetryPolicy {
            jitter: Jitter::from_fn(|_| Duration::from_millis(1)),
            ..RetryPolicy::default()
        })
        .strict_decoding(strict)
        .build()
        .unwrap()
}

/// The `(action, message)` of an unreadable-reply error.
fn unparseable(e: AcsError) -> (String, String) {
    match e {
        AcsError::Unparseable {
            action,
            message,
            http_status: 200,
            ..
        } => (action, message),
        other => panic!("expected an unreadable 200 reply, got {other:?}"),
    }
}

#[tokio::test]
async fn a_renamed_top_level_field_fails_strict_and_decodes_empty_when_lenient() {
    // `AccountID` for `AccountId`: the kind of rename a typo on either side makes.
    let body = r#"{"RequestId":"R-1","AccountID":"1234","PrincipalId":"p","Arn":"acs:ram::1234:user/u","IdentityType":"RAMUser","UserId":"u"}"#;
    let server = MockServer::start(vec![ok(body)]).await;

    let lenient = client(&server, false).get_caller_identity().await.unwrap();
    assert_eq!(
        lenient.account_id, "",
        "the silent failure strict mode exists for"
    );

    let e = client(&server, true)
        .get_caller_identity()
        .await
        .unwrap_err();
    assert_eq!(e.request_id(), Some("R-1"));
    let (action, message) = unparseable(e);
    assert_eq!(action, "GetCallerIdentity");
    assert!(message.ends_with("missing `AccountId`"), "{message}");
}

#[tokio::test]
async fn a_renamed_nested_field_is_named_by_its_json_path() {
    let disk = |size_key: &str| {
        format!(
            r#"{{"DiskId":"d-{size_key}","DiskName":"n","Category":"cloud_essd","PerformanceLevel":"PL0","{size_key}":40,"Type":"data","Status":"In_use","InstanceId":"i-1","Device":"/dev/xvdb","ZoneId":"cn-hangzhou-i","RegionId":"cn-hangzhou","Encrypted":false,"Portable":true,"MultiAttach":"Disabled","DeleteWithInstance":true,"CreationTime":"2024-01-01T00:00Z","Tags":{{"Tag":[]}}}}"#
        )
    };
    let body = format!(
        r#"{{"RequestId":"R-2","TotalCount":2,"Disks":{{"Disk":[{},{}]}}}}"#,
        disk("Size"),
        disk("DiskSize")
    );
    let server = MockServer::start(vec![ok(&body)]).await;
    let req = DescribeDisksRequest::default();

    let lenient = client(&server, false)
        .describe_disks("cn-hangzhou", &req)
        .await
        .unwrap();
    let sizes: Vec<u64> = lenient.disks.disk.iter().map(|d| d.size).collect();
    assert_eq!(sizes, [40, 0]);

    let (action, message) = unparseable(
        client(&server, true)
            .describe_disks("cn-hangzhou", &req)
            .await
            .unwrap_err(),
    );
    assert_eq!(action, "DescribeDisks");
    assert!(
        message.ends_with("missing `Disks.Disk[1].Size`"),
        "{message}"
    );
}

#[tokio::test]
async fn documented_optional_fields_may_be_absent_in_strict_mode() {
    // An account owner: no UserId, no RoleId (alibaba-api.md §5.4); nothing else missing.
    let body = r#"{"RequestId":"R-3","AccountId":"1234","PrincipalId":"1234","Arn":"acs:ram::1234:root","IdentityType":"Account"}"#;
    let server = MockServer::start(vec![ok(body)]).await;
    let me = client(&server, true).get_caller_identity().await.unwrap();
    assert_eq!(me.account_id, "1234");
    assert_eq!(me.identity_type, "Account");
    assert_eq!((me.user_id, me.role_id), (None, None));
}
