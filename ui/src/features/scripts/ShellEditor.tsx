// The shell editor, lazy: CodeMirror comes in its own chunk the first time a script is shown.
import { Skeleton } from "antd";
import { lazy, Suspense } from "react";
import type { CodeEditorProps } from "./CodeEditor";

const CodeEditor = lazy(() => import("./CodeEditor"));

export function ShellEditor(props: CodeEditorProps) {
  return (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 4 }} />}>
      <CodeEditor {...props} />
    </Suspense>
  );
}
