/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The UI lives in ui/; Tauri loads dist/ (tauri.conf.json: frontendDist "dist",
// devUrl http://localhost:1420).
export default defineConfig({
  root: "ui",
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // The Rust sources change under the lead's hands; no need to watch them here.
    watch: { ignored: ["**/src-tauri/**", "**/crates/**", "**/target/**"] },
  },
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    // Tauri's WebKitGTK and WebView2 are recent; no legacy transforms needed.
    target: "es2022",
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
    // Same reason as asyncUtilTimeout in src/test/setup.ts: slow under load is not wrong.
    testTimeout: 30_000,
  },
});
