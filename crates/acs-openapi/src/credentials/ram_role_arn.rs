//! Temporary credentials from STS `AssumeRole`, cached and refreshed before they expire.

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::sync::Mutex;

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::clock::Clock;
use crate::error::AcsError;

/// What to assume. `sts_region` picks the STS endpoint (central when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleParams {
    pub role_arn: String,
    pub role_session_name: String,
    pub duration_seconds: Option<u32>,
    pub policy: Option<String>,
    pub external_id: Option<String>,
    pub sts_region: Option<String>,
}

/// Whatever can call STS AssumeRole; the real one is [`crate::StsAssumeRole`].
pub trait AssumeRoleCaller: Send + Sync + fmt::Debug {
    fn assume_role<'a>(
        &'a self,
        source: &'a Credentials,
        params: &'a AssumeRoleParams,
    ) -> BoxFuture<'a, Result<Credentials, AcsError>>;
}

pub struct RamRoleArnProvider {
    source: Credentials,
    params: AssumeRoleParams,
    caller: Arc<dyn AssumeRoleCaller>,
    clock: Clock,
    refresh_before: chrono::Duration,
    cache: Mutex<Option<Credentials>>,
}

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("source", &self.source)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnProvider {
    /// Refresh this long before expiry so a long call never starts with stale keys.
    pub const DEFAULT_REFRESH_BEFORE_SECS: i64 = 300;

    pub fn new(
        source: Credentials,
        params: AssumeRoleParams,
        caller: Arc<dyn AssumeRoleCaller>,
        clock: Clock,
    ) -> Self {
        Self {
            source,
            params,
            caller,
            clock,
            refresh_before: chrono::Duration::seconds(Self::DEFAULT_REFRESH_BEFORE_SECS),
            cache: Mutex::new(None),
        }
    }

    fn still_fresh(&self, c: &Credentials) -> bool {
        match c.expiration {
            Some(exp) => exp - self.refresh_before > self.clock.now(),
            None => true,
        }
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn name(&self) -> &'static str {
        "ram-role-arn"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            // Holding the lock across the STS call makes concurrent callers share one refresh.
            let mut cache = self.cache.lock().await;
            if let Some(c) = cache.as_ref().filter(|c| self.still_fresh(c)) {
                return Ok(c.clone());
            }
            tracing::debug!(role_arn = %self.params.role_arn, "assuming RAM role");
            let mut fresh = self
                .caller
                .assume_role(&self.source, &self.params)
                .await
                .map_err(|e| CredentialsError::Provider {
                    provider: "ram-role-arn",
                    source: Box::new(e),
                })?;
            fresh.provider = "ram-role-arn";
            *cache = Some(fresh.clone());
            Ok(fresh)
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Answers AssumeRole with numbered keys valid for one hour from `clock`.
    #[derive(Debug)]
    pub(crate) struct FakeSts {
        pub calls: AtomicUsize,
        pub clock: Clock,
        pub fail: bool,
    }

    impl AssumeRoleCaller for FakeSts {
        fn assume_role<'a>(
            &'a self,
            source: &'a Credentials,
            params: &'a AssumeRoleParams,
        ) -> BoxFuture<'a, Result<Credentials, AcsError>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if self.fail {
                    return Err(AcsError::InvalidRequest("sts says no".into()));
                }
                assert_eq!(source.access_key_id, "src-id");
                assert!(params.role_arn.starts_with("acs:ram::"));
                let mut c = Credentials::access_key(format!("STS.{n}"), "tmp-secret")
                    .with_security_token(format!("token-{n}"));
                c.expiration = Some(self.clock.now() + chrono::Duration::hours(1));
                Ok(c)
            })
        }
    }

    pub(crate) fn params() -> AssumeRoleParams {
        AssumeRoleParams {
            role_arn: "acs:ram::123:role/r".into(),
            role_session_name: "appsnap".into(),
            duration_seconds: Some(3600),
            policy: None,
            external_id: None,
            sts_region: None,
        }
    }

    #[tokio::test]
    async fn caches_and_refreshes_before_expiry() {
        let (clock, hand) = Clock::manual(Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap());
        let sts = Arc::new(FakeSts {
            calls: AtomicUsize::new(0),
            clock: clock.clone(),
            fail: false,
        });
        let p = RamRoleArnProvider::new(
            Credentials::access_key("src-id", "src-secret"),
            params(),
            sts.clone(),
            clock,
        );
        let first = p.provide().await.unwrap();
        assert_eq!(first.access_key_id, "STS.1");
        assert_eq!(first.provider, "ram-role-arn");
        hand.advance(chrono::Duration::minutes(50));
        assert_eq!(p.provide().await.unwrap().access_key_id, "STS.1");
        assert_eq!(sts.calls.load(Ordering::SeqCst), 1);
        // 56 minutes in: less than 5 minutes left, so refresh.
        hand.advance(chrono::Duration::minutes(6));
        assert_eq!(p.provide().await.unwrap().access_key_id, "STS.2");
        assert_eq!(sts.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn sts_failure_stops_with_a_provider_error() {
        let clock = Clock::system();
        let sts = Arc::new(FakeSts {
            calls: AtomicUsize::new(0),
            clock: clock.clone(),
            fail: true,
        });
        let p = RamRoleArnProvider::new(
            Credentials::access_key("src-id", "src-secret"),
            params(),
            sts,
            clock,
        );
        let err = p.provide().await.unwrap_err();
        assert!(matches!(err, CredentialsError::Provider { .. }), "{err}");
    }
}
