//! Pagination styles (reference §3, §5, §9.6): `PageNumber`/`PageSize` with `TotalCount`,
//! `NextToken`/`MaxResults`, and RAM's `Marker`/`MaxItems`/`IsTruncated`.

use serde_json::{json, Map, Value};

use super::params::Params;
use crate::errors::{ApiError, ApiResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub default: usize,
    pub max_page_size: usize,
    pub max_results: usize,
    /// Out-of-range `MaxResults` is clamped instead of rejected (DescribeDisks).
    pub clamp: bool,
}

pub const fn limits(default: usize, max_page_size: usize, max_results: usize) -> Limits {
    Limits {
        default,
        max_page_size,
        max_results,
        clamp: false,
    }
}

pub fn encode_token(offset: usize) -> String {
    format!(
        "{:016x}{:016x}",
        offset,
        (offset as u64) ^ 0x5bd1_e995_a3c4_f00d
    )
}

pub fn decode_token(token: &str) -> ApiResult<usize> {
    let bad = ApiError::invalid_next_token;
    if token.len() != 32 {
        return Err(bad());
    }
    let a = u64::from_str_radix(&token[..16], 16).map_err(|_| bad())?;
    let b = u64::from_str_radix(&token[16..], 16).map_err(|_| bad())?;
    if a ^ 0x5bd1_e995_a3c4_f00d != b {
        return Err(bad());
    }
    Ok(a as usize)
}

/// Page `items`; returns the page and the paging fields of the answer.
/// `token_only` serves NextToken paging even without NextToken/MaxResults (DescribeSnapshotGroups).
pub fn page<T>(
    items: Vec<T>,
    p: &Params,
    l: Limits,
    token_only: bool,
) -> ApiResult<(Vec<T>, Map<String, Value>)> {
    let total = items.len();
    let mut fields = Map::new();
    let token_mode = token_only || p.get("NextToken").is_some() || p.get("MaxResults").is_some();
    let (offset, size) = if token_mode {
        let mut size = p
            .u64("MaxResults")?
            .map(|v| v as usize)
            .unwrap_or(l.default);
        if size == 0 || size > l.max_results {
            if !l.clamp {
                return Err(ApiError::invalid(
                    "MaxResults",
                    format!("must be between 1 and {}", l.max_results),
                ));
            }
            size = size.clamp(l.default, l.max_results);
        }
        let offset = match p.get("NextToken") {
            Some(t) => decode_token(t)?,
            None => 0,
        };
        (offset, size)
    } else {
        let number = p.u64("PageNumber")?.unwrap_or(1) as usize;
        let size = p.u64("PageSize")?.map(|v| v as usize).unwrap_or(l.default);
        if number == 0 {
            return Err(ApiError::invalid("PageNumber", "must be 1 or more"));
        }
        if size == 0 || size > l.max_page_size {
            return Err(ApiError::invalid(
                "PageSize",
                format!("must be between 1 and {}", l.max_page_size),
            ));
        }
        fields.insert("PageNumber".into(), json!(number));
        fields.insert("PageSize".into(), json!(size));
        ((number - 1).saturating_mul(size), size)
    };
    let page: Vec<T> = items.into_iter().skip(offset).take(size).collect();
    if token_mode {
        let next = offset + page.len();
        fields.insert(
            "NextToken".into(),
            json!(if next < total {
                encode_token(next)
            } else {
                String::new()
            }),
        );
        if !token_only {
            fields.insert("MaxResults".into(), json!(size));
        }
    }
    if !token_only {
        fields.insert("TotalCount".into(), json!(total));
    }
    Ok((page, fields))
}

/// RAM's Marker paging: `MaxItems` (1–1000, default 100), `IsTruncated`, `Marker`.
pub fn marker_page<T>(items: Vec<T>, p: &Params) -> ApiResult<(Vec<T>, Map<String, Value>)> {
    let size = p.u64("MaxItems")?.map(|v| v as usize).unwrap_or(100);
    if size == 0 || size > 1000 {
        return Err(ApiError::invalid("MaxItems", "must be between 1 and 1000"));
    }
    let offset = match p.get("Marker") {
        Some(m) => decode_token(m).map_err(|_| ApiError::invalid_marker())?,
        None => 0,
    };
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(offset).take(size).collect();
    let next = offset + page.len();
    let mut fields = Map::new();
    fields.insert("IsTruncated".into(), json!(next < total));
    if next < total {
        fields.insert("Marker".into(), json!(encode_token(next)));
    }
    Ok((page, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Params {
        let v: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Params::from_pairs(v.iter())
    }

    const L: Limits = limits(10, 100, 100);

    #[test]
    fn page_number_mode() {
        let (items, f) = page(
            (0..25).collect(),
            &p(&[("PageNumber", "3"), ("PageSize", "10")]),
            L,
            false,
        )
        .unwrap();
        assert_eq!(items, vec![20, 21, 22, 23, 24]);
        assert_eq!(f["TotalCount"], 25);
        assert_eq!(f["PageNumber"], 3);
        assert!(f.get("NextToken").is_none());
        assert!(page(
            (0..5).collect::<Vec<i32>>(),
            &p(&[("PageSize", "101")]),
            L,
            false
        )
        .is_err());
    }

    #[test]
    fn next_token_mode_walks_everything_once() {
        let mut seen = Vec::new();
        let mut token = String::new();
        loop {
            let mut q = vec![("MaxResults", "7")];
            if !token.is_empty() {
                q.push(("NextToken", token.as_str()));
            }
            let (items, f) = page((0..20).collect(), &p(&q), L, false).unwrap();
            seen.extend(items);
            token = f["NextToken"].as_str().unwrap().to_string();
            if token.is_empty() {
                break;
            }
        }
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
        assert!(page(
            (0..3).collect::<Vec<i32>>(),
            &p(&[("NextToken", "garbage")]),
            L,
            false
        )
        .is_err());
    }

    #[test]
    fn clamped_and_marker_paging() {
        let lc = Limits {
            clamp: true,
            ..limits(10, 100, 500)
        };
        let (items, _) = page(
            (0..600).collect::<Vec<i32>>(),
            &p(&[("MaxResults", "900")]),
            lc,
            false,
        )
        .unwrap();
        assert_eq!(items.len(), 500);
        let (items, f) =
            marker_page((0..5).collect::<Vec<i32>>(), &p(&[("MaxItems", "2")])).unwrap();
        assert_eq!(items, vec![0, 1]);
        assert_eq!(f["IsTruncated"], true);
        let m = f["Marker"].as_str().unwrap();
        let (items, f) = marker_page(
            (0..5).collect::<Vec<i32>>(),
            &p(&[("MaxItems", "10"), ("Marker", m)]),
        )
        .unwrap();
        assert_eq!(items, vec![2, 3, 4]);
        assert_eq!(f["IsTruncated"], false);
        assert!(f.get("Marker").is_none());
    }
}
