//! Renders a template with core's own `scripts::render` into DIR/freeze.sh and
//! DIR/thaw.sh (mode 0700), for tests/scripts-real, which runs them on real servers.
//!
//!   cargo run -p appsnap-core --example render_script -- NAME DIR FREEZE_TIMEOUT [K=V]...
//!
//! Prints each warning on stderr; exits 2 with the error when rendering is refused.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, dir, timeout, rest @ ..] = args.as_slice() else {
        eprintln!("usage: render_script NAME DIR FREEZE_TIMEOUT [K=V]...");
        std::process::exit(2);
    };
    let timeout: u32 = timeout.parse().expect("FREEZE_TIMEOUT is whole seconds");
    let params: BTreeMap<String, String> = rest
        .iter()
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("parameters are K=V");
            (k.to_string(), v.to_string())
        })
        .collect();
    match appsnap_core::scripts::render(name, &params, timeout) {
        Ok(pair) => {
            for w in &pair.warnings {
                eprintln!("warning {}: {}", w.code.name(), w.message);
            }
            for (file, text) in [("freeze.sh", &pair.freeze), ("thaw.sh", &pair.thaw)] {
                let path = std::path::Path::new(dir).join(file);
                std::fs::write(&path, text).expect("write the script");
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))
                    .expect("chmod 0700");
            }
        }
        Err(e) => {
            eprintln!("{}: {}", e.code.name(), e.message);
            std::process::exit(2);
        }
    }
}
