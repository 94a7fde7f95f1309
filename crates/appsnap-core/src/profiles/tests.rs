use std::fs;

use super::*;
use crate::hint::{Hint, HintKey};

fn temp_store() -> (tempfile::TempDir, ProfileStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = ProfileStore::new(dir.path());
    (dir, store)
}

fn full(name: &str) -> Profile {
    Profile {
        name: name.into(),
        kind: ProfileKind::AccessKey,
        region: Some("cn-shanghai".into()),
        signature: ProfileSignature::V1,
        endpoint: Some("http://127.0.0.1:41234".into()),
        network: ProfileNetwork::Vpc,
    }
}

#[test]
fn round_trip_through_the_file() {
    let (_dir, store) = temp_store();
    assert!(
        store.load().unwrap().is_empty(),
        "no file means no profiles"
    );
    store.insert(full("work")).unwrap();
    store.insert(Profile::new("Alpha.1_x-y")).unwrap();

    // A fresh store object reads what was written, sorted by name.
    let again = ProfileStore::new(store.path().parent().unwrap());
    assert_eq!(
        again.load().unwrap(),
        vec![Profile::new("Alpha.1_x-y"), full("work")]
    );
    assert_eq!(again.get("work").unwrap(), Some(full("work")));
    assert_eq!(again.get("nope").unwrap(), None);

    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.path()).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(
        v["profiles"][1],
        serde_json::json!({
            "name": "work",
            "region": "cn-shanghai",
            "signature": "v1",
            "endpoint": "http://127.0.0.1:41234",
            "network": "vpc"
        })
    );
    // Defaults are written out too, so the file says what is used.
    assert_eq!(
        v["profiles"][0],
        serde_json::json!({"name": "Alpha.1_x-y", "signature": "acs3", "network": "public"})
    );

    assert_eq!(store.remove("work").unwrap(), Some(full("work")));
    assert_eq!(store.remove("work").unwrap(), None);
    assert_eq!(again.load().unwrap(), vec![Profile::new("Alpha.1_x-y")]);
}

#[test]
fn a_taken_name_is_refused_and_the_first_profile_kept() {
    let (_dir, store) = temp_store();
    store.insert(full("work")).unwrap();
    let err = store.insert(Profile::new("work")).unwrap_err();
    assert!(
        matches!(err, ProfileError::Exists(ref n) if n == "work"),
        "{err}"
    );
    assert_eq!(store.get("work").unwrap(), Some(full("work")));
}

#[test]
fn names_are_validated() {
    for good in ["a", "work", "prod-hk.2_b", &"x".repeat(64)] {
        validate_name(good).unwrap_or_else(|e| panic!("{good}: {e}"));
    }
    for bad in [
        "",
        &"x".repeat(65),
        "a b",
        "a/b",
        "快照",
        "x:y",
        "a\n",
        "-é",
    ] {
        let err = validate_name(bad).unwrap_err();
        assert!(matches!(err, ProfileError::Invalid(_)), "{bad}");
        assert!(err.to_string().contains("1 to 64 characters"), "{err}");
    }
}

