//! `appsnap profile add|list|remove` and `--profile`, end to end: the binary with HOME and
//! XDG_CONFIG_HOME in a temporary directory (the user's config is never touched), the
//! sandbox cloud over HTTP, and the real OS keyring of `scripts/with-keyring.sh`.
//! Tests that need the keyring run when APPSNAP_KEYRING_TESTS=1, say why they skip on a
//! developer's machine, and fail in CI (`CI` set) without the wrapper; the others run
//! always and never reach the keyring.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sandbox_cloud::SandboxOptions;

use test_support::keyring_gate::enabled;

/// A throwaway HOME with its own XDG_CONFIG_HOME.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn config_home(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// Where a debug build of `appsnap` keeps its profiles (see appsnap_core::profiles::config_dir).
    fn profiles_json(&self) -> PathBuf {
        self.config_home().join("appsnap-dev").join("profiles.json")
    }

    fn run(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_appsnap"));
        cmd.args(args)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.config_home())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, _) in std::env::vars() {
            if k.starts_with("ALIBABA")
                || k.starts_with("ALICLOUD")
                || k == "APPSNAP_ENDPOINT"
                || k == "APPSNAP_LOG"
            {
                cmd.env_remove(k);
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        // The child may exit before reading (a usage error); a broken pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                files_under(&p)
            } else {
                vec![p]
            }
        })
        .collect()
}

/// Wrong input is refused before the secret is asked for or anything is written; there
/// is no way to pass the secret as an argument.
#[test]
fn add_refuses_bad_input_before_touching_anything() {
    let home = Home::new();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["profile", "add", "bad name", "--access-key-id", "LTAIx"],
            "s3cret\n",
            "profile name 'bad name'",
        ),
        (
            &[
                "--endpoint",
                "http://10.1.2.3:8080",
                "profile",
                "add",
                "lan",
                "--access-key-id",
                "LTAIx",
            ],
            "s3cret\n",
            "only allowed for 127.0.0.1",
        ),
        (
            &[
                "--region",
                "CN_Hangzhou",
                "profile",
                "add",
                "r",
                "--access-key-id",
                "LTAIx",
            ],
            "s3cret\n",
            "region 'CN_Hangzhou'",
        ),
        (
            &[
                "profile",
                "add",
                "n",
                "--access-key-id",
                "LTAIx",
                "--network",
                "private",
            ],
            "s3cret\n",
            "unknown network 'private'",
        ),
        (
            &["profile", "add", "sandbox", "--access-key-id", "LTAIx"],
            "s3cret\n",
            "Sandbox is the built-in profile of the desktop app",
        ),
        (
            &["profile", "add", "empty", "--access-key-id", "LTAIx"],
            "\n",
            "no AccessKey secret on standard input",
        ),
        (
            &["profile", "add", "nothing", "--access-key-id", "LTAIx"],
            "",
            "no AccessKey secret on standard input",
        ),
        (
            &[
                "profile",
                "add",
                "arg",
                "--access-key-id",
                "LTAIx",
                "--access-key-secret",
                "s3cret",
            ],
            "",
            "unexpected argument '--access-key-secret'",
        ),
        (
            &[
                "--profile",
                "x",
                "profile",
                "add",
                "y",
                "--access-key-id",
                "I",
            ],
            "s3cret\n",
            "not --profile",
        ),
    ];
    for (args, stdin, expected) in cases {
        let r = home.run(args, stdin, &[]);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stderr.contains(expected), "{args:?}: {}", r.stderr);
        assert!(!r.text().contains("s3cret"), "{args:?}: {r:?}");
    }
    assert_eq!(files_under(home.dir.path()), Vec::<PathBuf>::new());
}

/// A broken profiles.json is reported with its path, by `list` and by `--profile`, and
/// left as it was.
#[test]
fn a_corrupt_profiles_file_is_an_error_not_an_empty_list() {
    let home = Home::new();
    let path = home.profiles_json();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = "{\"version\":1,\"profiles\":[{\"name\":\"work\",";
    std::fs::write(&path, text).unwrap();
    let where_ = path.display().to_string();

    let r = home.run(&["profile", "list"], "", &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains(&where_), "{}", r.stderr);
    assert!(r.stderr.contains("not valid JSON"), "{}", r.stderr);
    assert!(r.stderr.contains("hint: fix the file"), "{}", r.stderr);

    let r = home.run(
        &[
            "--profile",
            "work",
            "--endpoint",
            "http://127.0.0.1:9",
            "whoami",
        ],
        "",
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains(&where_), "{}", r.stderr);

    let r = home.run(
        &["profile", "add", "new", "--access-key-id", "LTAIx"],
        "s3cret\n",
        &[],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains(&where_), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// A keyring that cannot be reached does not hide the profiles: each says so.
#[cfg(target_os = "linux")]
#[test]
fn list_works_without_a_keyring_and_says_so() {
    let home = Home::new();
    let path = home.profiles_json();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        r#"{"version":1,"profiles":[{"name":"work","signature":"v1","network":"vpc"}]}"#,
    )
    .unwrap();
    let no_bus = [(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/appsnap-test-bus",
    )];
    let r = home.run(&["profile", "list", "--output", "json"], "", &no_bus);
    assert_eq!(r.code, 0, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["profiles"][0]["profile"]["name"], "work");
    assert_eq!(v["profiles"][0]["key"]["state"], "unavailable", "{v}");
    let r = home.run(&["profile", "list"], "", &no_bus);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.lines().nth(1).unwrap().ends_with("unavailable"),
        "{r:?}"
    );
    assert!(
        r.stderr.contains("no keyring service is running"),
        "{}",
        r.stderr
    );
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("cli-test-{}-{nanos}", std::process::id())
}

