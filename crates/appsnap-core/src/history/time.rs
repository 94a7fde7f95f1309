//! Unix milliseconds as `yyyy-MM-ddTHH:mm:ssZ`, the cloud's own format, for exports.

/// `1970-01-01T00:00:00Z` for 0; days from the civil-calendar algorithm (H. Hinnant).
pub fn iso_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::iso_utc;

    #[test]
    fn known_instants() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(iso_utc(1_767_225_599_999), "2025-12-31T23:59:59Z");
    }
}

/// `yyyy-MM-dd` (UTC midnight) as Unix ms, for date-range filters typed by a user.
pub fn day_start_ms(s: &str) -> Result<i64, crate::AppError> {
    let bad = || crate::AppError::invalid_input(format!("'{s}' is not a date (yyyy-MM-dd)"));
    let parts: Vec<&str> = s.trim().split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    let (y, m, d): (i64, i64, i64) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let ms = days * 86_400_000;
    // 2026-02-31 would roll into March: refuse what does not read back the same.
    if iso_utc(ms)[..10] != format!("{y:04}-{m:02}-{d:02}") {
        return Err(bad());
    }
    Ok(ms)
}

#[cfg(test)]
mod day_tests {
    use super::day_start_ms;

    #[test]
    fn dates_parse_to_utc_midnight_and_bad_ones_are_refused() {
        assert_eq!(day_start_ms("1970-01-11").unwrap(), 10 * 86_400_000);
        assert_eq!(day_start_ms("2000-02-29").unwrap(), 951_782_400_000);
        for bad in ["2026-02-31", "2026-13-01", "yesterday", "2026-1"] {
            assert!(day_start_ms(bad).is_err(), "{bad}");
        }
    }
}
