//! What the user can do next, as a stable key with parameters. The desktop UI words each
//! key in the user's language (`hint.<key>` in its catalogues, `{{param}}` interpolation);
//! the CLI prints [`Hint::english`]. Neither parses text, so rewording never breaks them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::listed::listed_enum;

impl HintKey {
    /// The parameters this key's texts interpolate, by name (`{{name}}`).
    pub const fn params(self) -> &'static [&'static str] {
        match self {
            Self::GrantPermission => &["action"],
            Self::UnlockKeyring => &["backend"],
            Self::CreateProfile | Self::ProfileExists => &["profile"],
            Self::OpenFolderYourself => &["path"],
            Self::CheckAccessKey
            | Self::WaitAndRetry
            | Self::CheckNetwork
            | Self::ListProfiles
            | Self::FixProfilesFile
            | Self::FixSettingsFile
            | Self::SandboxNotRunning => &[],
        }
    }

    /// The English text the CLI prints, with `{{param}}` placeholders. Lower case first:
    /// it follows `hint: `.
    pub const fn english_template(self) -> &'static str {
        match self {
            Self::CheckAccessKey => {
                "check the AccessKey ID and secret (--profile, ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, \
                 ~/.aliyun/config.json), or renew the STS token"
            }
            Self::GrantPermission => {
                "the RAM user or role lacks a permission for {{action}}; attach a policy that allows it"
            }
            Self::WaitAndRetry => "the cloud is throttling; try again in a moment",
            Self::CheckNetwork => {
                "check the network, proxy settings (HTTPS_PROXY/NO_PROXY) or --endpoint"
            }
            Self::UnlockKeyring => {
                "unlock your keyring ({{backend}}) or start its service, then try again"
            }
            Self::CreateProfile => {
                "there is no AppSnap profile '{{profile}}' (see `appsnap profile list`); \
                 create it with `appsnap profile add {{profile}} --access-key-id ID`"
            }
            Self::ProfileExists => {
                "remove it first (`appsnap profile remove {{profile}}`) or pick another name"
            }
            Self::ListProfiles => "see the saved profiles with `appsnap profile list`",
            Self::FixProfilesFile => {
                "fix the file by hand, or move it away to start with no profiles"
            }
            Self::FixSettingsFile => {
                "fix settings.json by hand, or move it away to start from the default settings"
            }
            Self::OpenFolderYourself => {
                "open {{path}} in your file manager (copy the path from Settings)"
            }
            Self::SandboxNotRunning => {
                "wait until the built-in Sandbox cloud has started; if it cannot start, the log says why"
            }
        }
    }
}

impl Hint {
    pub fn new(key: HintKey) -> Self {
        Self {
            key,
            params: BTreeMap::new(),
        }
    }

    /// Sets one of the key's parameters.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        debug_assert!(
            self.key.params().contains(&name),
            "{:?} has no parameter {name}",
            self.key
        );
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// The hint in English, parameters filled in (a missing one stays `{{name}}`).
    pub fn english(&self) -> String {
        let mut text = self.key.english_template().to_owned();
        for (name, value) in &self.params {
            text = text.replace(&format!("{{{{{name}}}}}"), value);
        }
        text
    }
}

listed_enum! {
    /// Every hint the app gives; the UI's catalogues have a text for each (`hint.<key>`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum HintKey {
        /// The AccessKey was refused or the STS token expired.
        CheckAccessKey,
        /// The RAM identity lacks a permission for `action`.
        GrantPermission,
        /// The cloud is throttling.
        WaitAndRetry,
        /// No reply: network, proxy or endpoint.
        CheckNetwork,
        /// The OS keyring (`backend`) is locked, missing or refused.
        UnlockKeyring,
        /// `profile` is neither an AppSnap profile nor in the aliyun CLI's files.
        CreateProfile,
        /// A profile named `profile` exists already.
        ProfileExists,
        /// The profile asked for is not saved.
        ListProfiles,
        /// profiles.json cannot be read; it is left as it is.
        FixProfilesFile,
        /// settings.json cannot be read; it is left as it is.
        FixSettingsFile,
        /// The OS could not open a folder at `path` for the app.
        OpenFolderYourself,
        /// The desktop's built-in Sandbox cloud is not serving (yet).
        SandboxNotRunning,
    }
}

