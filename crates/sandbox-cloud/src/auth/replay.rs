//! Nonce memory for the replay check: a nonce may be used once per AccessKey within the
//! timestamp window; older entries are forgotten.

use std::collections::HashMap;

use super::TIMESTAMP_WINDOW_SECS;

#[derive(Debug, Default)]
pub struct ReplayGuard {
    seen: HashMap<(String, String), i64>,
}

impl ReplayGuard {
    /// Remember a nonce; false when it was already used.
    pub fn record(&mut self, access_key_id: &str, nonce: &str, now_secs: i64) -> bool {
        if self.seen.len() > 50_000 {
            self.seen
                .retain(|_, at| now_secs - *at <= 2 * TIMESTAMP_WINDOW_SECS);
        }
        self.seen
            .insert((access_key_id.to_string(), nonce.to_string()), now_secs)
            .is_none()
    }

    pub fn clear(&mut self) {
        self.seen.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_used_once_per_key() {
        let mut g = ReplayGuard::default();
        assert!(g.record("ak", "n1", 0));
        assert!(!g.record("ak", "n1", 1));
        assert!(g.record("other", "n1", 1));
        g.clear();
        assert!(g.record("ak", "n1", 2));
    }
}
