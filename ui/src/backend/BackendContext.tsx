// Hands the backend to the components below; the app gives the real one, tests a fake.
import { createContext, useContext, type ReactNode } from "react";
import { realBackend, type Backend } from "./Backend";

const BackendContext = createContext<Backend>(realBackend);

export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

export function useBackend(): Backend {
  return useContext(BackendContext);
}
