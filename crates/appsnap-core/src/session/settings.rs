//! What a session runs with: explicit overrides beat the named profile's settings, which
//! beat the environment, which beats the built-in defaults.

use acs_openapi::credentials::Env;
use acs_openapi::{Network, SignatureVersion};

use crate::profiles::Profile;

impl Settings {
    /// An explicit override wins, then the named profile's setting, then the environment
    /// (`ALIBABA_CLOUD_REGION_ID`, `APPSNAP_ENDPOINT`; empty counts as unset), then the
    /// built-in default. `stored` is the profile from profiles.json, if it is one.
    pub fn resolve(overrides: &SessionOverrides, stored: Option<&Profile>, env: &Env) -> Self {
        Self {
            profile: overrides.profile.clone(),
            stored: stored.is_some(),
            region: overrides
                .region
                .clone()
                .or_else(|| stored.and_then(|p| p.region.clone()))
                .or_else(|| env.var("ALIBABA_CLOUD_REGION_ID")),
            endpoint: overrides
                .endpoint
                .clone()
                .or_else(|| stored.and_then(|p| p.endpoint.clone()))
                .or_else(|| env.var("APPSNAP_ENDPOINT")),
            signature: overrides
                .signature
                .or_else(|| stored.map(|p| p.signature.into()))
                .unwrap_or_default(),
            network: stored.map(|p| p.network.into()).unwrap_or_default(),
        }
    }
}

/// What a front end asks for explicitly (the CLI's global flags); `None` leaves it to the
/// profile, the environment or the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionOverrides {
    /// An AppSnap profile, else that profile in `~/.aliyun/config.json` or
    /// `~/.alibabacloud/credentials`; the environment's keys are then not used.
    pub profile: Option<String>,
    pub region: Option<String>,
    /// One base URL for every product (https, or http on loopback only).
    pub endpoint: Option<String>,
    pub signature: Option<SignatureVersion>,
}

/// What a session runs with, after overrides, the profile and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub profile: Option<String>,
    /// Whether `profile` is an AppSnap profile in profiles.json (it may instead live in
    /// the aliyun CLI's files, or be the built-in Sandbox).
    pub stored: bool,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub signature: SignatureVersion,
    pub network: Network,
}

#[cfg(test)]
mod tests {
    use crate::profiles::{ProfileNetwork, ProfileSignature};

    use super::*;

    fn stored() -> Profile {
        Profile {
            region: Some("cn-shanghai".into()),
            signature: ProfileSignature::V1,
            endpoint: Some("http://127.0.0.1:1".into()),
            network: ProfileNetwork::Vpc,
            ..Profile::new("work")
        }
    }

    fn env() -> Env {
        Env::fake(
            [
                ("ALIBABA_CLOUD_REGION_ID", "eu-central-1"),
                ("APPSNAP_ENDPOINT", "http://127.0.0.1:2"),
            ],
            None,
        )
    }

    fn profile(name: &str) -> SessionOverrides {
        SessionOverrides {
            profile: Some(name.into()),
            ..SessionOverrides::default()
        }
    }

    #[test]
    fn the_profile_beats_the_environment() {
        let s = Settings::resolve(&profile("work"), Some(&stored()), &env());
        assert_eq!(
            s,
            Settings {
                profile: Some("work".into()),
                stored: true,
                region: Some("cn-shanghai".into()),
                endpoint: Some("http://127.0.0.1:1".into()),
                signature: SignatureVersion::V1,
                network: Network::Vpc,
            }
        );
    }

    #[test]
    fn explicit_overrides_beat_the_profile() {
        let o = SessionOverrides {
            profile: Some("work".into()),
            region: Some("cn-beijing".into()),
            endpoint: Some("http://127.0.0.1:3".into()),
            signature: Some(SignatureVersion::Acs3),
        };
        let s = Settings::resolve(&o, Some(&stored()), &env());
        assert_eq!(s.region.as_deref(), Some("cn-beijing"));
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:3"));
        assert_eq!(s.signature, SignatureVersion::Acs3);
        assert_eq!(s.network, Network::Vpc);
    }

    #[test]
    fn without_a_stored_profile_the_environment_then_defaults_apply() {
        let s = Settings::resolve(&profile("aliyun-cli-only"), None, &env());
        assert!(!s.stored);
        assert_eq!(s.region.as_deref(), Some("eu-central-1"));
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:2"));
        assert_eq!(s.signature, SignatureVersion::Acs3);
        assert_eq!(s.network, Network::Public);

        let bare = Profile::new("bare");
        let empty = Env::fake(
            [("ALIBABA_CLOUD_REGION_ID", ""), ("APPSNAP_ENDPOINT", "")],
            None,
        );
        let s = Settings::resolve(&SessionOverrides::default(), Some(&bare), &empty);
        assert_eq!(
            (s.region, s.endpoint),
            (None, None),
            "empty variables are unset"
        );
        assert_eq!(s.signature, SignatureVersion::Acs3);
    }
}
