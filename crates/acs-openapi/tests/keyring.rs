//! The OS keyring, for real (kernel keyutils). Runs only when APPSNAP_KEYRING_TESTS=1,
//! i.e. inside `scripts/with-keyring.sh` (which gives the process its own session
//! keyring via `keyctl session -`); otherwise each test says why it skipped.

use acs_openapi::credentials::{
    default_chain, AccessKey, ChainOptions, Env, KeyringStore, ProvideCredentials,
};
use acs_openapi::Sensitive;

fn enabled() -> bool {
    if std::env::var("APPSNAP_KEYRING_TESTS").as_deref() == Ok("1") {
        true
    } else {
        eprintln!("skipped: set APPSNAP_KEYRING_TESTS=1 and run under `keyctl session -` (scripts/with-keyring.sh)");
        false
    }
}

fn unique_store() -> KeyringStore {
    KeyringStore::new(format!("appsnap-test-{}", uuid::Uuid::new_v4()))
}

#[test]
fn keyring_save_load_delete_round_trip() {
    if !enabled() {
        return;
    }
    let store = unique_store();
    assert!(store.load("work").unwrap().is_none());
    let key = AccessKey {
        id: "LTAI-keyring-id".into(),
        secret: Sensitive::new("keyring-secret-value".into()),
    };
    store.save("work", &key).unwrap();
    // A second store object reads what the first one wrote.
    let again = KeyringStore::new(store_service(&store));
    let loaded = again.load("work").unwrap().expect("saved entry");
    assert_eq!(loaded.id, "LTAI-keyring-id");
    assert_eq!(loaded.secret.expose(), "keyring-secret-value");
    assert!(again.load("other").unwrap().is_none());
    assert!(store.delete("work").unwrap());
    assert!(store.load("work").unwrap().is_none());
    assert!(!store.delete("work").unwrap());
}

#[tokio::test]
async fn keyring_profile_wins_in_the_chain() {
    if !enabled() {
        return;
    }
    let store = unique_store();
    store
        .save(
            "prod",
            &AccessKey {
                id: "LTAI-prod".into(),
                secret: Sensitive::new("prod-secret".into()),
            },
        )
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

    // An unknown profile falls through to the next provider.
    let chain = default_chain(ChainOptions {
        env,
        profile: Some("missing".into()),
        keyring: Some(store.clone()),
        ..Default::default()
    });
    assert_eq!(chain.provide().await.unwrap().provider, "environment");
    store.delete("prod").unwrap();
}

fn store_service(store: &KeyringStore) -> String {
    store.service().to_string()
}
