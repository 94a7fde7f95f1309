//! Profiles with the real OS keyring (the throwaway gnome-keyring of
//! `scripts/with-keyring.sh`). Like acs-openapi's keyring tests: they run when
//! APPSNAP_KEYRING_TESTS=1, say why they skip on a developer's machine, and fail in CI
//! (`CI` set) without the wrapper.

use std::fs;

use acs_openapi::credentials::{AccessKey, KeyringStore};
use acs_openapi::Sensitive;
use appsnap_core::profiles::{
    Profile, ProfileError, ProfileKeyStatus, ProfileSignature, Profiles, Removed,
};

use test_support::keyring_gate::enabled;

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn key(id: &str, secret: &str) -> AccessKey {
    AccessKey {
        id: id.into(),
        secret: Sensitive::new(secret.into()),
    }
}

#[test]
fn add_list_remove_keeps_the_secret_out_of_profiles_json() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let keyring = KeyringStore::new(format!("appsnap-test-{}", unique()));
    let profiles = Profiles::new(dir.path(), keyring.clone());
    let (id, secret) = (format!("LTAI{}", unique()), format!("secret-{}", unique()));
    let profile = Profile {
        region: Some("cn-beijing".into()),
        signature: ProfileSignature::V1,
        ..Profile::new("work")
    };
    profiles.add(profile.clone(), &key(&id, &secret)).unwrap();

    let text = fs::read_to_string(profiles.path()).unwrap();
    assert!(!text.contains(&secret), "secret in profiles.json:\n{text}");
    assert!(
        !text.contains(&id),
        "AccessKey id in profiles.json:\n{text}"
    );
    assert!(!text.to_ascii_lowercase().contains("secret"), "{text}");
    assert!(text.contains("\"v1\""), "{text}");
    let saved = keyring.load("work").unwrap().expect("key in the keyring");
    assert_eq!(
        (saved.id.as_str(), saved.secret.expose().as_str()),
        (id.as_str(), secret.as_str())
    );

    let listed = profiles.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].profile, profile);
    assert_eq!(
        listed[0].key,
        ProfileKeyStatus::Stored {
            access_key_id: id.clone()
        }
    );
    let json = serde_json::to_string(&listed).unwrap();
    assert!(!json.contains(&secret), "{json}");

    // A second add under the same name changes nothing, key included.
    let err = profiles
        .add(Profile::new("work"), &key("LTAIother", "other-secret"))
        .unwrap_err();
    assert!(matches!(err, ProfileError::Exists(_)), "{err}");
    assert_eq!(keyring.load("work").unwrap().unwrap().id, id);

    // Settings whose key is gone say so.
    keyring.delete("work").unwrap();
    assert_eq!(profiles.list().unwrap()[0].key, ProfileKeyStatus::Missing);
    keyring.save("work", &key(&id, &secret)).unwrap();

    assert_eq!(
        profiles.remove("work").unwrap(),
        Removed {
            settings: true,
            key: true
        }
    );
    assert!(keyring.load("work").unwrap().is_none());
    assert!(profiles.list().unwrap().is_empty());
    let err = profiles.remove("work").unwrap_err();
    assert!(matches!(err, ProfileError::NotFound(_)), "{err}");
}

/// With no keyring on the bus, `add` fails with the keyring's advice and leaves no
/// settings behind. Runs always: the test re-runs itself in a child process whose bus
/// address points nowhere.
#[cfg(target_os = "linux")]
#[test]
fn a_refused_key_leaves_no_half_profile() {
    const NAME: &str = "a_refused_key_leaves_no_half_profile";
    if let Some(dir) = std::env::var_os("APPSNAP_PROFILES_CHILD_DIR") {
        let keyring = KeyringStore::new(format!("appsnap-test-{}", unique()));
        let profiles = Profiles::new(&dir, keyring);
        let err = profiles
            .add(Profile::new("work"), &key("LTAIid", "the-secret"))
            .unwrap_err();
        assert!(matches!(err, ProfileError::Keyring(_)), "{err:?}");
        println!("child error: {err}");
        let listed = profiles.list().unwrap();
        assert!(listed.is_empty(), "{listed:?}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([NAME, "--exact", "--nocapture"])
        .env("APPSNAP_PROFILES_CHILD_DIR", dir.path())
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/appsnap-test-bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("child error: no keyring service is running"),
        "{stdout}"
    );
    // The settings were written, then taken back out.
    let text = fs::read_to_string(dir.path().join("profiles.json")).unwrap();
    assert!(!text.contains("work"), "{text}");
}
