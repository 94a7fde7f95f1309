//! Profile kinds with the real OS keyring (the throwaway gnome-keyring of
//! `scripts/with-keyring.sh`; skipped with a reason elsewhere, failing in CI without it)
//! and sessions of each kind against the sandbox cloud: an STS token profile and a RAM
//! role ARN profile really call with those credentials.

use std::fs;

use acs_openapi::actions::ram::CreateRoleRequest;
use acs_openapi::actions::sts::AssumeRoleRequest;
use acs_openapi::credentials::{AccessKey, Env, KeyringSecret, KeyringStore};
use acs_openapi::Sensitive;
use appsnap_core::profiles::{
    caller_identity, Profile, ProfileInput, ProfileKeyStatus, ProfileKind, Profiles, SecretInput,
};
use appsnap_core::session::{SandboxAccess, Session};
use appsnap_core::ErrorCode;
use sandbox_cloud::DEMO_ACCOUNT_ID;
use test_support::keyring_gate::enabled;

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn temp_profiles() -> (tempfile::TempDir, Profiles) {
    let dir = tempfile::tempdir().unwrap();
    let keyring = KeyringStore::new(format!("appsnap-test-{}", unique()));
    let profiles = Profiles::new(dir.path().join("appsnap"), keyring);
    (dir, profiles)
}

fn secret(id: &str, secret: &str, token: Option<&str>) -> KeyringSecret {
    KeyringSecret {
        key: AccessKey {
            id: id.into(),
            secret: Sensitive::new(secret.into()),
        },
        security_token: token.map(|t| Sensitive::new(t.into())),
    }
}

fn form(profile: Profile, json: Option<serde_json::Value>) -> ProfileInput {
    ProfileInput {
        profile,
        secret: json.map(|j| serde_json::from_value::<SecretInput>(j).unwrap()),
    }
}

fn role_kind(arn: &str, session: &str) -> ProfileKind {
    ProfileKind::RamRoleArn {
        role_arn: arn.into(),
        role_session_name: session.into(),
        duration_seconds: 900,
    }
}

#[test]
fn every_kind_keeps_its_secrets_in_the_keyring_only() {
    if !enabled() {
        return;
    }
    let (_dir, profiles) = temp_profiles();
    let (s1, t1, s2) = (
        format!("sk-{}", unique()),
        format!("tok-{}", unique()),
        format!("sk-{}", unique()),
    );
    let temp = Profile {
        kind: ProfileKind::StsToken,
        ..Profile::new("temp")
    };
    let entry = profiles
        .add_input(form(
            temp.clone(),
            Some(serde_json::json!({"accessKeyId": "STS.one", "accessKeySecret": s1, "securityToken": t1})),
        ))
        .unwrap();
    assert_eq!(
        entry.key,
        ProfileKeyStatus::Stored {
            access_key_id: "STS.one".into()
        }
    );
    let ops = Profile {
        kind: role_kind("acs:ram::1688000000000001:role/ops", "desk"),
        ..Profile::new("ops")
    };
    profiles
        .add_input(form(
            ops.clone(),
            Some(serde_json::json!({"accessKeyId": "LTAIsource", "accessKeySecret": s2})),
        ))
        .unwrap();

    let text = fs::read_to_string(profiles.path()).unwrap();
    for secret in [&s1, &t1, &s2] {
        assert!(
            !text.contains(secret.as_str()),
            "secret in profiles.json:\n{text}"
        );
    }
    assert!(
        text.contains("acs:ram::1688000000000001:role/ops"),
        "{text}"
    );
    let kept = profiles.keyring().load_secret("temp").unwrap().unwrap();
    assert_eq!(kept.security_token.unwrap().expose(), &t1);
    assert!(profiles
        .keyring()
        .load_secret("ops")
        .unwrap()
        .unwrap()
        .security_token
        .is_none());
    let listed = profiles.list().unwrap();
    assert_eq!(
        listed.iter().map(|e| e.profile.clone()).collect::<Vec<_>>(),
        vec![ops.clone(), temp.clone()]
    );
    let json = serde_json::to_string(&listed).unwrap();
    assert!(
        !json.contains(&s1) && !json.contains(&t1) && !json.contains(&s2),
        "{json}"
    );

    // Editing settings alone keeps the key; replacing it writes the new one.
    let moved = Profile {
        region: Some("cn-shanghai".into()),
        ..ops.clone()
    };
    profiles.update_input(form(moved.clone(), None)).unwrap();
    assert_eq!(
        profiles
            .keyring()
            .load("ops")
            .unwrap()
            .unwrap()
            .secret
            .expose(),
        &s2
    );
    profiles
        .update_input(form(
            moved.clone(),
            Some(serde_json::json!({"accessKeyId": "LTAIrotated", "accessKeySecret": "rotated"})),
        ))
        .unwrap();
    assert_eq!(
        profiles.keyring().load("ops").unwrap().unwrap().id,
        "LTAIrotated"
    );
    assert_eq!(profiles.get("ops").unwrap(), Some(moved));

    // An STS token profile turned into an AccessKey one drops its token with the new key.
    let err = profiles.update(Profile::new("temp"), None).unwrap_err();
    assert!(err.to_string().contains("entered again"), "{err}");
    profiles
        .update(
            Profile::new("temp"),
            Some(&secret("LTAIlong", "long-secret", None)),
        )
        .unwrap();
    assert!(profiles
        .keyring()
        .load_secret("temp")
        .unwrap()
        .unwrap()
        .security_token
        .is_none());

    // Removing deletes the keyring entry too.
    profiles.remove("temp").unwrap();
    profiles.remove("ops").unwrap();
    assert!(profiles.keyring().load("temp").unwrap().is_none());
    assert!(profiles.keyring().load("ops").unwrap().is_none());
    assert!(profiles.list().unwrap().is_empty());
}

