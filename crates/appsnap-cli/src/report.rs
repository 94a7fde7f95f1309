//! How the CLI shows an `AppError`: core's message and fields, the hint in English, one
//! line each on stderr. Exit codes: 2 for refused input (as clap's usage errors), else 1.

use std::process::ExitCode;

use appsnap_core::AppError;

/// `appsnap: error: …`, then `RequestId: …`, `hint: …` and `Recommend: …` when present.
pub fn render(e: &AppError) -> String {
    let mut lines = vec![format!("appsnap: error: {}", e.message)];
    if let Some(id) = &e.request_id {
        lines.push(format!("RequestId: {id}"));
    }
    if let Some(hint) = &e.hint {
        lines.push(format!("hint: {}", hint.english()));
    }
    if let Some(url) = &e.recommend {
        lines.push(format!("Recommend: {url}"));
    }
    lines.join("\n")
}

/// Prints the error; exit status 1.
pub fn fail(e: &AppError) -> ExitCode {
    eprintln!("{}", render(e));
    ExitCode::FAILURE
}

/// Prints the error; exit status 2, the status of a usage error.
pub fn usage(e: &AppError) -> ExitCode {
    eprintln!("{}", render(e));
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use appsnap_core::{ErrorCode, Hint, HintKey};

    use super::*;

    #[test]
    fn every_field_gets_its_own_line() {
        let e = AppError::new(
            ErrorCode::Throttled,
            "DescribeRegions: slow down (Throttling; HTTP 400)",
        )
        .with_request_id("R-1")
        .with_hint(Hint::new(HintKey::WaitAndRetry))
        .with_recommend("https://api.aliyun.com/troubleshoot?q=Throttling");
        assert_eq!(
            render(&e),
            "appsnap: error: DescribeRegions: slow down (Throttling; HTTP 400)\n\
             RequestId: R-1\n\
             hint: the cloud is throttling; try again in a moment\n\
             Recommend: https://api.aliyun.com/troubleshoot?q=Throttling"
        );
        assert_eq!(
            render(&AppError::invalid_input("bad")),
            "appsnap: error: bad"
        );
    }
}
