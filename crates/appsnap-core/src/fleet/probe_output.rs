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
            "file.sha256" if fields.len() >= 2 => sha256(&mut files, fields[0], fields[1])?,
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
                sha256: None,
            }),
            path,
        }),
        other => Err(format!("file {path}: '{other}' with {} fields", f.len())),
    }
}

/// `file.sha256=path|hex` follows its path's `file=` line; a hash for a path reported
/// missing (or not at all) means the output is not what the probe prints.
fn sha256(files: &mut [FileFact], path: &str, hex: &str) -> Result<(), String> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("file {path}: SHA-256 '{hex}' is not 64 hex digits"));
    }
    let stat = files
        .iter_mut()
        .rev()
        .find(|f| f.path == path)
        .and_then(|f| f.stat.as_mut())
        .ok_or_else(|| format!("file {path}: a SHA-256 without a present file line"))?;
    stat.sha256 = Some(hex.to_ascii_lowercase());
    Ok(())
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
                crlf: true,
                sha256: None,
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
    fn a_sha256_line_joins_its_file_and_old_outputs_have_none() {
        let hex = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
        let out = format!(
            "APPSNAP-PROBE/1\nfile=/tmp/prescript.sh|present|root|root|0700|4|lf\n\
             file.sha256=/tmp/prescript.sh|{hex}\nfile=/tmp/postscript.sh|missing\nEND\n"
        );
        let GuestFacts::Probed { files, .. } = parse_probe(&out).unwrap() else {
            panic!("probed")
        };
        assert_eq!(
            files[0].stat.as_ref().unwrap().sha256.as_deref(),
            Some(hex.to_ascii_lowercase().as_str())
        );
        assert_eq!(files[1].stat, None);
        let bad = "APPSNAP-PROBE/1\nfile=/tmp/postscript.sh|missing\n\
                   file.sha256=/tmp/postscript.sh|9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\nEND\n";
        assert_eq!(
            parse_probe(bad).unwrap_err(),
            "file /tmp/postscript.sh: a SHA-256 without a present file line"
        );
        let short = "APPSNAP-PROBE/1\nfile=/tmp/a|present|root|root|0700|4|lf\nfile.sha256=/tmp/a|abc\nEND\n";
        assert!(parse_probe(short)
            .unwrap_err()
            .contains("not 64 hex digits"));
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
