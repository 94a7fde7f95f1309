//! `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`.

use futures::future::BoxFuture;

use super::{Credentials, CredentialsError, Env, ProvideCredentials};

pub const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
pub const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
pub const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.var(ACCESS_KEY_ID);
        let secret = self.env.var(ACCESS_KEY_SECRET);
        match (id, secret) {
            (None, None) => Err(CredentialsError::NotFound(format!(
                "{ACCESS_KEY_ID} is not set"
            ))),
            (Some(_), None) => Err(invalid(format!(
                "{ACCESS_KEY_ID} is set but {ACCESS_KEY_SECRET} is not"
            ))),
            (None, Some(_)) => Err(invalid(format!(
                "{ACCESS_KEY_SECRET} is set but {ACCESS_KEY_ID} is not"
            ))),
            (Some(id), Some(secret)) => {
                let mut c = Credentials::access_key(id, secret);
                if let Some(token) = self.env.var(SECURITY_TOKEN) {
                    c = c.with_security_token(token);
                }
                c.provider = "environment";
                Ok(c)
            }
        }
    }
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::InvalidConfiguration {
        provider: "environment",
        message,
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn name(&self) -> &'static str {
        "environment"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(vars: &[(&str, &str)]) -> EnvironmentProvider {
        EnvironmentProvider::new(Env::fake(vars.iter().copied(), None))
    }

    #[tokio::test]
    async fn reads_key_and_optional_token() {
        let c = provider(&[(ACCESS_KEY_ID, "id"), (ACCESS_KEY_SECRET, "sec")])
            .provide()
            .await
            .unwrap();
        assert_eq!(c.access_key_id, "id");
        assert_eq!(c.access_key_secret.expose(), "sec");
        assert!(c.security_token.is_none());
        assert_eq!(c.provider, "environment");
        let c = provider(&[
            (ACCESS_KEY_ID, "id"),
            (ACCESS_KEY_SECRET, "sec"),
            (SECURITY_TOKEN, "tok"),
        ])
        .provide()
        .await
        .unwrap();
        assert_eq!(c.security_token.unwrap().expose(), "tok");
    }

    #[tokio::test]
    async fn unset_is_not_found_and_half_set_is_an_error() {
        assert!(matches!(
            provider(&[]).provide().await,
            Err(CredentialsError::NotFound(_))
        ));
        assert!(matches!(
            provider(&[(ACCESS_KEY_ID, "id")]).provide().await,
            Err(CredentialsError::InvalidConfiguration { .. })
        ));
        // Empty values count as unset.
        assert!(matches!(
            provider(&[(ACCESS_KEY_ID, ""), (ACCESS_KEY_SECRET, "")])
                .provide()
                .await,
            Err(CredentialsError::NotFound(_))
        ));
    }
}
