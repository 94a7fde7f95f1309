//! Each reason's parameters and English text (with `{{param}}` placeholders). The UI
//! words `check.<key>` itself; the CLI prints the English. Texts of failures say how to
//! fix what no button fixes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::types::{Reason, ReasonKey};

impl ReasonKey {
    pub const fn params(self) -> &'static [&'static str] {
        use ReasonKey::*;
        match self {
            InstanceNotRunning => &["status"],
            OsSupported | OsNotInMatrix | OsNewerThanMatrix => &["os"],
            OsTooOld => &["os", "minimum"],
            DisksEssd => &["count"],
            DiskCountOk => &["count", "limit"],
            DiskNotEssd => &["disk", "category"],
            DiskMultiAttach => &["disk"],
            TooManyDisks => &["count", "limit"],
            AgentInstalled | AgentVersionOk => &["version"],
            AgentVersionOld => &["version", "minimum"],
            RoleAttached | RoleGrants | RolePolicyUnknown => &["role"],
            RoleLacks => &["role", "actions"],
            FileSystemsOk => &["types"],
            NetworkFileSystem | OtherFileSystem => &["mount", "type"],
            ScriptsOk => &["paths"],
            ScriptMissing | ScriptCrlf => &["path"],
            ScriptNotRoot => &["path", "owner"],
            ScriptMode => &["path", "mode"],
            ScriptsGone => &["paths"],
            ScriptsChanged => &["changes"],
            ScriptTestFreezeFailed | ScriptTestThawFailed => &["exit"],
            ScriptTestTimedOut => &["timeout"],
            ScriptTestTooSlow => &["window", "timeout"],
            WritersOk => &["count"],
            WriterFailed => &["writer"],
            ProbeFailed => &["error"],
            InstanceRunning | NoDisks | DisksUnknown | AgentMissing | AgentOnline
            | AgentOffline | AgentNeedsRunning | AgentUnknown | RoleMissing | RoleUnknown
            | NoWriters | NeedsDeepCheck | ScriptsAsPushed | ScriptsNotRecorded => &[],
        }
    }

    pub const fn english_template(self) -> &'static str {
        use ReasonKey::*;
        match self {
            InstanceRunning => "the instance is Running",
            InstanceNotRunning => "the instance is {{status}}; start it to snapshot it",
            OsSupported => "{{os}} is in the supported list",
            OsTooOld => {
                "{{os}} is older than {{minimum}}, the oldest supported; upgrade the OS or \
                 take crash-consistent snapshots"
            }
            OsNotInMatrix => {
                "{{os}} is not in the supported list (CentOS 7.6+, Ubuntu 18.04+, Alibaba Cloud \
                 Linux 2/3, Windows Server 2012 R2-2022)"
            }
            OsNewerThanMatrix => "{{os}} is newer than the documented list; it may work, untested",
            DisksEssd => "all {{count}} disks are ESSD, ESSD AutoPL or ESSD Entry",
            DiskNotEssd => {
                "disk {{disk}} is {{category}}, not ESSD; the category cannot be changed here \
                 (migrate the data to an ESSD disk)"
            }
            DiskMultiAttach => {
                "disk {{disk}} is multi-attach, which snapshot-consistent groups exclude"
            }
            NoDisks => "the instance has no disks attached",
            DisksUnknown => "the region's disks could not be listed; refresh to try again",
            DiskCountOk => "{{count}} disks, within the group limit of {{limit}}",
            TooManyDisks => {
                "{{count}} disks, more than a snapshot-consistent group allows ({{limit}}); \
                 detach or exclude disks"
            }
            AgentInstalled => "Cloud Assistant {{version}} is installed",
            AgentMissing => "Cloud Assistant is not installed; install it, then reboot",
            AgentOnline => "Cloud Assistant is online",
            AgentOffline => {
                "Cloud Assistant is installed but offline; check that its service runs and can \
                 reach the cloud"
            }
            AgentNeedsRunning => "Cloud Assistant can only be online on a Running instance",
            AgentUnknown => "the Cloud Assistant status could not be read; refresh to try again",
            AgentVersionOk => "Cloud Assistant {{version}} can receive files",
            AgentVersionOld => {
                "Cloud Assistant {{version}} is older than {{minimum}}, which sending scripts \
                 needs; upgrade it"
            }
            RoleAttached => "RAM role {{role}} is attached",
            RoleMissing => "no RAM role is attached",
            RoleUnknown => "the instance's RAM role could not be read; refresh to try again",
            RoleGrants => "the policies of {{role}} grant the four snapshot actions",
            RoleLacks => "the policies of {{role}} do not grant {{actions}}",
            RolePolicyUnknown => "the policies of {{role}} could not be read",
            FileSystemsOk => "the file systems ({{types}}) can be frozen",
            NetworkFileSystem => {
                "{{mount}} is {{type}}, a network or shared file system, which cannot be \
                 frozen; unmount it during snapshots"
            }
            OtherFileSystem => "{{mount}} is {{type}}, not ext3, ext4, XFS or NTFS; untested",
            ScriptsOk => "{{paths}} are present, root-owned, mode 0700, LF endings",
            ScriptMissing => "{{path}} is missing: only file-system consistency",
            ScriptNotRoot => "{{path}} is owned by {{owner}}, not root",
            ScriptMode => "{{path}} has mode {{mode}}, not 0700",
            ScriptCrlf => "{{path}} has CRLF line endings, so it cannot run",
            ScriptsAsPushed => "the scripts are as AppSnap pushed them",
            ScriptsGone => {
                "{{paths}} no longer on the instance (a reboot may have emptied /tmp); a run \
                 pushes the recorded scripts again first"
            }
            ScriptsChanged => {
                "changed since AppSnap pushed them: {{changes}}; a run pushes the recorded \
                 scripts again over them, so push the new ones if the change is wanted"
            }
            ScriptsNotRecorded => {
                "AppSnap has not pushed scripts to this instance, so a run uses whatever the \
                 guest holds: push them to know what runs"
            }
            ScriptTestFreezeFailed => {
                "in the last test run the freeze script exited {{exit}}, so a snapshot would be \
                 file-system consistent only; fix the script, push it and test again"
            }
            ScriptTestTimedOut => {
                "in the last test run a script was killed at the freeze timeout ({{timeout}} s), \
                 so a snapshot would be file-system consistent only; make it faster or raise \
                 the timeout"
            }
            ScriptTestTooSlow => {
                "in the last test run the freeze window took {{window}} ms, which with the \
                 snapshot's time exceeds the freeze timeout ({{timeout}} s)"
            }
            ScriptTestThawFailed => {
                "in the last test run the thaw script exited {{exit}}: the application may stay \
                 frozen or locked after a snapshot; fix the thaw script"
            }
            WritersOk => "{{count}} VSS writers, none failed",
            WriterFailed => "VSS writer {{writer}} is failed; restart its service",
            NoWriters => "no VSS writer reported",
            NeedsDeepCheck => "not known until a deep check looks inside the guest",
            ProbeFailed => "the deep check got no answer: {{error}}",
        }
    }
}

