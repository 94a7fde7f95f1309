import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import "./app/app.css";
import { App } from "./app/App";
import { createAppRuntime } from "./app/runtime";

// Subscribes to backend events before the first render, so none is missed.
const runtime = createAppRuntime();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App runtime={runtime} />
  </StrictMode>,
);
