//! Request signing as pure functions: time and nonce come in, strings come out.
//!
//! Both algorithms expose their intermediate strings so tests can pin every step and the
//! transport can `trace!` them (after [`redact`] removes any STS token).

pub mod acs3;
pub mod encode;
pub mod rpc_v1;

use chrono::{DateTime, Utc};

pub use acs3::{sign_acs3, Acs3Headers, Acs3Request, Acs3Signature};
pub use encode::percent_encode;
pub use rpc_v1::{sign_rpc_v1, RpcV1Common, RpcV1Signature};

/// Which signature a client sends. ACS3 is the default of current SDKs; some gateways
/// and old endpoints still need v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    #[default]
    Acs3,
    V1,
}

impl std::str::FromStr for SignatureVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "acs3" | "v3" | "acs3-hmac-sha256" => Ok(Self::Acs3),
            "v1" | "rpc" | "hmac-sha1" => Ok(Self::V1),
            other => Err(format!(
                "unknown signature version '{other}' (use acs3 or v1)"
            )),
        }
    }
}

/// UTC `yyyy-MM-ddTHH:mm:ssZ`, the only timestamp format the gateway accepts.
pub fn format_timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Remove a secret from a string meant for a log line, in every encoding it can appear
/// in: raw (ACS3 headers), percent-encoded (queries) and encoded twice (v1 string-to-sign).
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    let once = percent_encode(secret);
    let twice = percent_encode(&once);
    text.replace(&twice, "***")
        .replace(&once, "***")
        .replace(secret, "***")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamp_format_is_second_precision_utc() {
        let t = Utc.with_ymd_and_hms(2016, 2, 23, 12, 46, 24).unwrap();
        assert_eq!(format_timestamp(t), "2016-02-23T12:46:24Z");
    }

    #[test]
    fn redact_covers_every_encoding() {
        let token = "a+b/c 快";
        let text = format!(
            "raw={token} once={} twice={}",
            percent_encode(token),
            percent_encode(&percent_encode(token))
        );
        let out = redact(&text, token);
        assert_eq!(out, "raw=*** once=*** twice=***");
    }

    #[test]
    fn signature_version_parses_cli_spellings() {
        assert_eq!(
            "acs3".parse::<SignatureVersion>(),
            Ok(SignatureVersion::Acs3)
        );
        assert_eq!("V1".parse::<SignatureVersion>(), Ok(SignatureVersion::V1));
        assert!("v2".parse::<SignatureVersion>().is_err());
    }
}
