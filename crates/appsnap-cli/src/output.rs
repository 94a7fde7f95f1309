//! `--output table|json` rendering.

use clap::ValueEnum;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Table,
    Json,
}

/// Columns padded to the widest cell, measured in terminal columns: Chinese region
/// names take two columns per character.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width())))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(headers.to_vec())];
    for row in rows {
        out.push(line(row.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align() {
        let t = table(
            &["ID", "NAME"],
            &[
                vec!["i-1".into(), "web".into()],
                vec!["i-22".into(), "db".into()],
            ],
        );
        assert_eq!(t, "ID    NAME\ni-1   web\ni-22  db");
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let t = table(
            &["REGION", "NAME", "STATUS"],
            &[
                vec![
                    "cn-hangzhou".into(),
                    "华东1（杭州）".into(),
                    "available".into(),
                ],
                vec!["cn-hongkong".into(), "中国香港".into(), "available".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        let status_col: Vec<usize> = lines
            .iter()
            .map(|l| l[..l.rfind("  ").unwrap()].width())
            .collect();
        assert!(status_col.windows(2).all(|w| w[0] == w[1]), "{t}");
    }
}