#[test]
fn importing_copies_the_cli_secrets_into_the_keyring_and_nowhere_else() {
    if !enabled() {
        return;
    }
    let (dir, profiles) = temp_profiles();
    let cli = dir.path().join("config.json");
    let cli_text = r#"{"current":"default","profiles":[
      {"name":"default","mode":"AK","access_key_id":"LTAIdefault","access_key_secret":"imp-secret-1","region_id":"cn-hangzhou"},
      {"name":"temp","mode":"StsToken","access_key_id":"STS.temp","access_key_secret":"imp-secret-2","sts_token":"imp-token-2"},
      {"name":"ops","mode":"RamRoleArn","access_key_id":"LTAIsource","access_key_secret":"imp-secret-3",
       "ram_role_arn":"acs:ram::1688000000000001:role/ops","ram_session_name":"cli","expired_seconds":1800},
      {"name":"other","mode":"AK","access_key_id":"LTAIother","access_key_secret":"imp-secret-4"}]}"#;
    fs::write(&cli, cli_text).unwrap();
    let env = Env::fake([("ALIBABA_CLOUD_CONFIG_FILE", cli.to_str().unwrap())], None);
    let names = ["default", "temp", "ops"].map(String::from);
    assert_eq!(profiles.import_cli(&env, &names).unwrap(), names.to_vec());

    let listed = profiles.list().unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|e| (
                e.profile.name.as_str(),
                e.profile.kind.clone(),
                e.profile.region.clone()
            ))
            .collect::<Vec<_>>(),
        vec![
            (
                "default",
                ProfileKind::AccessKey,
                Some("cn-hangzhou".into())
            ),
            (
                "ops",
                ProfileKind::RamRoleArn {
                    role_arn: "acs:ram::1688000000000001:role/ops".into(),
                    role_session_name: "cli".into(),
                    duration_seconds: 1800
                },
                None
            ),
            ("temp", ProfileKind::StsToken, None),
        ]
    );
    let temp = profiles.keyring().load_secret("temp").unwrap().unwrap();
    assert_eq!(
        (
            temp.key.secret.expose().as_str(),
            temp.security_token.unwrap().expose().as_str()
        ),
        ("imp-secret-2", "imp-token-2")
    );
    assert_eq!(
        profiles
            .keyring()
            .load("ops")
            .unwrap()
            .unwrap()
            .secret
            .expose(),
        "imp-secret-3"
    );
    let text = fs::read_to_string(profiles.path()).unwrap();
    assert!(!text.contains("imp-"), "{text}");
    assert_eq!(
        fs::read_to_string(&cli).unwrap(),
        cli_text,
        "the CLI's file is only read"
    );
    // The listing now says those names are taken.
    let listing = profiles.cli_import_listing(&env).unwrap();
    assert!(listing.profiles[0]
        .problem
        .as_deref()
        .unwrap()
        .contains("already exists"));
    assert_eq!(listing.profiles[3].problem, None);
    for name in names {
        profiles.remove(&name).unwrap();
    }
}

