//! The `appsnap` binary run against a sandbox: keys from the environment, HOME and the
//! data dir in a temporary directory, no inherited cloud or XDG variables.

use std::path::Path;
use std::process::Command;

use sandbox_cloud::RunningSandbox;
use test_support::sandbox::demo_account;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub async fn appsnap(sb: &RunningSandbox, home: &Path, args: &[&str]) -> Run {
    let admin = demo_account("admin");
    let mut argv = vec!["--endpoint".to_owned(), sb.endpoint().to_owned()];
    argv.extend(args.iter().map(|s| s.to_string()));
    let home = home.to_owned();
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_appsnap"));
        for (k, _) in std::env::vars() {
            if k.starts_with("ALIBABA") || k.starts_with("ALICLOUD") || k.starts_with("XDG_") {
                cmd.env_remove(k);
            }
        }
        cmd.args(&argv)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", admin.access_key_id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", admin.access_key_secret)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
