fn main() {
    // Variant C layout: the build script runs at the repository root, so point
    // tauri-build at the root config and at the capabilities kept in src-tauri/.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    )
    .expect("tauri-build failed");
}
