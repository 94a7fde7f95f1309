//! The OS from DescribeInstances' `OSType`/`OSNameEn`/`OSName` (whitespace-tolerant, the
//! cloud writes double spaces), judged against the supported matrix of alibaba-api.md
//! §7.1: CentOS 7.6+, Ubuntu 18.04+, Alibaba Cloud Linux 2/3, Windows Server 2012 R2,
//! 2016, 2019, 2022.

/// How the OS compares with the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsVerdict {
    Supported,
    /// The family is supported from `minimum` on.
    TooOld {
        minimum: &'static str,
    },
    /// A family the matrix does not name (Debian, Rocky, FreeBSD, …).
    NotInMatrix,
    /// A Windows Server newer than the matrix names.
    Newer,
}

/// The OS as a short name (`CentOS 7.4`) and its verdict.
pub fn judge(os_type: &str, name_en: &str, name: &str) -> (String, OsVerdict) {
    let text = if name_en.trim().is_empty() {
        name
    } else {
        name_en
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    let lower = joined.to_ascii_lowercase();
    let first_number = |after: usize| {
        words
            .iter()
            .skip(after)
            .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .copied()
            .unwrap_or("")
    };
    if os_type.eq_ignore_ascii_case("windows") || lower.starts_with("windows") {
        let year = first_number(0);
        let r2 = words
            .iter()
            .skip_while(|w| **w != year)
            .nth(1)
            .is_some_and(|w| w.eq_ignore_ascii_case("R2"));
        let short = format!("Windows Server {year}{}", if r2 { " R2" } else { "" });
        let verdict = match year.parse::<u32>() {
            Ok(y) if y > 2022 => OsVerdict::Newer,
            Ok(2012) if r2 => OsVerdict::Supported,
            Ok(2016 | 2019 | 2022) => OsVerdict::Supported,
            Ok(_) => OsVerdict::TooOld {
                minimum: "Windows Server 2012 R2",
            },
            Err(_) => OsVerdict::NotInMatrix,
        };
        return (short, verdict);
    }
    let families: [Family; 4] = [
        ("centos", "CentOS", 1, (7, 6), "CentOS 7.6"),
        ("ubuntu", "Ubuntu", 1, (18, 4), "Ubuntu 18.04"),
        (
            "alibaba cloud linux",
            "Alibaba Cloud Linux",
            3,
            (2, 0),
            "Alibaba Cloud Linux 2",
        ),
        (
            "aliyun linux",
            "Aliyun Linux",
            2,
            (2, 0),
            "Alibaba Cloud Linux 2",
        ),
    ];
    for (prefix, display, skip, minimum, min_name) in families {
        if lower.starts_with(prefix) {
            let version = first_number(skip);
            let short = format!("{display} {version}").trim().to_owned();
            let verdict = match major_minor(version) {
                Some(v) if v >= minimum => OsVerdict::Supported,
                Some(_) => OsVerdict::TooOld { minimum: min_name },
                None => OsVerdict::NotInMatrix,
            };
            return (short, verdict);
        }
    }
    let short = words
        .iter()
        .take_while(|w| !w.eq_ignore_ascii_case("64") && !w.starts_with("64"))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let short = if short.is_empty() { joined } else { short };
    (short, OsVerdict::NotInMatrix)
}

/// (lower-case prefix, display name, words before the version, minimum, its name).
type Family = (&'static str, &'static str, usize, (u32, u32), &'static str);

/// `7.9` → (7, 9); `3.2104` → (3, 2104); `18.04` → (18, 4); `2` → (2, 0).
fn major_minor(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts
        .next()
        .map(|m| {
            m.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clouds_strings_are_judged_against_the_matrix() {
        let cases: [(&str, &str, &str, OsVerdict); 12] = [
            (
                "linux",
                "CentOS  7.9 64 bit",
                "CentOS 7.9",
                OsVerdict::Supported,
            ),
            (
                "linux",
                "CentOS  7.6 64 bit",
                "CentOS 7.6",
                OsVerdict::Supported,
            ),
            (
                "linux",
                "CentOS  7.4 64 bit",
                "CentOS 7.4",
                OsVerdict::TooOld {
                    minimum: "CentOS 7.6",
                },
            ),
            (
                "linux",
                "Ubuntu  22.04 64 bit",
                "Ubuntu 22.04",
                OsVerdict::Supported,
            ),
            (
                "linux",
                "Ubuntu  18.04 64 bit",
                "Ubuntu 18.04",
                OsVerdict::Supported,
            ),
            (
                "linux",
                "Ubuntu  16.04 64 bit",
                "Ubuntu 16.04",
                OsVerdict::TooOld {
                    minimum: "Ubuntu 18.04",
                },
            ),
            (
                "linux",
                "Alibaba Cloud Linux  3.2104 LTS 64 bit",
                "Alibaba Cloud Linux 3.2104",
                OsVerdict::Supported,
            ),
            (
                "linux",
                "Alibaba Cloud Linux 2.1903 LTS 64 bit",
                "Alibaba Cloud Linux 2.1903",
                OsVerdict::Supported,
            ),
            (
                "linux",
                "Rocky Linux 8.8 64 bit",
                "Rocky Linux 8.8",
                OsVerdict::NotInMatrix,
            ),
            (
                "windows",
                "Windows Server  2019 Data Center Edition 64bit Chinese Edition",
                "Windows Server 2019",
                OsVerdict::Supported,
            ),
            (
                "windows",
                "Windows Server  2008 R2 Enterprise Edition 64bit Chinese Edition",
                "Windows Server 2008 R2",
                OsVerdict::TooOld {
                    minimum: "Windows Server 2012 R2",
                },
            ),
            (
                "windows",
                "Windows Server  2025 Data Center Edition 64bit",
                "Windows Server 2025",
                OsVerdict::Newer,
            ),
        ];
        for (os_type, name_en, short, verdict) in cases {
            assert_eq!(
                judge(os_type, name_en, ""),
                (short.to_owned(), verdict),
                "{name_en}"
            );
        }
    }

    #[test]
    fn the_localised_name_is_used_when_the_english_one_is_empty() {
        assert_eq!(
            judge(
                "windows",
                "",
                "Windows Server  2012 R2 数据中心版 64位中文版"
            ),
            ("Windows Server 2012 R2".to_owned(), OsVerdict::Supported)
        );
        assert_eq!(
            judge("linux", "", "CentOS  7.4 64位"),
            (
                "CentOS 7.4".to_owned(),
                OsVerdict::TooOld {
                    minimum: "CentOS 7.6"
                }
            )
        );
    }
}
