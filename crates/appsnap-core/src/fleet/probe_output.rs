//! Reading the probe's `inventory-probe/1` output (crates/sandbox-cloud/GUEST_SCRIPTS.md):
//! one `key=value` a line, `|` between fields, from `APPSNAP-PROBE/1` to `END`. Unknown
//! keys are skipped (a later probe may add some); a missing header or `END` (cut output)
//! is an error, so half an answer is never taken for a whole one.

use super::types::{FileFact, FileStat, GuestFacts, MountFact, VssWriterFact};

const HEADER: &str = "APPSNAP-PROBE/1";

pub fn parse_probe(output: &str) -> Result<GuestFacts, String> {
    let mut lines = output
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .skip_while(|l| l.trim().is_empty());
    if lines.next().map(str::trim) != Some(HEADER) {
        return Err(format!("the output does not start with {HEADER}"));
    }
    let (mut os_id, mut os_version) = (String::new(), String::new());
    let (mut mounts, mut files, mut vss_writers) = (Vec::new(), Vec::new(), Vec::new());
    let mut plugin = None;
    let mut ended = false;
    for line in lines {
        if line.trim() == "END" {
            ended = true;
            break;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue; // `log|…` lines and anything unknown
        };
        let fields: Vec<&str> = value.split('|').collect();
        match key {
            "os.id" => os_id = value.trim().to_owned(),
            "os.version" => os_version = value.trim().to_owned(),
            "mount" if fields.len() >= 2 => mounts.push(MountFact {
                mount_point: fields[0].to_owned(),
                fs_type: fields[1].to_owned(),
                device: fields.get(2).copied().unwrap_or("").to_owned(),
            }),
            "file" if fields.len() >= 2 => files.push(file(&fields)?),
            "plugin" => {
                plugin = fields
                    .get(1)
                    .filter(|v| !v.is_empty() && **v != "absent")
                    .map(|v| (*v).to_owned())
            }
            "vss_writer" if fields.len() >= 2 => vss_writers.push(VssWriterFact {
                name: fields[0].to_owned(),
                failed: fields[1] == "failed",
            }),
            _ => {}
        }
    }
    if !ended {
        return Err("the output ends before END (cut off?)".into());
    }
    Ok(GuestFacts::Probed {
        os_id,
        os_version,
        mounts,
        files,
        vss_writers,
        plugin,
    })
}

/// `path|present|owner|group|mode|size|lf` or `path|missing`.
fn file(f: &[&str]) -> Result<FileFact, String> {
    let path = f[0].to_owned();
    match f[1] {
        "missing" => Ok(FileFact { path, stat: None }),
        "present" if f.len() >= 7 => Ok(FileFact {
            stat: Some(FileStat {
                owner: f[2].to_owned(),
                group: f[3].to_owned(),
                mode: f[4].to_owned(),
                size: f[5]
                    .parse()
                    .map_err(|_| format!("file {path}: size '{}' is not a number", f[5]))?,
                crlf: match f[6] {
                    "lf" => false,
                    "crlf" => true,
                    other => return Err(format!("file {path}: line endings '{other}'")),
                },
            }),
            path,
        }),
        other => Err(format!("file {path}: '{other}' with {} fields", f.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let out = "APPSNAP-PROBE/1\nos.type=linux\nos.id=centos\nos.version=7.9\n\
                   os.pretty=CentOS Linux release 7.9.2009 (Core)\nkernel=3.10.0\n\
                   mount=/|xfs|/dev/vda1\nmount=/mnt/share|nfs4|172.16.0.20:/export/share\n\
                   file=/tmp/prescript.sh|present|root|root|0700|58|crlf\n\
                   file=/tmp/postscript.sh|missing\nagent=installed|2.2.3.317\n\
                   plugin=app-snapshot-plugin|absent\nvss_writer=SqlServerWriter|failed\n\
                   log|2026-11-24 00:47:07.123 [INFO] a=b\nEND\n";
        let GuestFacts::Probed {
            os_id,
            os_version,
            mounts,
            files,
            vss_writers,
            plugin,
        } = parse_probe(out).unwrap()
        else {
            panic!("probed")
        };
        assert_eq!((os_id.as_str(), os_version.as_str()), ("centos", "7.9"));
        assert_eq!(mounts[1].fs_type, "nfs4");
        assert_eq!(mounts[1].device, "172.16.0.20:/export/share");
        assert_eq!(
            files[0].stat,
            Some(FileStat {
                owner: "root".into(),
                group: "root".into(),
                mode: "0700".into(),
                size: 58,
                crlf: true
            })
        );
        assert_eq!(files[1].stat, None);
        assert_eq!(plugin, None);
        assert_eq!(
            vss_writers,
            vec![VssWriterFact {
                name: "SqlServerWriter".into(),
                failed: true
            }]
        );
    }

    #[test]
    fn cut_or_foreign_output_is_an_error() {
        assert!(parse_probe("APPSNAP-PROBE/1\nos.id=centos\n").is_err());
        assert!(parse_probe("sandbox-cloud: does not run arbitrary scripts\n").is_err());
        assert!(
            parse_probe("APPSNAP-PROBE/1\nfile=/tmp/a|present|root\nEND\n").is_err(),
            "a file line with too few fields"
        );
    }
}