impl Reason {
    pub fn new(key: ReasonKey, params: &[(&str, String)]) -> Self {
        let mut map = BTreeMap::new();
        for (name, value) in params {
            // The key's own `&'static` name, so no name is copied.
            let declared = key.params().iter().find(|p| *p == name);
            debug_assert!(declared.is_some(), "{key:?} has no parameter {name}");
            let name =
                declared.map_or_else(|| Cow::Owned((*name).to_owned()), |p| Cow::Borrowed(*p));
            map.insert(name, value.clone());
        }
        let template = key.english_template();
        Self {
            key,
            text: match map.is_empty() {
                true => Cow::Borrowed(template),
                false => Cow::Owned(fill(template, &map)),
            },
            params: map,
        }
    }
}

/// The template with each `{{name}}` replaced, in one pass (an inventory fills ten
/// reasons for each of thousands of instances). An unknown name stays as written.
fn fill(template: &str, params: &BTreeMap<Cow<'static, str>, String>) -> String {
    let mut text = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = doubled(rest, b'{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match doubled(after, b'}') {
            Some(close) => {
                let name = &after[..close];
                match params.get(name) {
                    Some(value) => text.push_str(value),
                    None => text.push_str(&rest[open..open + close + 4]),
                }
                rest = &after[close + 2..];
            }
            None => {
                text.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    text.push_str(rest);
    text
}

/// Where `cc` first occurs, by a byte search (memchr) rather than a substring searcher,
/// which cost more to set up than the short templates took to scan.
fn doubled(s: &str, c: u8) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = b[from..].iter().position(|&x| x == c) {
        let at = from + i;
        if b.get(at + 1) == Some(&c) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_use_exactly_the_declared_parameters() {
        for &key in ReasonKey::ALL {
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
    fn a_template_keeps_what_it_cannot_fill() {
        let params = BTreeMap::from([(Cow::Borrowed("a"), "1".to_owned())]);
        assert_eq!(fill("{{a}}+{{b}}={{a}}", &params), "1+{{b}}=1");
        assert_eq!(fill("open {{a", &params), "open {{a");
        assert_eq!(fill("", &params), "");
        assert_eq!(fill("{a} {{a}} {", &params), "{a} 1 {");
    }

    #[test]
    fn a_reason_fills_its_text() {
        let r = Reason::new(
            ReasonKey::DiskNotEssd,
            &[
                ("disk", "d-1".to_owned()),
                ("category", "cloud_efficiency".to_owned()),
            ],
        );
        assert_eq!(
            r.text,
            "disk d-1 is cloud_efficiency, not ESSD; the category cannot be changed here \
             (migrate the data to an ESSD disk)"
        );
        assert_eq!(
            serde_json::to_value(&r).unwrap()["key"],
            serde_json::json!("DiskNotEssd")
        );
    }
}
