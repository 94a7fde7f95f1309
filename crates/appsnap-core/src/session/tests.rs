//! Sessions against the sandbox cloud over HTTP and profiles.json in a temporary
//! directory. None of these reach the OS keyring: stored profiles are written through
//! the store alone, and the keyring provider is only asked when a call needs a key.

use acs_openapi::credentials::{AccessKey, Env, KeyringStore};
use acs_openapi::{Network, Sensitive, SignatureVersion};
use sandbox_cloud::{SandboxOptions, DEMO_ACCOUNT_ID};

use super::*;
use crate::profiles::{CurrentProfile, ProfileNetwork, ProfileSignature};

fn temp_profiles() -> (tempfile::TempDir, Profiles) {
    let dir = tempfile::tempdir().unwrap();
    let keyring = KeyringStore::new(format!("appsnap-test-{}", uuid::Uuid::new_v4().simple()));
    let profiles = Profiles::new(dir.path(), keyring);
    (dir, profiles)
}

fn demo_key(power: &str) -> AccessKey {
    let a = sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == power)
        .unwrap();
    AccessKey {
        id: a.access_key_id.into(),
        secret: Sensitive::new(a.access_key_secret.into()),
    }
}

/// An environment with no keys and a HOME without aliyun files.
fn bare_env(home: &std::path::Path) -> Env {
    Env::fake(Vec::<(String, String)>::new(), Some(home.to_path_buf()))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_session_calls_the_sandbox_with_its_admin_key() {
    let sb = sandbox_cloud::start(SandboxOptions::default())
        .await
        .unwrap();
    let session = Session::sandbox(sb.endpoint(), &demo_key("admin")).unwrap();
    assert_eq!(session.settings.profile.as_deref(), Some(SANDBOX_PROFILE));
    assert_eq!(session.settings.endpoint.as_deref(), Some(sb.endpoint()));
    let me = session.client.get_caller_identity().await.unwrap();
    assert_eq!(me.account_id, DEMO_ACCOUNT_ID);
    let creds = session.client.credentials().await.unwrap();
    assert_eq!(creds.provider, "sandbox");
    assert_eq!(creds.access_key_id, demo_key("admin").id);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cloud_errors_carry_the_request_id_apart_from_the_message() {
    let sb = sandbox_cloud::start(SandboxOptions::default())
        .await
        .unwrap();
    let wrong = AccessKey {
        secret: Sensitive::new("wrong".into()),
        ..demo_key("admin")
    };
    let session = Session::sandbox(sb.endpoint(), &wrong).unwrap();
    let err = session
        .client
        .describe_regions("cn-hangzhou")
        .await
        .unwrap_err();
    let app = session.app_error(&err);
    assert_eq!(app.code, ErrorCode::AuthFailed, "{app:?}");
    assert_eq!(app.hint, Some(Hint::new(HintKey::CheckAccessKey)));
    let id = app
        .request_id
        .clone()
        .expect("the sandbox sends a RequestId");
    assert_eq!(Some(id.as_str()), err.request_id());
    assert!(!app.message.contains(&id), "{}", app.message);
    assert!(
        app.message.contains("SignatureDoesNotMatch"),
        "{}",
        app.message
    );

    let operator = Session::sandbox(sb.endpoint(), &demo_key("operator")).unwrap();
    let err = operator
        .client
        .get_role("AppSnapshotRoleName")
        .await
        .unwrap_err();
    let app = operator.app_error(&err);
    assert_eq!(app.code, ErrorCode::PermissionDenied, "{app:?}");
    assert_eq!(
        app.hint,
        Some(Hint::new(HintKey::GrantPermission).with("action", "GetRole"))
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_session_uses_the_environment_keys_and_endpoint() {
    let sb = sandbox_cloud::start(SandboxOptions::default())
        .await
        .unwrap();
    let (dir, profiles) = temp_profiles();
    let key = demo_key("read-only");
    let env = Env::fake(
        [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", key.id.as_str()),
            (
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                key.secret.expose().as_str(),
            ),
            ("APPSNAP_ENDPOINT", sb.endpoint()),
            ("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou"),
        ],
        Some(dir.path().to_path_buf()),
    );
    let session = Session::open(&SessionOverrides::default(), &profiles, &env).unwrap();
    assert_eq!(session.settings.region.as_deref(), Some("cn-hangzhou"));
    assert_eq!(session.client.region(), Some("cn-hangzhou"));
    let me = session.client.get_caller_identity().await.unwrap();
    assert_eq!(me.account_id, DEMO_ACCOUNT_ID);
    assert_eq!(
        session.client.credentials().await.unwrap().provider,
        "environment"
    );
    sb.shutdown().await;
}

#[test]
fn a_stored_profile_gives_its_settings_unless_overridden() {
    let (dir, profiles) = temp_profiles();
    let work = Profile {
        region: Some("cn-shanghai".into()),
        signature: ProfileSignature::V1,
        endpoint: Some("http://127.0.0.1:9".into()),
        network: ProfileNetwork::Vpc,
        ..Profile::new("work")
    };
    profiles.store().insert(work).unwrap();
    let env = bare_env(dir.path());
    let named = SessionOverrides {
        profile: Some("work".into()),
        ..SessionOverrides::default()
    };
    let s = Session::open(&named, &profiles, &env).unwrap();
    assert_eq!(
        s.settings,
        Settings {
            profile: Some("work".into()),
            stored: true,
            region: Some("cn-shanghai".into()),
            endpoint: Some("http://127.0.0.1:9".into()),
            signature: SignatureVersion::V1,
            network: Network::Vpc,
        }
    );
    assert_eq!(s.client.signature(), SignatureVersion::V1);
    let by_name = Session::open_named("work", None, &profiles, &env).unwrap();
    assert_eq!(by_name.settings, s.settings);

    let flagged = SessionOverrides {
        region: Some("cn-beijing".into()),
        signature: Some(SignatureVersion::Acs3),
        ..named
    };
    let s = Session::open(&flagged, &profiles, &env).unwrap();
    assert_eq!(s.client.region(), Some("cn-beijing"));
    assert_eq!(s.client.signature(), SignatureVersion::Acs3);
}

#[test]
fn open_refuses_a_corrupt_file_and_a_non_loopback_http_endpoint() {
    let (dir, profiles) = temp_profiles();
    let env = bare_env(dir.path());
    std::fs::write(profiles.path(), "{\"version\":1,").unwrap();
    let named = SessionOverrides {
        profile: Some("work".into()),
        ..SessionOverrides::default()
    };
    let err = Session::open(&named, &profiles, &env).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert!(
        err.message.contains(&profiles.path().display().to_string()),
        "{}",
        err.message
    );
    assert_eq!(err.hint, Some(Hint::new(HintKey::FixProfilesFile)));
    assert_eq!(
        std::fs::read_to_string(profiles.path()).unwrap(),
        "{\"version\":1,"
    );

    let (dir, profiles) = temp_profiles();
    let lan = SessionOverrides {
        endpoint: Some("http://10.1.2.3:80".into()),
        ..SessionOverrides::default()
    };
    let err = Session::open(&lan, &profiles, &bare_env(dir.path())).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("only allowed for 127.0.0.1"),
        "{}",
        err.message
    );
}

#[test]
fn open_named_knows_the_sandbox_and_refuses_unknown_names() {
    let (dir, profiles) = temp_profiles();
    let env = bare_env(dir.path());
    let err = Session::open_named(SANDBOX_PROFILE, None, &profiles, &env).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(err.hint, Some(Hint::new(HintKey::SandboxNotRunning)));

    let access = SandboxAccess {
        endpoint: "http://127.0.0.1:41234".into(),
        key: demo_key("admin"),
    };
    let s = Session::open_named(SANDBOX_PROFILE, Some(&access), &profiles, &env).unwrap();
    assert_eq!(
        s.settings.endpoint.as_deref(),
        Some("http://127.0.0.1:41234")
    );
    assert!(!s.settings.stored);

    let err = Session::open_named("nobody", Some(&access), &profiles, &env).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(err.message, "no AppSnap profile 'nobody'");
    assert_eq!(err.hint, Some(Hint::new(HintKey::ListProfiles)));
}

#[test]
fn a_profile_that_exists_nowhere_says_how_to_create_it() {
    let not_found = AcsError::Credentials(CredentialsError::NotFound(
        "keyring: no AccessKey for profile 'work'".into(),
    ));
    let resolve = |profile: Option<&str>, stored: bool| Settings {
        profile: profile.map(Into::into),
        stored,
        region: None,
        endpoint: None,
        signature: SignatureVersion::Acs3,
        network: Network::Public,
    };
    let e = resolve(Some("work"), false).app_error(&not_found);
    assert_eq!(e.code, ErrorCode::AuthFailed);
    let hint = e.hint.unwrap();
    assert_eq!(
        hint,
        Hint::new(HintKey::CreateProfile).with("profile", "work")
    );
    assert_eq!(
        hint.english(),
        "there is no AppSnap profile 'work' (see `appsnap profile list`); \
         create it with `appsnap profile add work --access-key-id ID`"
    );
    // A stored profile without a key, or no profile at all: the generic hint.
    for s in [resolve(Some("work"), true), resolve(None, false)] {
        assert_eq!(
            s.app_error(&not_found).hint,
            Some(Hint::new(HintKey::CheckAccessKey)),
            "{s:?}"
        );
    }
}

#[test]
fn the_current_profile_starts_at_the_sandbox_and_switches_to_stored_ones() {
    let (_dir, profiles) = temp_profiles();
    profiles.store().insert(Profile::new("work")).unwrap();
    let current = CurrentProfile::default();
    assert_eq!(current.name(), SANDBOX_PROFILE);
    assert!(current.is_sandbox());
    let err = current.select("nobody", &profiles).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(current.name(), SANDBOX_PROFILE, "unchanged after a refusal");
    current.select("work", &profiles).unwrap();
    assert_eq!(current.name(), "work");
    assert!(!current.is_sandbox());
    current.select(SANDBOX_PROFILE, &profiles).unwrap();
    assert_eq!(current.name(), SANDBOX_PROFILE);
}