#[test]
fn settings_are_validated_before_anything_is_written() {
    let (_dir, store) = temp_store();
    let cases = [
        (
            Profile {
                endpoint: Some("http://10.0.0.5:8080".into()),
                ..Profile::new("lan")
            },
            "only allowed for 127.0.0.1",
        ),
        (
            Profile {
                endpoint: Some("ftp://example.com".into()),
                ..Profile::new("ftp")
            },
            "unsupported scheme",
        ),
        (
            Profile {
                endpoint: Some("https://ecs.example.com/some/path".into()),
                ..Profile::new("path")
            },
            "no path or query",
        ),
        (
            Profile {
                region: Some("CN Hangzhou".into()),
                ..Profile::new("reg")
            },
            "region 'CN Hangzhou'",
        ),
        (Profile::new("bad name"), "profile name 'bad name'"),
    ];
    for (profile, expected) in cases {
        let err = store.insert(profile.clone()).unwrap_err();
        assert!(matches!(err, ProfileError::Invalid(_)), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert!(!store.path().exists(), "nothing may be written");

    // The endpoint rules are acs-openapi's: https anywhere, http on loopback.
    for ok in [
        "https://ecs.example.com",
        "http://localhost:9000",
        "http://[::1]:1",
    ] {
        Profile {
            endpoint: Some(ok.into()),
            ..Profile::new("ok")
        }
        .validate()
        .unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
}

#[test]
fn access_keys_are_validated() {
    let key = |id: &str, secret: &str| AccessKey {
        id: id.into(),
        secret: acs_openapi::Sensitive::new(secret.into()),
    };
    validate_access_key(&key("LTAI5tExample", "s3cr3t")).unwrap();
    for (id, secret, field) in [
        ("", "s", "AccessKey ID"),
        ("has space", "s", "AccessKey ID"),
        ("id", "", "AccessKey secret"),
        ("id", "two\nlines", "AccessKey secret"),
    ] {
        let err = validate_access_key(&key(id, secret)).unwrap_err();
        assert!(err.to_string().starts_with(field), "{err}");
        assert!(!err.to_string().contains("two"), "the secret leaked: {err}");
    }
}

/// Every corrupt file is an error naming the file and what is wrong, and stays exactly
/// as it was, even when a write is attempted.
#[test]
fn a_corrupt_file_is_an_error_and_is_never_rewritten() {
    let cases = [
        ("{\"version\":1,\"profiles\":[", "not valid JSON"),
        ("", "not valid JSON"),
        ("[]", "no \"version\""),
        ("{\"version\":2,\"profiles\":[]}", "format version 2"),
        ("{\"version\":1}", "missing field `profiles`"),
        (
            "{\"version\":1,\"profiles\":[{\"name\":\"a\",\"signature\":\"v9\"}]}",
            "unknown variant `v9`",
        ),
        (
            "{\"version\":1,\"profiles\":[{\"name\":\"a\",\"accessKeySecret\":\"x\"}]}",
            "unknown field `accessKeySecret`",
        ),
        (
            "{\"version\":1,\"profiles\":[{\"name\":\"a b\"}]}",
            "profile name 'a b'",
        ),
        (
            "{\"version\":1,\"profiles\":[{\"name\":\"a\",\"endpoint\":\"http://example.com\"}]}",
            "only allowed for 127.0.0.1",
        ),
        (
            "{\"version\":1,\"profiles\":[{\"name\":\"a\"},{\"name\":\"a\"}]}",
            "'a' appears twice",
        ),
    ];
    for (text, expected) in cases {
        let (_dir, store) = temp_store();
        fs::write(store.path(), text).unwrap();
        for err in [
            store.load().unwrap_err(),
            store.insert(Profile::new("new")).unwrap_err(),
            store.remove("a").unwrap_err(),
        ] {
            assert!(
                matches!(err, ProfileError::Corrupt { .. }),
                "{text}: {err:?}"
            );
            let msg = err.to_string();
            assert!(msg.contains(&store.path().display().to_string()), "{msg}");
            assert!(msg.contains(expected), "{text}: {msg}");
        }
        assert_eq!(fs::read_to_string(store.path()).unwrap(), text);
        let app = AppError::from(&store.load().unwrap_err());
        assert_eq!(app.code, ErrorCode::Internal);
        let hint = app.hint.unwrap();
        assert_eq!(hint, Hint::new(HintKey::FixProfilesFile));
        assert!(hint.english().contains("move it away"));
    }
}

#[test]
fn an_unreadable_path_is_an_io_error_not_an_empty_list() {
    let (_dir, store) = temp_store();
    fs::create_dir(store.path()).unwrap();
    let err = store.load().unwrap_err();
    assert!(matches!(err, ProfileError::Io { .. }), "{err:?}");
}

#[test]
fn signature_and_network_parse_and_convert() {
    assert_eq!("v1".parse(), Ok(ProfileSignature::V1));
    assert_eq!("ACS3".parse(), Ok(ProfileSignature::Acs3));
    assert!("v2".parse::<ProfileSignature>().is_err());
    assert_eq!(
        SignatureVersion::from(ProfileSignature::V1),
        SignatureVersion::V1
    );
    assert_eq!(ProfileSignature::default(), ProfileSignature::Acs3);
    assert_eq!("vpc".parse(), Ok(ProfileNetwork::Vpc));
    assert!("private".parse::<ProfileNetwork>().is_err());
    assert_eq!(Network::from(ProfileNetwork::Vpc), Network::Vpc);
    assert_eq!(ProfileSignature::V1.to_string(), "v1");
    assert_eq!(ProfileNetwork::Public.to_string(), "public");
}

#[test]
fn key_status_serialises_for_the_ui() {
    let entry = ProfileEntry {
        profile: Profile::new("p"),
        key: ProfileKeyStatus::Stored {
            access_key_id: "LTAI".into(),
        },
    };
    assert_eq!(
        serde_json::to_value(&entry).unwrap(),
        serde_json::json!({
            "profile": {"name": "p", "signature": "acs3", "network": "public"},
            "key": {"state": "stored", "accessKeyId": "LTAI"}
        })
    );
}

#[test]
fn new_profiles_may_not_take_the_sandbox_name() {
    let dir = tempfile::tempdir().unwrap();
    // Refused before the keyring is reached, so no keyring is needed here.
    let profiles = Profiles::new(dir.path(), KeyringStore::new("appsnap-test-unreached"));
    let key = AccessKey {
        id: "LTAI5tExample".into(),
        secret: acs_openapi::Sensitive::new("s3cr3t".into()),
    };
    for name in [SANDBOX_PROFILE, "sandbox", "SANDBOX"] {
        let err = profiles.add(Profile::new(name), &key).unwrap_err();
        assert!(matches!(err, ProfileError::Invalid(_)), "{name}: {err:?}");
        assert!(err.to_string().contains("built-in profile"), "{err}");
    }
    assert!(!profiles.path().exists(), "nothing written");
    assert!(is_sandbox(SANDBOX_PROFILE) && !is_sandbox("sandbox"));
}

#[test]
fn profile_errors_map_to_codes_and_hints() {
    let cases = [
        (
            ProfileError::Exists("work".into()),
            ErrorCode::Conflict,
            Some(Hint::new(HintKey::ProfileExists).with("profile", "work")),
        ),
        (
            ProfileError::NotFound("work".into()),
            ErrorCode::NotFound,
            Some(Hint::new(HintKey::ListProfiles)),
        ),
        (
            ProfileError::Invalid("profile name 'a b': ...".into()),
            ErrorCode::InvalidInput,
            None,
        ),
        (
            ProfileError::Keyring(CredentialsError::KeyringUnavailable {
                message: "no keyring service is running".into(),
            }),
            ErrorCode::KeyringUnavailable,
            Some(Hint::new(HintKey::UnlockKeyring).with("backend", KeyringStore::BACKEND)),
        ),
    ];
    for (err, code, hint) in cases {
        let app = AppError::from(&err);
        assert_eq!(
            (app.code, app.hint, app.message.as_str()),
            (code, hint, err.to_string().as_str()),
            "{err:?}"
        );
    }
}
