//! The thin desktop shell: wires IPC commands to appsnap-core, owns app state and logging.
//! No domain logic lives here.

mod cloud;
mod commands;
mod ipc;
mod logging;
mod sandbox;
mod state;
mod window;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let log_dir = app.path().app_log_dir()?;
            let guard = logging::init(&log_dir)?;
            // The same profiles as the `appsnap` CLI: one config dir, one keyring service.
            let profiles = appsnap_core::profiles::Profiles::in_config_dir()?;
            // The desktop's own choice of profile lives in its config dir, not the CLI's.
            let current = appsnap_core::profiles::CurrentProfile::open(
                app.path().app_config_dir()?,
                &profiles,
            );
            tracing::info!(profile = %current.name(), "current profile");
            let settings = appsnap_core::settings::SettingsStore::in_config_dir()?;
            app.manage(state::AppState::new(
                log_dir, profiles, settings, current, guard,
            ));
            sandbox::start_embedded(app.handle().clone());
            window::open_main(app)?;
            Ok(())
        })
        .invoke_handler(ipc::handler())
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("error while running the AppSnap desktop app");
}
