//! The main window. Built in code rather than in tauri.conf.json so the page can learn
//! the OS language before its first paint: webviews do not all report it (WebKitGTK
//! ignores LANG for `navigator.language`), and a flash of the wrong language looks broken.

use tauri::{App, WebviewUrl, WebviewWindowBuilder};

pub fn open_main(app: &App) -> tauri::Result<()> {
    let locale = sys_locale::get_locale().unwrap_or_default();
    // serde_json quoting keeps any locale string a valid JS string literal.
    let script = format!(
        "window.__APPSNAP_OS_LOCALE__ = {};",
        serde_json::Value::String(locale)
    );
    WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
        .title("AppSnap")
        .inner_size(1280.0, 800.0)
        .min_inner_size(960.0, 600.0)
        .initialization_script(&script)
        .build()?;
    Ok(())
}
