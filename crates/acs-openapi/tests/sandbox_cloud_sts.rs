//! AssumeRole against the sandbox cloud over real HTTP, directly and through the RAM role
//! ARN provider, whose credentials are refreshed before they expire.

mod common;

use acs_openapi::actions::ram::CreateRoleRequest;
use acs_openapi::{Client, Credentials, ErrorKind, SignatureVersion};
use common::{Sandbox, HZ};
use serde_json::Value;
use test_support::sandbox::demo_account;

#[tokio::test]
async fn assume_role_directly_and_through_the_ram_role_arn_provider() {
    use acs_openapi::actions::sts::AssumeRoleRequest;
    use acs_openapi::credentials::{AssumeRoleParams, ProvideCredentials, RamRoleArnProvider};
    use acs_openapi::{Clock, StsAssumeRole};
    use std::sync::Arc;

    let sb = Sandbox::start().await;
    let admin = sb.admin();
    let account = sandbox_cloud::DEMO_ACCOUNT_ID;
    let trust = format!(
        r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{account}:root"]}}}}],"Version":"1"}}"#
    );
    let role = admin
        .create_role(&CreateRoleRequest {
            role_name: "AppSnapOperator".into(),
            assume_role_policy_document: trust,
            ..Default::default()
        })
        .await
        .unwrap()
        .role;
    let assumed = admin
        .assume_role(&AssumeRoleRequest {
            role_arn: role.arn.clone(),
            role_session_name: "appsnap-test".into(),
            duration_seconds: Some(900),
            ..Default::default()
        })
        .await
        .unwrap();
    // 900 s from the sandbox's (paused) clock.
    let sim_now = sb.control(reqwest::Method::GET, "clock", Value::Null).await["now_ms"]
        .as_i64()
        .unwrap();
    let expires = assumed.credentials.expiration.expect("Expiration");
    assert_eq!(expires.timestamp(), sim_now / 1000 + 900, "{expires}");
    let creds = assumed.into_credentials();
    assert!(creds.access_key_id.starts_with("STS."), "{creds:?}");
    assert_eq!(creds.provider, "ram-role-arn");
    for sig in [SignatureVersion::Acs3, SignatureVersion::V1] {
        let as_role = Client::builder()
            .strict_decoding(true)
            .endpoint(sb.endpoint())
            .signature(sig)
            .static_credentials(creds.clone())
            .build()
            .unwrap();
        let me = as_role.get_caller_identity().await.unwrap();
        assert!(
            me.arn.to_lowercase().contains("appsnapoperator"),
            "{sig:?}: {me:?}"
        );
    }

    // The provider the aliyun CLI `RamRoleArn` mode uses, over the real STS call.
    let source = sb.builder("admin");
    let admin_keys = &demo_account("admin");
    let provider = Arc::new(RamRoleArnProvider::new(
        Credentials::access_key(admin_keys.access_key_id, admin_keys.access_key_secret),
        AssumeRoleParams {
            role_arn: role.arn,
            role_session_name: "chain".into(),
            duration_seconds: None,
            policy: None,
            external_id: None,
            sts_region: None,
        },
        Arc::new(StsAssumeRole::new(source.clone())),
        Clock::system(),
    ));
    let first = provider.provide().await.unwrap();
    assert_eq!(
        provider.provide().await.unwrap().access_key_id,
        first.access_key_id
    );
    assert_eq!(
        sb.calls("AssumeRole").await,
        2,
        "one direct call, one cached provider call"
    );
    let client = source.credentials(provider).build().unwrap();
    let me = client.get_caller_identity().await.unwrap();
    assert!(
        me.arn.to_lowercase().contains("appsnapoperator/chain"),
        "{me:?}"
    );
    // The role has no policy attached yet, so ECS refuses it.
    let e = client.describe_regions(HZ).await.unwrap_err();
    assert_eq!(e.code(), Some("Forbidden.RAM"));
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn ram_role_arn_credentials_are_refreshed_before_they_expire() {
    use acs_openapi::credentials::{AssumeRoleParams, ProvideCredentials, RamRoleArnProvider};
    use acs_openapi::{Clock, StsAssumeRole};
    use std::sync::Arc;

    let sb = Sandbox::start().await;
    let account = sandbox_cloud::DEMO_ACCOUNT_ID;
    let role = sb
        .admin()
        .create_role(&CreateRoleRequest {
            role_name: "AppSnapRefresh".into(),
            assume_role_policy_document: format!(
                r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{account}:root"]}}}}],"Version":"1"}}"#
            ),
            ..Default::default()
        })
        .await
        .unwrap()
        .role;

    // The provider judges expiry on its own clock; keep it on the sandbox's (paused) one.
    let sim_now = sb.control(reqwest::Method::GET, "clock", Value::Null).await["now_ms"]
        .as_i64()
        .unwrap();
    let (clock, hand) = Clock::manual(chrono::DateTime::from_timestamp_millis(sim_now).unwrap());
    // Both clocks move together: the sandbox's decides when keys die on the cloud.
    let minutes = |n: i64| {
        hand.advance(chrono::Duration::minutes(n));
        sb.step(n as f64 * 60.0)
    };
    let admin_keys = &demo_account("admin");
    let provider = Arc::new(RamRoleArnProvider::new(
        Credentials::access_key(admin_keys.access_key_id, admin_keys.access_key_secret),
        AssumeRoleParams {
            role_arn: role.arn,
            role_session_name: "refresh".into(),
            duration_seconds: Some(900),
            policy: None,
            external_id: None,
            sts_region: None,
        },
        Arc::new(StsAssumeRole::new(sb.builder("admin"))),
        clock,
    ));
    let client = sb
        .builder("admin")
        .credentials(provider.clone())
        .build()
        .unwrap();

    let first = provider.provide().await.unwrap();
    client.get_caller_identity().await.unwrap();
    assert_eq!(sb.calls("AssumeRole").await, 1);

    // 9 of 15 minutes gone: still more than the refresh margin left, so reused.
    minutes(9).await;
    client.get_caller_identity().await.unwrap();
    assert_eq!(sb.calls("AssumeRole").await, 1, "fresh keys are cached");

    // 11 minutes: under 5 minutes left, so the next call refreshes first.
    minutes(2).await;
    client.get_caller_identity().await.unwrap();
    assert_eq!(sb.calls("AssumeRole").await, 2, "refreshed before expiry");
    let second = provider.provide().await.unwrap();
    assert_ne!(second.access_key_id, first.access_key_id);

    // 16 minutes: the first keys are dead on the cloud, the refreshed ones still work.
    minutes(5).await;
    let stale = Client::builder()
        .strict_decoding(true)
        .endpoint(sb.endpoint())
        .static_credentials(first)
        .build()
        .unwrap();
    let e = stale.get_caller_identity().await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidSecurityToken.Expired"), "{e}");
    let me = client.get_caller_identity().await.unwrap();
    assert!(
        me.arn.to_lowercase().contains("appsnaprefresh/refresh"),
        "{me:?}"
    );
    assert_eq!(sb.calls("AssumeRole").await, 2);
}
