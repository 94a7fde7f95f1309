//! Profile kinds, the current-profile file, the aliyun CLI listing and the IPC input:
//! everything that needs no keyring.

use std::fs;

use acs_openapi::credentials::{Env, KeyringSecret};
use acs_openapi::Sensitive;

use super::*;

fn role(arn: &str, session: &str, seconds: u32) -> ProfileKind {
    ProfileKind::RamRoleArn {
        role_arn: arn.into(),
        role_session_name: session.into(),
        duration_seconds: seconds,
    }
}

fn secret(token: Option<&str>) -> KeyringSecret {
    KeyringSecret {
        key: AccessKey {
            id: "LTAI5tExample".into(),
            secret: Sensitive::new("s3cr3t".into()),
        },
        security_token: token.map(|t| Sensitive::new(t.to_owned())),
    }
}

#[test]
fn kinds_are_written_only_when_not_an_access_key_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProfileStore::new(dir.path());
    store
        .insert(Profile {
            kind: role("acs:ram::1688000000000001:role/ops", "appsnap", 3600),
            ..Profile::new("ops")
        })
        .unwrap();
    store
        .insert(Profile {
            kind: ProfileKind::StsToken,
            ..Profile::new("temp")
        })
        .unwrap();
    store.insert(Profile::new("plain")).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.path()).unwrap()).unwrap();
    assert_eq!(
        v["profiles"],
        serde_json::json!([
            {"name": "ops", "kind": {"type": "ramRoleArn", "roleArn": "acs:ram::1688000000000001:role/ops",
              "roleSessionName": "appsnap", "durationSeconds": 3600}, "signature": "acs3", "network": "public"},
            {"name": "plain", "signature": "acs3", "network": "public"},
            {"name": "temp", "kind": {"type": "stsToken"}, "signature": "acs3", "network": "public"},
        ])
    );
    let loaded = store.load().unwrap();
    assert_eq!(
        loaded[0].kind,
        role("acs:ram::1688000000000001:role/ops", "appsnap", 3600)
    );
    assert_eq!(loaded[1].kind, ProfileKind::AccessKey);
    assert_eq!(loaded[2].kind, ProfileKind::StsToken);
}

#[test]
fn a_file_from_before_kinds_reads_as_access_key_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProfileStore::new(dir.path());
    let old = "{\"version\":1,\"profiles\":[{\"name\":\"work\",\"region\":\"cn-hangzhou\",\"signature\":\"v1\",\"network\":\"public\"}]}";
    fs::write(store.path(), old).unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded[0].kind, ProfileKind::AccessKey);
    assert_eq!(loaded[0].region.as_deref(), Some("cn-hangzhou"));
}

