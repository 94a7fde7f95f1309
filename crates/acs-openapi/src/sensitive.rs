//! A wrapper for secrets (AccessKey secrets, STS tokens, keyring passwords).
//!
//! `Debug` and `Display` print `***`, and serialising fails, so a secret cannot reach a
//! log line, an IPC payload, the history database or a JSON dump by accident. Reading the
//! value needs an explicit `expose()`, which is easy to grep for in review.

use std::fmt;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself. Call only where it is used (signing, keyring writes).
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T> serde::Serialize for Sensitive<T> {
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "refusing to serialise a Sensitive value",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Sensitive;

    const SECRET: &str = "s3cr3t-AccessKeySecret-value";

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Sensitive::new(SECRET.to_string());
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Creds {
            id: String,
            secret: Sensitive<String>,
        }
        let c = Creds {
            id: "LTAI-id".into(),
            secret: s,
        };
        let printed = format!("{c:?} {c:#?}");
        assert!(!printed.contains(SECRET), "secret leaked: {printed}");
        assert!(printed.contains("LTAI-id"));
    }

    #[test]
    fn serialising_is_refused() {
        let s = Sensitive::new(SECRET.to_string());
        let err = serde_json::to_string(&s).unwrap_err();
        assert!(err.to_string().contains("Sensitive"));
        #[derive(serde::Serialize)]
        struct Wrapper {
            secret: Sensitive<String>,
        }
        assert!(serde_json::to_string(&Wrapper { secret: s }).is_err());
    }

    #[test]
    fn expose_returns_the_value() {
        assert_eq!(Sensitive::new(SECRET).expose(), &SECRET);
    }
}
