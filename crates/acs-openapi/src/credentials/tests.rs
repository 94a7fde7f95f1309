//! File-provider and chain tests on temporary homes; nothing reads the real `~`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::ram_role_arn::tests::FakeSts;
use super::*;
use crate::clock::Clock;

struct TempHome(PathBuf);

impl TempHome {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("acs-openapi-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }
    fn env(&self, vars: &[(&str, &str)]) -> Env {
        Env::fake(vars.iter().copied(), Some(self.0.clone()))
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sts() -> Arc<FakeSts> {
    Arc::new(FakeSts {
        calls: AtomicUsize::new(0),
        clock: Clock::system(),
        fail: false,
    })
}

fn ctx(env: Env, profile: Option<&str>, sts: Option<Arc<FakeSts>>) -> FileProviderContext {
    FileProviderContext {
        env,
        profile: profile.map(str::to_string),
        sts: sts.map(|s| s as Arc<dyn AssumeRoleCaller>),
        clock: Clock::system(),
    }
}

const CLI_CONFIG: &str = r#"{
  "current": "work",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "ak-default", "access_key_secret": "sk-default", "region_id": "cn-hangzhou"},
    {"name": "work", "mode": "AK", "access_key_id": "ak-work", "access_key_secret": "sk-work", "unknown_field": 1},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.x", "access_key_secret": "sk", "sts_token": "tok"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "src-id", "access_key_secret": "src-secret",
     "ram_role_arn": "acs:ram::123:role/r", "ram_session_name": "s", "expired_seconds": 900, "sts_region": "cn-shanghai"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "r"},
    {"name": "broken", "mode": "AK", "access_key_id": "only-id"}
  ],
  "meta_path": ""
}"#;

#[tokio::test]
async fn cli_config_uses_current_profile_by_default() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let c = AliyunCliProvider::new(ctx(home.env(&[]), None, None))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ak-work");
    assert_eq!(c.provider, "aliyun-cli");
}

#[tokio::test]
async fn cli_config_explicit_and_env_profile_names() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let c = AliyunCliProvider::new(ctx(home.env(&[]), Some("default"), None))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ak-default");
    let c = AliyunCliProvider::new(ctx(
        home.env(&[("ALIBABA_CLOUD_PROFILE", "sts")]),
        None,
        None,
    ))
    .provide()
    .await
    .unwrap();
    assert_eq!(c.access_key_id, "STS.x");
    assert_eq!(c.security_token.unwrap().expose(), "tok");
}

#[tokio::test]
async fn cli_config_ram_role_arn_assumes_the_role_once() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let fake = sts();
    let p = AliyunCliProvider::new(ctx(home.env(&[]), Some("role"), Some(fake.clone())));
    let c = p.provide().await.unwrap();
    assert_eq!(c.access_key_id, "STS.1");
    assert_eq!(c.security_token.as_ref().unwrap().expose(), "token-1");
    assert_eq!(p.provide().await.unwrap().access_key_id, "STS.1");
    assert_eq!(fake.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn cli_config_other_modes_are_not_supported_yet() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let err = AliyunCliProvider::new(ctx(home.env(&[]), Some("ecs"), None))
        .provide()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "aliyun-cli: mode EcsRamRole is not supported yet"
    );
    let err = AliyunCliProvider::new(ctx(home.env(&[]), Some("broken"), None))
        .provide()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfiguration { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn cli_config_missing_file_profile_or_disabled_is_not_found() {
    let home = TempHome::new();
    let missing = AliyunCliProvider::new(ctx(home.env(&[]), None, None))
        .provide()
        .await;
    assert!(matches!(missing, Err(CredentialsError::NotFound(_))));
    home.write(".aliyun/config.json", CLI_CONFIG);
    let nope = AliyunCliProvider::new(ctx(home.env(&[]), Some("nope"), None))
        .provide()
        .await;
    assert!(matches!(nope, Err(CredentialsError::NotFound(_))));
    let disabled = AliyunCliProvider::new(ctx(
        home.env(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")]),
        None,
        None,
    ))
    .provide()
    .await;
    assert!(matches!(disabled, Err(CredentialsError::NotFound(_))));
}

#[tokio::test]
async fn cli_config_path_override_and_bad_json() {
    let home = TempHome::new();
    home.write("elsewhere.json", "{ not json");
    let path = home.0.join("elsewhere.json");
    let err = AliyunCliProvider::new(ctx(
        home.env(&[("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap())]),
        None,
        None,
    ))
    .provide()
    .await
    .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfiguration { .. }),
        "{err}"
    );
}

const INI: &str = "
# comment
[default]
type = access_key
access_key_id = ini-id
access_key_secret = \"ini-secret\"

[temp]
type = sts
access_key_id = STS.ini
access_key_secret = s
security_token = t

[role]
type = ram_role_arn
access_key_id = src-id
access_key_secret = src-secret
role_arn = acs:ram::123:role/r
role_session_name = sess

[oidc]
type = oidc_role_arn
";

#[tokio::test]
async fn ini_file_access_key_sts_and_role() {
    let home = TempHome::new();
    home.write(".alibabacloud/credentials", INI);
    let c = IniFileProvider::new(ctx(home.env(&[]), None, None))
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (
            c.access_key_id.as_str(),
            c.access_key_secret.expose().as_str()
        ),
        ("ini-id", "ini-secret")
    );
    let c = IniFileProvider::new(ctx(home.env(&[]), Some("temp"), None))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.security_token.unwrap().expose(), "t");
    let c = IniFileProvider::new(ctx(home.env(&[]), Some("role"), Some(sts())))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "STS.1");
    let err = IniFileProvider::new(ctx(home.env(&[]), Some("oidc"), None))
        .provide()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "credentials-file: mode oidc_role_arn is not supported yet"
    );
    let none = IniFileProvider::new(ctx(home.env(&[]), Some("nope"), None))
        .provide()
        .await;
    assert!(matches!(none, Err(CredentialsError::NotFound(_))));
}