#[test]
fn unknown_kinds_and_fields_in_a_kind_are_refused_and_the_file_kept() {
    let cases = [
        (r#"{"type":"oidc"}"#, "unknown variant `oidc`"),
        (
            r#"{"type":"stsToken","securityToken":"x"}"#,
            "unknown field `securityToken`",
        ),
        (
            r#"{"type":"ramRoleArn","roleArn":"acs:ram::1:role/r","roleSessionName":"ab","durationSeconds":900,"accessKeySecret":"x"}"#,
            "unknown field `accessKeySecret`",
        ),
        (
            r#"{"type":"ramRoleArn","roleArn":"acs:ram::1:role/r"}"#,
            "missing field",
        ),
        (
            r#"{"type":"ramRoleArn","roleArn":"acs:ram::1:role/r","roleSessionName":"ab","durationSeconds":60}"#,
            "session duration 60 s",
        ),
        ("\"accessKey\"", "invalid type"),
    ];
    for (kind, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        let text = format!("{{\"version\":1,\"profiles\":[{{\"name\":\"a\",\"kind\":{kind}}}]}}");
        fs::write(store.path(), &text).unwrap();
        for err in [
            store.load().unwrap_err(),
            store.insert(Profile::new("b")).unwrap_err(),
        ] {
            assert!(
                matches!(err, ProfileError::Corrupt { .. }),
                "{kind}: {err:?}"
            );
            assert!(err.to_string().contains(expected), "{kind}: {err}");
        }
        assert_eq!(fs::read_to_string(store.path()).unwrap(), text);
    }
}

#[test]
fn role_settings_are_validated() {
    for ok in [
        role("acs:ram::1688000000000001:role/AppSnapOps", "appsnap", 900),
        role("acs:ram::123:role/a.b-c_d", "me@example.com", 43200),
    ] {
        ok.validate().unwrap_or_else(|e| panic!("{ok:?}: {e}"));
    }
    for (kind, expected) in [
        (
            role("arn:aws:iam::1:role/r", "appsnap", 3600),
            "role ARN 'arn:aws:iam::1:role/r'",
        ),
        (role("acs:ram::12ab:role/r", "appsnap", 3600), "role ARN"),
        (role("acs:ram::1:role/", "appsnap", 3600), "role ARN"),
        (role("acs:ram::1:user/r", "appsnap", 3600), "role ARN"),
        (
            role("acs:ram::1:role/r", "a", 3600),
            "role session name 'a'",
        ),
        (
            role("acs:ram::1:role/r", "has space", 3600),
            "role session name",
        ),
        (
            role("acs:ram::1:role/r", &"x".repeat(65), 3600),
            "role session name",
        ),
        (
            role("acs:ram::1:role/r", "appsnap", 899),
            "session duration 899 s",
        ),
        (
            role("acs:ram::1:role/r", "appsnap", 43201),
            "use 900 to 43200 seconds",
        ),
    ] {
        let err = Profile {
            kind: kind.clone(),
            ..Profile::new("p")
        }
        .validate()
        .unwrap_err();
        assert!(matches!(err, ProfileError::Invalid(_)), "{kind:?}");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(err.to_string().starts_with("profile 'p': "), "{err}");
    }
}

#[test]
fn each_kind_needs_exactly_its_secret_parts() {
    ProfileKind::AccessKey
        .validate_secret(&secret(None))
        .unwrap();
    ProfileKind::StsToken
        .validate_secret(&secret(Some("CAIS-token")))
        .unwrap();
    role("acs:ram::1:role/r", "appsnap", 3600)
        .validate_secret(&secret(None))
        .unwrap();
    for (kind, s, expected) in [
        (
            ProfileKind::StsToken,
            secret(None),
            "needs its security token",
        ),
        (
            ProfileKind::StsToken,
            secret(Some("has space")),
            "security token: 1 to 8192",
        ),
        (
            ProfileKind::AccessKey,
            secret(Some("tok")),
            "only STS token profiles",
        ),
        (
            role("acs:ram::1:role/r", "appsnap", 3600),
            secret(Some("tok")),
            "only STS token profiles",
        ),
    ] {
        let err = kind.validate_secret(&s).unwrap_err();
        assert!(matches!(err, ProfileError::Invalid(_)), "{kind:?}");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(
            !err.to_string().contains("has space"),
            "the token leaked: {err}"
        );
    }
}

#[test]
fn a_role_profile_assumes_its_role_for_its_duration() {
    let p = role("acs:ram::1:role/r", "desk", 7200)
        .assume_role_params()
        .unwrap();
    assert_eq!(
        (
            p.role_arn.as_str(),
            p.role_session_name.as_str(),
            p.duration_seconds
        ),
        ("acs:ram::1:role/r", "desk", Some(7200))
    );
    assert!(ProfileKind::StsToken.assume_role_params().is_none());
}

fn unreached_keyring(dir: &std::path::Path) -> Profiles {
    // Nothing in these tests reaches the keyring.
    Profiles::new(dir, KeyringStore::new("appsnap-test-unreached"))
}

#[test]
fn the_current_profile_is_saved_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = unreached_keyring(dir.path());
    profiles.store().insert(Profile::new("work")).unwrap();
    let app_dir = dir.path().join("app");

    let first = CurrentProfile::open(&app_dir, &profiles);
    assert_eq!(first.name(), SANDBOX_PROFILE, "first launch");
    assert!(!app_dir.join(CurrentProfile::FILE_NAME).exists());
    first.select("work", &profiles).unwrap();
    let text = fs::read_to_string(app_dir.join(CurrentProfile::FILE_NAME)).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        serde_json::json!({"version": 1, "profile": "work"})
    );
    assert_eq!(CurrentProfile::open(&app_dir, &profiles).name(), "work");

    // A refused switch changes neither the choice nor the file.
    let err = first.select("nobody", &profiles).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(
        fs::read_to_string(app_dir.join(CurrentProfile::FILE_NAME)).unwrap(),
        text
    );

    // Removing the current profile goes back to the Sandbox, saved.
    assert!(!first.forget("other").unwrap());
    assert!(first.forget("work").unwrap());
    assert_eq!(first.name(), SANDBOX_PROFILE);
    assert_eq!(
        CurrentProfile::open(&app_dir, &profiles).name(),
        SANDBOX_PROFILE
    );
    let names: Vec<_> = fs::read_dir(&app_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [CurrentProfile::FILE_NAME], "no temporary file left");
}

