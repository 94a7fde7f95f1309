//! `appsnap`: the command line front end over appsnap-core.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => {
            println!("appsnap {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        None | Some("--help") | Some("-h") => {
            println!("appsnap {}\n\nNo commands are available in this build yet.", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("appsnap: unknown command '{other}' (see --help)");
            ExitCode::from(2)
        }
    }
}
