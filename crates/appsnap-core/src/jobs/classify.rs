//! From tags to a consistency (keys and values matched case-insensitively: the docs spell
//! `APPConsistent` and `AppConsistent`, alibaba-api.md §4.1 and §9.3), and the mandate.

use std::collections::BTreeMap;

use super::types::{DiskResult, Mandate, ResultConsistency, RunStatus};

pub const APP_TAG: &str = "APPConsistent";
pub const FS_TAG: &str = "FsConsistent";

/// One disk snapshot by its tags.
pub fn disk_consistency(tags: &BTreeMap<String, String>) -> ResultConsistency {
    let has = |key: &str| {
        tags.iter()
            .any(|(k, v)| k.eq_ignore_ascii_case(key) && v.eq_ignore_ascii_case("true"))
    };
    if has(APP_TAG) {
        ResultConsistency::Application
    } else if has(FS_TAG) {
        ResultConsistency::Filesystem
    } else {
        ResultConsistency::Crash
    }
}

/// The group: as weak as its weakest disk; no disk snapshot at all is `failed`.
pub fn group_consistency(disks: &[DiskResult]) -> ResultConsistency {
    disks
        .iter()
        .map(|d| d.consistency)
        .max_by_key(|c| rank(*c))
        .unwrap_or(ResultConsistency::Failed)
}

fn rank(c: ResultConsistency) -> u8 {
    match c {
        ResultConsistency::Application => 0,
        ResultConsistency::Filesystem => 1,
        ResultConsistency::Crash => 2,
        ResultConsistency::Failed => 3,
    }
}

/// The run's consistency under the mandate and whether it met it.
pub fn judge(group: ResultConsistency, mandate: Mandate) -> (ResultConsistency, RunStatus) {
    match (group, mandate) {
        (ResultConsistency::Application, _) | (ResultConsistency::Filesystem, Mandate::Allow) => {
            (group, RunStatus::Succeeded)
        }
        (ResultConsistency::Filesystem, Mandate::Require) => {
            (ResultConsistency::Failed, RunStatus::Failed)
        }
        (other, _) => (other, RunStatus::Failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn disk(c: ResultConsistency) -> DiskResult {
        DiskResult {
            disk_id: "d-1".into(),
            snapshot_id: "s-1".into(),
            tags: BTreeMap::new(),
            consistency: c,
        }
    }

    #[test]
    fn tag_keys_and_values_match_in_any_case() {
        use ResultConsistency::*;
        assert_eq!(
            disk_consistency(&tags(&[("APPConsistent", "True")])),
            Application
        );
        assert_eq!(
            disk_consistency(&tags(&[("appconsistent", "true")])),
            Application
        );
        assert_eq!(
            disk_consistency(&tags(&[("FsConsistent", "TRUE")])),
            Filesystem
        );
        assert_eq!(
            disk_consistency(&tags(&[("APPConsistent", "False")])),
            Crash
        );
        assert_eq!(disk_consistency(&tags(&[])), Crash);
        assert_eq!(
            group_consistency(&[disk(Application), disk(Filesystem)]),
            Filesystem
        );
        assert_eq!(group_consistency(&[disk(Application), disk(Crash)]), Crash);
        assert_eq!(group_consistency(&[]), Failed);
    }

    #[test]
    fn the_mandate_turns_filesystem_into_failed() {
        use ResultConsistency::*;
        assert_eq!(
            judge(Filesystem, Mandate::Allow),
            (Filesystem, RunStatus::Succeeded)
        );
        assert_eq!(
            judge(Filesystem, Mandate::Require),
            (Failed, RunStatus::Failed)
        );
        assert_eq!(
            judge(Application, Mandate::Require),
            (Application, RunStatus::Succeeded)
        );
        assert_eq!(judge(Crash, Mandate::Allow), (Crash, RunStatus::Failed));
    }
}