#[test]
fn a_stale_or_broken_choice_falls_back_to_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = unreached_keyring(dir.path());
    profiles.store().insert(Profile::new("work")).unwrap();
    let file = dir.path().join(CurrentProfile::FILE_NAME);
    for text in [
        r#"{"version":1,"profile":"gone"}"#,
        r#"{"version":2,"profile":"work"}"#,
        r#"{"version":1,"profile":"work","extra":1}"#,
        "not json",
    ] {
        fs::write(&file, text).unwrap();
        assert_eq!(
            CurrentProfile::open(dir.path(), &profiles).name(),
            SANDBOX_PROFILE,
            "{text}"
        );
    }
    fs::write(&file, r#"{"version":1,"profile":"work"}"#).unwrap();
    assert_eq!(CurrentProfile::open(dir.path(), &profiles).name(), "work");
}

const CLI_FILE: &str = r#"{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "LTAIdefault", "access_key_secret": "cli-secret-1", "region_id": "cn-hangzhou"},
    {"name": "temp", "mode": "StsToken", "access_key_id": "STS.temp", "access_key_secret": "cli-secret-2", "sts_token": "cli-token-2"},
    {"name": "ops", "mode": "RamRoleArn", "access_key_id": "LTAIsource", "access_key_secret": "cli-secret-3",
     "ram_role_arn": "acs:ram::1688000000000001:role/ops", "ram_session_name": "cli", "expired_seconds": 1800},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "r"},
    {"name": "half", "mode": "AK", "access_key_id": "LTAIhalf"},
    {"name": "taken", "mode": "AK", "access_key_id": "LTAItaken", "access_key_secret": "cli-secret-4"},
    {"name": "sandbox", "mode": "AK", "access_key_id": "LTAIsb", "access_key_secret": "cli-secret-5"}
  ]
}"#;

#[test]
fn the_cli_listing_names_what_each_profile_is_and_never_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = unreached_keyring(&dir.path().join("appsnap"));
    profiles.store().insert(Profile::new("taken")).unwrap();
    let cli = dir.path().join("aliyun.json");
    fs::write(&cli, CLI_FILE).unwrap();
    let env = Env::fake([("ALIBABA_CLOUD_CONFIG_FILE", cli.to_str().unwrap())], None);
    let listing = profiles.cli_import_listing(&env).unwrap();
    assert!(listing.found);
    assert_eq!(listing.path, cli.display().to_string());
    let json = serde_json::to_value(&listing).unwrap();
    for n in 1..=5 {
        assert!(
            !json.to_string().contains(&format!("cli-secret-{n}")),
            "{json}"
        );
    }
    assert!(!json.to_string().contains("cli-token"), "{json}");
    assert_eq!(
        json["profiles"][0],
        serde_json::json!({"name": "default", "mode": "AK", "region": "cn-hangzhou", "accessKeyId": "LTAIdefault"})
    );
    assert_eq!(
        json["profiles"][2],
        serde_json::json!({"name": "ops", "mode": "RamRoleArn", "accessKeyId": "LTAIsource",
          "roleArn": "acs:ram::1688000000000001:role/ops"})
    );
    let problems: Vec<_> = listing
        .profiles
        .iter()
        .map(|p| (p.name.as_str(), p.problem.clone().unwrap_or_default()))
        .collect();
    assert_eq!(problems[1], ("temp", String::new()));
    assert!(
        problems[3].1.contains("mode EcsRamRole cannot be imported"),
        "{problems:?}"
    );
    assert!(
        problems[4]
            .1
            .contains("lacks access_key_id or access_key_secret"),
        "{problems:?}"
    );
    assert!(
        problems[5].1.contains("profile 'taken' already exists"),
        "{problems:?}"
    );
    assert!(problems[6].1.contains("built-in profile"), "{problems:?}");

    // Asking for one that cannot be imported imports nothing (and reaches no keyring).
    let err = profiles
        .import_cli(&env, &["default".into(), "ecs".into()])
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("profile 'ecs': mode EcsRamRole"),
        "{}",
        err.message
    );
    let err = profiles.import_cli(&env, &["nope".into()]).unwrap_err();
    assert!(err.message.contains("no profile 'nope'"), "{}", err.message);
    assert!(profiles.import_cli(&env, &[]).is_err());
    assert_eq!(
        profiles.store().load().unwrap(),
        vec![Profile::new("taken")]
    );
}