#[test]
fn ini_parser_handles_comments_quotes_and_spacing() {
    let s = ini_file::parse_ini("; c\n[ a ]\nk=v\n  k2  =  \"q v\"  \n#x=y\n[b]\n");
    assert_eq!(s["a"]["k"], "v");
    assert_eq!(s["a"]["k2"], "q v");
    assert!(!s["a"].contains_key("#x"));
    assert!(s["b"].is_empty());
}

#[tokio::test]
async fn chain_prefers_environment_over_files() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let env = home.env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]);
    let chain = default_chain(ChainOptions {
        env,
        ..Default::default()
    });
    assert_eq!(
        chain.provider_names(),
        ["environment", "aliyun-cli", "credentials-file"]
    );
    let c = chain.provide().await.unwrap();
    assert_eq!(
        (c.access_key_id.as_str(), c.provider),
        ("env-id", "environment")
    );
}

#[tokio::test]
async fn chain_moves_past_not_found_to_the_ini_file() {
    let home = TempHome::new();
    home.write(".alibabacloud/credentials", INI);
    let chain = default_chain(ChainOptions {
        env: home.env(&[]),
        ..Default::default()
    });
    let c = chain.provide().await.unwrap();
    assert_eq!(c.provider, "credentials-file");
}

#[tokio::test]
async fn chain_stops_at_the_first_real_error() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", "{ broken")
        .write(".alibabacloud/credentials", INI);
    let chain = default_chain(ChainOptions {
        env: home.env(&[]),
        ..Default::default()
    });
    let err = chain.provide().await.unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::InvalidConfiguration {
                provider: "aliyun-cli",
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn chain_reports_every_place_it_looked() {
    let home = TempHome::new();
    let chain = default_chain(ChainOptions {
        env: home.env(&[]),
        ..Default::default()
    });
    let err = chain.provide().await.unwrap_err().to_string();
    for name in ["environment", "aliyun-cli", "credentials-file"] {
        assert!(err.contains(name), "{err}");
    }
}

#[tokio::test]
async fn a_named_profile_beats_the_environment() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let env = home.env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]);
    let chain = default_chain(ChainOptions {
        env,
        profile: Some("default".into()),
        ..Default::default()
    });
    assert_eq!(chain.provider_names(), ["aliyun-cli", "credentials-file"]);
    let c = chain.provide().await.unwrap();
    assert_eq!(
        (c.access_key_id.as_str(), c.provider),
        ("ak-default", "aliyun-cli")
    );
}

#[tokio::test]
async fn a_missing_named_profile_is_an_error_not_the_environment() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG)
        .write(".alibabacloud/credentials", INI);
    let env = home.env(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]);
    let chain = default_chain(ChainOptions {
        env,
        profile: Some("prod".into()),
        ..Default::default()
    });
    let err = chain.provide().await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound(_)), "{err}");
    let text = err.to_string();
    assert!(text.contains("no profile 'prod'"), "{text}");
    assert!(text.contains("no profile [prod]"), "{text}");
    assert!(!text.contains("environment"), "{text}");
}

#[test]
fn cli_config_lists_every_profile_with_its_secrets_hidden() {
    let home = TempHome::new();
    home.write(".aliyun/config.json", CLI_CONFIG);
    let config = read_cli_config(&home.env(&[])).unwrap();
    assert_eq!(config.path, home.0.join(".aliyun/config.json"));
    assert_eq!(config.current.as_deref(), Some("work"));
    let names: Vec<_> = config.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["default", "work", "sts", "role", "ecs", "broken"]);
    let default = &config.profiles[0];
    assert_eq!(
        (default.mode.as_str(), default.region_id.as_deref()),
        ("AK", Some("cn-hangzhou"))
    );
    assert_eq!(
        default.access_key_secret.as_ref().unwrap().expose(),
        "sk-default"
    );
    let sts = &config.profiles[2];
    assert_eq!(sts.mode, "StsToken");
    assert_eq!(sts.sts_token.as_ref().unwrap().expose(), "tok");
    let role = &config.profiles[3];
    assert_eq!(role.ram_role_arn.as_deref(), Some("acs:ram::123:role/r"));
    assert_eq!(role.ram_session_name.as_deref(), Some("s"));
    assert_eq!(role.expired_seconds, Some(900));
    assert_eq!(config.profiles[5].access_key_secret, None);
    let printed = format!("{config:?}");
    // Quoted: the bare fixture token "tok" is also part of the field name `sts_token`.
    for secret in ["sk-default", "sk-work", "tok", "src-secret"] {
        let quoted = format!("\"{secret}\"");
        assert!(!printed.contains(&quoted), "{secret} printed: {printed}");
    }
}

#[test]
fn cli_config_listing_follows_the_path_override_and_reports_a_missing_or_bad_file() {
    let home = TempHome::new();
    let missing = read_cli_config(&home.env(&[])).unwrap_err();
    assert!(
        matches!(missing, CredentialsError::NotFound(_)),
        "{missing}"
    );
    home.write("elsewhere.json", "{not json");
    let path = home.0.join("elsewhere.json");
    let err = read_cli_config(&home.env(&[("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap())]))
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfiguration { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("elsewhere.json"), "{err}");
}