/// A hint: which one, and the values its text interpolates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Hint {
    pub key: HintKey,
    /// One value per name in the key's `params()`.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key's English text, parameters filled with sample values.
    fn english(key: HintKey) -> &'static str {
        match key {
            HintKey::CheckAccessKey => {
                "check the AccessKey ID and secret (--profile, ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, \
                 ~/.aliyun/config.json), or renew the STS token"
            }
            HintKey::GrantPermission => {
                "the RAM user or role lacks a permission for DescribeInstances; attach a policy that allows it"
            }
            HintKey::WaitAndRetry => "the cloud is throttling; try again in a moment",
            HintKey::CheckNetwork => {
                "check the network, proxy settings (HTTPS_PROXY/NO_PROXY) or --endpoint"
            }
            HintKey::UnlockKeyring => {
                "unlock your keyring (Secret Service) or start its service, then try again"
            }
            HintKey::CreateProfile => {
                "there is no AppSnap profile 'work' (see `appsnap profile list`); \
                 create it with `appsnap profile add work --access-key-id ID`"
            }
            HintKey::ProfileExists => {
                "remove it first (`appsnap profile remove work`) or pick another name"
            }
            HintKey::ListProfiles => "see the saved profiles with `appsnap profile list`",
            HintKey::FixProfilesFile => {
                "fix the file by hand, or move it away to start with no profiles"
            }
            HintKey::FixSettingsFile => {
                "fix settings.json by hand, or move it away to start from the default settings"
            }
            HintKey::OpenFolderYourself => {
                "open /home/admin/.local/share/appsnap in your file manager (copy the path from Settings)"
            }
            HintKey::SandboxNotRunning => {
                "wait until the built-in Sandbox cloud has started; if it cannot start, the log says why"
            }
        }
    }

    fn sample(name: &str) -> &'static str {
        match name {
            "action" => "DescribeInstances",
            "backend" => "Secret Service",
            "profile" => "work",
            "path" => "/home/admin/.local/share/appsnap",
            other => panic!("no sample value for parameter {other}"),
        }
    }

    #[test]
    fn every_key_renders_in_english_with_its_parameters() {
        for &key in HintKey::ALL {
            let hint = key
                .params()
                .iter()
                .fold(Hint::new(key), |h, name| h.with(name, sample(name)));
            assert_eq!(hint.english(), english(key), "{key:?}");
        }
    }

    #[test]
    fn templates_use_exactly_the_declared_parameters() {
        for &key in HintKey::ALL {
            let template = key.english_template();
            let mut used: Vec<&str> = template
                .split("{{")
                .skip(1)
                .map(|rest| rest.split("}}").next().unwrap())
                .collect();
            used.sort_unstable();
            used.dedup();
            let mut declared = key.params().to_vec();
            declared.sort_unstable();
            assert_eq!(used, declared, "{key:?}: {template}");
        }
    }

    #[test]
    fn a_missing_parameter_stays_visible() {
        assert_eq!(
            Hint::new(HintKey::ProfileExists).english(),
            "remove it first (`appsnap profile remove {{profile}}`) or pick another name"
        );
    }

    #[test]
    fn serialises_as_key_and_params_and_names_match_serde() {
        let hint = Hint::new(HintKey::UnlockKeyring).with("backend", "Secret Service");
        assert_eq!(
            serde_json::to_value(&hint).unwrap(),
            serde_json::json!({"key": "UnlockKeyring", "params": {"backend": "Secret Service"}})
        );
        let bare: Hint = serde_json::from_str(r#"{"key":"WaitAndRetry"}"#).unwrap();
        assert_eq!(bare, Hint::new(HintKey::WaitAndRetry));
        assert!(serde_json::from_str::<Hint>(r#"{"key":"Whatever"}"#).is_err());
        for &key in HintKey::ALL {
            assert_eq!(serde_json::to_value(key).unwrap(), key.name(), "{key:?}");
        }
    }
}