#[test]
fn no_cli_file_is_an_empty_listing_that_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = unreached_keyring(dir.path());
    let env = Env::fake(
        Vec::<(String, String)>::new(),
        Some(dir.path().to_path_buf()),
    );
    let listing = profiles.cli_import_listing(&env).unwrap();
    assert!(!listing.found);
    assert!(listing.profiles.is_empty());
    assert_eq!(
        listing.path,
        dir.path().join(".aliyun/config.json").display().to_string()
    );
    fs::create_dir_all(dir.path().join(".aliyun")).unwrap();
    fs::write(dir.path().join(".aliyun/config.json"), "{broken").unwrap();
    let err = profiles.cli_import_listing(&env).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("is not valid"), "{}", err.message);
}

#[test]
fn the_form_input_reads_secrets_into_sensitive_and_refuses_extras() {
    let input: ProfileInput = serde_json::from_value(serde_json::json!({
        "profile": {"name": "temp", "kind": {"type": "stsToken"}},
        "secret": {"accessKeyId": "STS.id", "accessKeySecret": "form-secret", "securityToken": "form-token"}
    }))
    .unwrap();
    let printed = format!("{input:?}");
    assert!(
        !printed.contains("form-secret") && !printed.contains("form-token"),
        "{printed}"
    );
    let secret = KeyringSecret::from(input.secret.unwrap());
    assert_eq!(secret.key.secret.expose(), "form-secret");
    assert_eq!(secret.security_token.unwrap().expose(), "form-token");

    let empty_token: ProfileInput = serde_json::from_value(serde_json::json!({
        "profile": {"name": "p"},
        "secret": {"accessKeyId": "LTAI", "accessKeySecret": "s", "securityToken": ""}
    }))
    .unwrap();
    assert!(KeyringSecret::from(empty_token.secret.unwrap())
        .security_token
        .is_none());

    let extra = serde_json::from_value::<ProfileInput>(serde_json::json!({
        "profile": {"name": "p"}, "secret": {"accessKeyId": "a", "accessKeySecret": "b", "other": 1}
    }));
    assert!(extra
        .unwrap_err()
        .to_string()
        .contains("unknown field `other`"));

    // Adding without a secret is refused before anything is written.
    let dir = tempfile::tempdir().unwrap();
    let profiles = unreached_keyring(dir.path());
    let err = profiles
        .add_input(ProfileInput {
            profile: Profile::new("p"),
            secret: None,
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("needs its AccessKey ID and secret"),
        "{err}"
    );
    assert!(!profiles.path().exists());
}

#[test]
fn editing_checks_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = unreached_keyring(dir.path());
    profiles.store().insert(Profile::new("work")).unwrap();
    let before = fs::read_to_string(profiles.path()).unwrap();
    let cases = [
        (Profile::new("nobody"), None, "no AppSnap profile 'nobody'"),
        (
            Profile {
                kind: ProfileKind::StsToken,
                ..Profile::new("work")
            },
            None,
            "needs the AccessKey and security token entered again",
        ),
        (
            Profile {
                kind: ProfileKind::StsToken,
                ..Profile::new("work")
            },
            Some(secret(None)),
            "needs its security token",
        ),
        (
            Profile {
                region: Some("Bad Region".into()),
                ..Profile::new("work")
            },
            None,
            "region 'Bad Region'",
        ),
    ];
    for (profile, s, expected) in cases {
        let err = profiles.update(profile, s.as_ref()).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert_eq!(fs::read_to_string(profiles.path()).unwrap(), before);

    // Settings alone change without the keyring; a role profile keeps the same key.
    let ops = Profile {
        kind: role("acs:ram::1:role/r", "appsnap", 3600),
        region: Some("cn-beijing".into()),
        ..Profile::new("work")
    };
    profiles.update(ops.clone(), None).unwrap();
    assert_eq!(profiles.get("work").unwrap(), Some(ops));
}
