//! The OS keyring, for real: the Secret Service of a throwaway, unlocked gnome-keyring.
//! Tests that use it run only when APPSNAP_KEYRING_TESTS=1, i.e. inside
//! `scripts/with-keyring.sh` (a private D-Bus session whose gnome-keyring keeps its files
//! under `$XDG_DATA_HOME/keyrings`). Otherwise, on a developer's machine each says why it
//! skipped; in CI (`CI` set) each fails, so a plain `cargo test` there is never a false green.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use acs_openapi::credentials::{
    default_chain, AccessKey, ChainOptions, Env, KeyringProfileProvider, KeyringSecret,
    KeyringStore, ProvideCredentials,
};
use acs_openapi::{CredentialsError, Sensitive};

use test_support::keyring_gate::enabled;

fn unique_store() -> KeyringStore {
    KeyringStore::new(format!("appsnap-test-{}", uuid::Uuid::new_v4()))
}

fn key(id: &str, secret: &str) -> AccessKey {
    AccessKey {
        id: id.into(),
        secret: Sensitive::new(secret.into()),
    }
}

#[test]
fn keyring_save_overwrite_load_delete_round_trip() {
    if !enabled() {
        return;
    }
    let store = unique_store();
    assert!(store.load("work").unwrap().is_none());
    store
        .save("work", &key("LTAI-keyring-id", "keyring-secret-value"))
        .unwrap();
    // Another store object (so a fresh keyring entry) reads what the first one wrote.
    let again = KeyringStore::new(store.service());
    let loaded = again.load("work").unwrap().expect("saved entry");
    assert_eq!(loaded.id, "LTAI-keyring-id");
    assert_eq!(loaded.secret.expose(), "keyring-secret-value");
    assert!(again.load("other").unwrap().is_none());

    // Saving again replaces the pair instead of adding a second, ambiguous entry.
    store
        .save("work", &key("LTAI-rotated-id", "rotated-secret"))
        .unwrap();
    let loaded = again.load("work").unwrap().expect("overwritten entry");
    assert_eq!(
        (loaded.id.as_str(), loaded.secret.expose().as_str()),
        ("LTAI-rotated-id", "rotated-secret")
    );

    assert!(store.delete("work").unwrap());
    assert!(again.load("work").unwrap().is_none());
    assert!(!store.delete("work").unwrap());
}

#[tokio::test]
async fn an_sts_token_is_kept_with_its_key_and_signs_with_it() {
    if !enabled() {
        return;
    }
    let store = unique_store();
    let secret = KeyringSecret {
        key: key("STS.keyring-id", "sts-secret-value"),
        security_token: Some(Sensitive::new("sts-token-value".into())),
    };
    store.save_secret("temp", &secret).unwrap();
    let loaded = store.load_secret("temp").unwrap().expect("saved entry");
    assert_eq!(loaded.key.id, "STS.keyring-id");
    assert_eq!(loaded.security_token.unwrap().expose(), "sts-token-value");
    let c = KeyringProfileProvider::new(store.clone(), "temp")
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_secret.expose(), "sts-secret-value");
    assert_eq!(c.security_token.unwrap().expose(), "sts-token-value");

    // Replacing it with a plain AccessKey drops the token.
    store
        .save("temp", &key("LTAI-plain", "plain-secret"))
        .unwrap();
    assert!(store
        .load_secret("temp")
        .unwrap()
        .unwrap()
        .security_token
        .is_none());
    assert!(store.delete("temp").unwrap());
}

#[tokio::test]
async fn keyring_profile_wins_in_the_chain() {
    if !enabled() {
        return;
    }
    let store = unique_store();
    store
        .save("prod", &key("LTAI-prod", "prod-secret"))
        .unwrap();
    let env = Env::fake(
        [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ],
        None,
    );
    let chain = default_chain(ChainOptions {
        env: env.clone(),
        profile: Some("prod".into()),
        keyring: Some(store.clone()),
        ..Default::default()
    });
    let c = chain.provide().await.unwrap();
    assert_eq!(
        (c.access_key_id.as_str(), c.provider),
        ("LTAI-prod", "profile")
    );

    // A profile in no keyring or file is an error, never a silent switch to the
    // environment's keys.
    let chain = default_chain(ChainOptions {
        env,
        profile: Some("missing".into()),
        keyring: Some(store.clone()),
        ..Default::default()
    });
    let err = chain.provide().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound(_)), "{err}");
    assert!(
        err.to_string()
            .contains("no AppSnap profile 'missing' in the OS keyring"),
        "{err}"
    );
    store.delete("prod").unwrap();
}

/// Every file under gnome-keyring's data directory, with its bytes.
fn keyring_files() -> HashMap<PathBuf, Vec<u8>> {
    let dir =
        PathBuf::from(std::env::var_os("XDG_DATA_HOME").expect("XDG_DATA_HOME")).join("keyrings");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn saved_keys_reach_the_disk_encrypted() {
    if !enabled() {
        return;
    }
    let before = keyring_files();
    let store = unique_store();
    let (id, secret) = (
        format!("LTAI-disk-{}", uuid::Uuid::new_v4().simple()),
        format!("disk-secret-{}", uuid::Uuid::new_v4().simple()),
    );
    store.save("disk", &key(&id, &secret)).unwrap();

    // gnome-keyring writes the collection file after the change; wait for it.
    let deadline = Instant::now() + Duration::from_secs(5);
    let after = loop {
        let now = keyring_files();
        if now.iter().any(|(p, bytes)| before.get(p) != Some(bytes)) {
            break now;
        }
        assert!(
            Instant::now() < deadline,
            "no keyring file changed after the save: the key is not persisted"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    for (path, bytes) in &after {
        assert!(!contains(bytes, &secret), "secret in plaintext in {path:?}");
        assert!(
            !contains(bytes, &id),
            "AccessKey id in plaintext in {path:?}"
        );
    }
    assert!(store.delete("disk").unwrap());
}

/// With no Secret Service on the bus, the error says what to install or unlock. Runs
/// always: the test re-runs itself in a child process whose bus address points nowhere.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
#[test]
fn an_unreachable_secret_service_says_what_to_do() {
    const NAME: &str = "an_unreachable_secret_service_says_what_to_do";
    if std::env::var_os("APPSNAP_KEYRING_CHILD").is_some() {
        let err = unique_store().load("any").unwrap_err();
        assert!(
            matches!(err, CredentialsError::KeyringUnavailable { .. }),
            "{err:?}"
        );
        println!("child error: {err}");
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([NAME, "--exact", "--nocapture"])
        .env("APPSNAP_KEYRING_CHILD", "1")
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
        stdout.contains(
            "child error: no keyring service is running: install/unlock gnome-keyring or KWallet"
        ),
        "{stdout}"
    );
}
