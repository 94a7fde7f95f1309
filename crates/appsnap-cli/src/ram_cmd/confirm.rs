//! Asking before `ram apply` writes: the plan with its exact requests on stderr, then
//! `y/N` from a terminal. Without a terminal there is no one to ask.

use std::io::{BufRead, IsTerminal, Write};

use appsnap_core::ram::RamPlan;

use super::render;

pub enum Answer {
    Yes,
    No,
    NoTerminal,
}

pub fn ask(plan: &RamPlan) -> Answer {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Answer::NoTerminal;
    }
    let writes: usize = render::pending(plan).iter().map(|p| p.requests.len()).sum();
    let mut err = std::io::stderr();
    let _ = writeln!(err, "{}", render::plan_table(plan));
    let _ = write!(err, "Send these {writes} write call(s)? [y/N] ");
    let _ = err.flush();
    let mut line = String::new();
    if stdin.lock().read_line(&mut line).is_err() {
        return Answer::No;
    }
    if is_yes(&line) {
        Answer::Yes
    } else {
        Answer::No
    }
}

fn is_yes(line: &str) -> bool {
    matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_y_or_yes_confirms() {
        for yes in ["y\n", "Y", " yes \n", "YES"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yep", "y es"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}
