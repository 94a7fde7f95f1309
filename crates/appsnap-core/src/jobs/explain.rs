//! Why a result is less than application-consistent, from evidence only: pre-flight
//! findings, exit and error codes, the plugin's warning and error lines in the output
//! (the same messages as its log, GUEST_SCRIPTS.md), the tags, and the group. The exit
//! code is shown as a number: the real table is not public (alibaba-api.md §4.4 step 5).

use super::types::{DiskResult, Finding, FindingSource, ResultConsistency};

/// At most this many output lines are quoted.
pub const OUTPUT_LINES: usize = 12;
/// A result carries at most this many bytes of the output: its tail, where the plugin
/// prints its outcome and the group id (Cloud Assistant itself keeps up to 24 KB).
pub const OUTPUT_LIMIT: usize = 16 * 1024;

pub struct Evidence<'a> {
    pub preflight: &'a [Finding],
    pub exit_code: Option<i64>,
    pub error_code: Option<&'a str>,
    pub error_info: Option<&'a str>,
    pub output: Option<&'a str>,
    pub group_id: Option<&'a str>,
    pub group_status: Option<&'a str>,
    pub disks: &'a [DiskResult],
    pub consistency: ResultConsistency,
    pub mandate_failed: bool,
}

pub fn explain(e: &Evidence<'_>) -> Vec<Finding> {
    if e.consistency == ResultConsistency::Application {
        return Vec::new();
    }
    let f = |source, finding: String| Finding { source, finding };
    let mut out: Vec<Finding> = e.preflight.to_vec();
    if let Some(code) = e.exit_code.filter(|c| *c != 0) {
        out.push(f(
            FindingSource::ExitCode,
            format!("the command exited with code {code}"),
        ));
    }
    if let Some(code) = e.error_code.filter(|c| !c.is_empty()) {
        let info = e.error_info.filter(|i| !i.is_empty()).unwrap_or("");
        out.push(f(
            FindingSource::ErrorCode,
            format!("{code}: {info}").trim_end_matches(": ").to_owned(),
        ));
    }
    if let Some(output) = e.output {
        out.extend(
            notable_lines(output)
                .into_iter()
                .map(|l| f(FindingSource::Output, l)),
        );
    }
    match (e.group_id, e.group_status) {
        (None, _) => out.push(f(
            FindingSource::SnapshotGroup,
            "no snapshot group was created".into(),
        )),
        (Some(id), Some(s)) if s != "accomplished" => out.push(f(
            FindingSource::SnapshotGroup,
            format!("snapshot group {id} is {s}"),
        )),
        _ => {}
    }
    for d in e.disks {
        let tags = if d.tags.is_empty() {
            "no tags".to_owned()
        } else {
            d.tags
                .iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let what = match d.consistency {
            ResultConsistency::Application => continue,
            ResultConsistency::Filesystem => "file-system-consistent",
            _ => "crash-consistent (neither APPConsistent nor FsConsistent)",
        };
        out.push(f(
            FindingSource::Tags,
            format!(
                "snapshot {} of disk {} is {what}: {tags}",
                d.snapshot_id, d.disk_id
            ),
        ));
    }
    if e.mandate_failed {
        out.push(f(
            FindingSource::Mandate,
            "application-consistent was required; the result is only file-system-consistent".into(),
        ));
    }
    out
}

/// The output as a result shows it: whole when it fits [`OUTPUT_LIMIT`], else a line
/// saying how much was cut, then the tail (cut at a line start when one is near).
pub fn bounded_output(output: &str) -> String {
    if output.len() <= OUTPUT_LIMIT {
        return output.to_owned();
    }
    let mut start = output.len() - OUTPUT_LIMIT;
    while !output.is_char_boundary(start) {
        start += 1;
    }
    if let Some(nl) = output[start..].find('\n').filter(|n| *n < 200) {
        start += nl + 1;
    }
    format!(
        "[… the first {start} bytes are not shown]\n{}",
        &output[start..]
    )
}

/// The output's warning and error lines (`[WARN] …`, `[ERROR] …`), last ones kept.
pub fn notable_lines(output: &str) -> Vec<String> {
    let lines: Vec<String> = output
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("[WARN]") || l.starts_with("[ERROR]"))
        .map(str::to_owned)
        .collect();
    let skip = lines.len().saturating_sub(OUTPUT_LINES);
    lines.into_iter().skip(skip).collect()
}

/// The `ssg-` id the plugin prints as its last line, else any in the output (§4.4 step 4).
pub fn group_id_in(output: &str) -> Option<String> {
    let id_at = |l: &str| {
        l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .find(|w| w.starts_with("ssg-") && w.len() > 4)
            .map(str::to_owned)
    };
    let mut lines = output.lines().rev().filter(|l| !l.trim().is_empty());
    if let Some(last) = lines.next() {
        if let Some(id) = id_at(last.trim()) {
            return Some(id);
        }
    }
    output.lines().rev().find_map(id_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_line_group_id_wins() {
        assert_eq!(
            group_id_in("[INFO] x GroupId=ssg-aa\nssg-bb\n").as_deref(),
            Some("ssg-bb")
        );
        assert_eq!(
            group_id_in("[INFO] GroupId=ssg-aa1\n[ERROR] late\n").as_deref(),
            Some("ssg-aa1")
        );
        assert_eq!(group_id_in("nothing here"), None);
    }

    #[test]
    fn only_warnings_and_errors_are_quoted() {
        let out = "[INFO] start\n[WARN] Prescript failed, exit code 1: boom\n[ERROR] bad\nssg-1\n";
        assert_eq!(
            notable_lines(out),
            ["[WARN] Prescript failed, exit code 1: boom", "[ERROR] bad"]
        );
    }

    #[test]
    fn a_long_output_keeps_its_tail_and_says_what_was_cut() {
        let short = "[INFO] ok\nssg-1\n";
        assert_eq!(bounded_output(short), short);
        let line = "[INFO] step é done\n"; // a 2-byte char: cuts stay on char boundaries
        let long = line.repeat(2 * OUTPUT_LIMIT / line.len()) + "ssg-last\n";
        let shown = bounded_output(&long);
        assert!(shown.ends_with("[INFO] step é done\nssg-last\n"));
        let (head, tail) = shown.split_once('\n').unwrap();
        let cut = long.len() - tail.len();
        assert_eq!(head, format!("[… the first {cut} bytes are not shown]"));
        assert!(tail.len() <= OUTPUT_LIMIT && tail.len() > OUTPUT_LIMIT - 200);
        assert!(tail.starts_with("[INFO]"), "cut at a line start");
    }
}