/// add (secret on stdin, v1 stored) → list → whoami against the sandbox, signed v1 with
/// the profile's key although the environment holds other keys → flags override →
/// remove (settings and keyring entry) → the profile is gone with a clear error.
#[tokio::test(flavor = "multi_thread")]
async fn add_list_whoami_remove_against_the_sandbox() {
    if !enabled() {
        return;
    }
    let sb = sandbox_cloud::start(SandboxOptions::default())
        .await
        .unwrap();
    let ep = sb.endpoint().to_string();
    let admin = &sandbox_cloud::demo_accounts()[0];
    let (id, secret) = (admin.access_key_id, admin.access_key_secret);
    let name = unique_name();
    let home = Home::new();
    // Keys the profile must NOT fall back to: the sandbox rejects them.
    let other_keys: &[(&str, &str)] = &[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvironment"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "environment-secret"),
        ("APPSNAP_LOG", "acs_openapi=trace"),
    ];
    let mut outputs = Vec::new();
    let mut run = |args: &[&str], stdin: &str, env: &[(&str, &str)]| {
        let r = home.run(args, stdin, env);
        outputs.push(r.text());
        r
    };

    let r = run(
        &[
            "--region",
            "cn-hangzhou",
            "--signature",
            "v1",
            "--endpoint",
            &ep,
            "profile",
            "add",
            &name,
            "--access-key-id",
            id,
        ],
        &format!("{secret}\n"),
        &[],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(&format!("Saved profile '{name}'")),
        "{r:?}"
    );

    let file = std::fs::read_to_string(home.profiles_json()).unwrap();
    assert!(!file.contains(secret), "secret in profiles.json:\n{file}");
    assert!(!file.contains(id), "AccessKey id in profiles.json:\n{file}");
    assert!(file.contains("\"signature\": \"v1\""), "{file}");
    for f in files_under(home.dir.path()) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "secret in {f:?}"
        );
    }

    let r = run(
        &["profile", "add", &name, "--access-key-id", "LTAIother"],
        "other-secret\n",
        &[],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);

    let r = run(&["profile", "list", "--output", "json"], "", &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let entry = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["profile"]["name"] == name.as_str())
        .unwrap_or_else(|| panic!("{name} not listed: {v}"));
    assert_eq!(entry["profile"]["signature"], "v1");
    assert_eq!(entry["profile"]["region"], "cn-hangzhou");
    assert_eq!(entry["profile"]["endpoint"], ep.as_str());
    assert_eq!(
        entry["key"],
        serde_json::json!({"state": "stored", "accessKeyId": id})
    );
    let r = run(&["profile", "list"], "", &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let row = r.stdout.lines().find(|l| l.starts_with(&name)).unwrap();
    for word in ["cn-hangzhou", "v1", "public", ep.as_str(), id, "stored"] {
        assert!(row.contains(word), "{word} missing: {row}");
    }

    // The stored endpoint, signature and key are used: no --endpoint, no --signature.
    let r = run(&["--profile", &name, "whoami"], "", other_keys);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains(sandbox_cloud::DEMO_ACCOUNT_ID), "{r:?}");
    assert!(
        r.stdout.contains(id) && r.stdout.contains("profile"),
        "{r:?}"
    );
    assert!(r.stderr.contains("signed request (v1)"), "{}", r.stderr);
    assert!(
        r.stderr.contains("SignatureMethod=HMAC-SHA1"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("signed request (ACS3)"), "{}", r.stderr);
    assert!(!r.stderr.contains("LTAIenvironment"), "{}", r.stderr);

    // The stored region is the default for `instances`.
    let r = run(&["--profile", &name, "instances"], "", &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("app-centos79-mysql"), "{r:?}");

    // Explicit flags win over the profile.
    let r = run(
        &["--profile", &name, "--signature", "acs3", "whoami"],
        "",
        other_keys,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("signed request (ACS3)"), "{}", r.stderr);
    assert!(!r.stderr.contains("signed request (v1)"), "{}", r.stderr);
    let r = run(
        &[
            "--profile",
            &name,
            "--output",
            "json",
            "instances",
            "--region",
            "cn-shanghai",
        ],
        "",
        &[],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["region"], "cn-shanghai");

    let r = run(&["profile", "remove", &name], "", &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("its settings and its AccessKey"), "{r:?}");
    let r = run(&["profile", "list", "--output", "json"], "", &[]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["profiles"], serde_json::json!([]), "{v}");
    let keyring = acs_openapi::credentials::KeyringStore::default();
    assert!(keyring.load(&name).unwrap().is_none(), "keyring entry left");

    // Gone: a clear error, and never the environment's keys.
    let r = run(
        &["--profile", &name, "--endpoint", &ep, "whoami"],
        "",
        other_keys,
    );
    assert_ne!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains(&format!("hint: there is no AppSnap profile '{name}'")),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("signed request"), "{}", r.stderr);
    let r = run(&["profile", "remove", &name], "", &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains(&format!("no AppSnap profile '{name}'")),
        "{r:?}"
    );

    for text in &outputs {
        assert!(!text.contains(secret), "the secret was printed:\n{text}");
    }
    sb.shutdown().await;
}