const TRUST_ROOT: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::1688000000000001:root"]}}],"Version":"1"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn sts_token_and_role_arn_profiles_call_with_those_credentials() {
    if !enabled() {
        return;
    }
    let sb = sandbox_cloud::start(sandbox_cloud::SandboxOptions::default())
        .await
        .unwrap();
    let admin = sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == "admin")
        .unwrap();
    let admin_key = AccessKey {
        id: admin.access_key_id.into(),
        secret: Sensitive::new(admin.access_key_secret.into()),
    };
    let access = SandboxAccess {
        endpoint: sb.endpoint().to_owned(),
        key: admin_key.clone(),
    };
    let (dir, profiles) = temp_profiles();
    let env = Env::fake(
        Vec::<(String, String)>::new(),
        Some(dir.path().to_path_buf()),
    );
    let root = Session::sandbox(sb.endpoint(), &admin_key).unwrap();
    let role = root
        .client
        .create_role(&CreateRoleRequest {
            role_name: "DeskOpsRole".into(),
            assume_role_policy_document: TRUST_ROOT.into(),
            description: None,
            max_session_duration: None,
        })
        .await
        .unwrap()
        .role;
    assert_eq!(
        role.arn,
        format!("acs:ram::{DEMO_ACCOUNT_ID}:role/deskopsrole")
    );

    // STS token: temporary keys from AssumeRole, saved with their token.
    let sts = root
        .client
        .assume_role(&AssumeRoleRequest {
            role_arn: role.arn.clone(),
            role_session_name: "desk-sts".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .credentials;
    let endpoint = Some(sb.endpoint().to_owned());
    profiles
        .add_with_secret(
            Profile {
                kind: ProfileKind::StsToken,
                endpoint: endpoint.clone(),
                ..Profile::new("temp")
            },
            &secret(
                &sts.access_key_id,
                sts.access_key_secret.expose(),
                Some(sts.security_token.expose()),
            ),
        )
        .unwrap();
    let session = Session::open_named("temp", Some(&access), &profiles, &env).unwrap();
    let me = caller_identity(&session).await.unwrap();
    assert_eq!(
        (
            me.profile.as_str(),
            me.account_id.as_str(),
            me.identity_type.as_str(),
            me.arn.as_str()
        ),
        (
            "temp",
            DEMO_ACCOUNT_ID,
            "AssumedRoleUser",
            "acs:ram::1688000000000001:assumed-role/deskopsrole/desk-sts"
        )
    );
    assert_eq!(
        session.client.credentials().await.unwrap().provider,
        "profile"
    );

    // The same keys without their token are refused by the cloud, with a RequestId.
    profiles
        .update(
            Profile {
                kind: ProfileKind::StsToken,
                endpoint: endpoint.clone(),
                ..Profile::new("temp")
            },
            Some(&secret(
                &sts.access_key_id,
                sts.access_key_secret.expose(),
                Some("CAISwrongtoken"),
            )),
        )
        .unwrap();
    let session = Session::open_named("temp", Some(&access), &profiles, &env).unwrap();
    let err = caller_identity(&session).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AuthFailed, "{err:?}");
    assert!(err.request_id.is_some(), "{err:?}");

    // RAM role ARN: the admin key as the source, the role assumed at the first call.
    profiles
        .add_with_secret(
            Profile {
                kind: role_kind(&role.arn, "desk-role"),
                endpoint: endpoint.clone(),
                ..Profile::new("ops")
            },
            &KeyringSecret::from(admin_key.clone()),
        )
        .unwrap();
    let session = Session::open_named("ops", Some(&access), &profiles, &env).unwrap();
    let me = caller_identity(&session).await.unwrap();
    assert_eq!(
        (me.identity_type.as_str(), me.arn.as_str()),
        (
            "AssumedRoleUser",
            "acs:ram::1688000000000001:assumed-role/deskopsrole/desk-role"
        )
    );
    let creds = session.client.credentials().await.unwrap();
    assert_eq!(creds.provider, "ram-role-arn");
    assert!(
        creds.access_key_id.starts_with("STS."),
        "{}",
        creds.access_key_id
    );
    let calls: serde_json::Value = reqwest::get(format!("{}/_sandbox/state/calls", sb.endpoint()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calls["calls"]["AssumeRole"], 2, "{calls}");

    // A role the account does not have: the STS error, through the profile.
    profiles
        .update(
            Profile {
                kind: role_kind("acs:ram::1688000000000001:role/nosuchrole", "desk-role"),
                endpoint,
                ..Profile::new("ops")
            },
            None,
        )
        .unwrap();
    let session = Session::open_named("ops", Some(&access), &profiles, &env).unwrap();
    let err = caller_identity(&session).await.unwrap_err();
    assert_ne!(err.code, ErrorCode::Internal, "{err:?}");
    assert!(err.message.contains("EntityNotExist.Role"), "{err:?}");

    profiles.remove("temp").unwrap();
    profiles.remove("ops").unwrap();
    sb.shutdown().await;
}
