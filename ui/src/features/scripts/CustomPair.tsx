// The user's own freeze/thaw pair: two shell editors (or files loaded from disk, checked
// as bytes), each validated live by the backend with the same rules a push applies.
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Space, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import type { AppError } from "../../bindings/AppError";
import type { ScriptValidation } from "../../bindings/ScriptValidation";
import { CUSTOM_SOURCE, utf8, type ScriptPair } from "./pair";
import { ShellEditor } from "./ShellEditor";

const ROLES = ["freeze", "thaw"] as const;
type Role = (typeof ROLES)[number];
const START: Record<Role, string> = { freeze: "#!/bin/sh\nset -e\necho frozen\n", thaw: "#!/bin/sh\necho thawed\n" };

export function CustomPair({ onPair }: { onPair: (pair: ScriptPair | undefined) => void }) {
  const [texts, setTexts] = useState<Record<Role, string>>(START);
  // A loaded file that is not text has no editor text: its own check stands until an edit.
  const [refused, setRefused] = useState<Partial<Record<Role, ScriptValidation>>>({});
  const freeze = useValidation(texts.freeze);
  const thaw = useValidation(texts.thaw);
  const checks: Record<Role, ScriptValidation | undefined> = { freeze: refused.freeze ?? freeze, thaw: refused.thaw ?? thaw };
  const ok = ROLES.every((r) => checks[r]?.sendable === true);
  useEffect(() => {
    onPair(ok ? { source: CUSTOM_SOURCE, freeze: texts.freeze, thaw: texts.thaw } : undefined);
  }, [ok, texts, onPair]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="scripts-custom">
      {ROLES.map((role) => (
        <RoleEditor
          key={role}
          role={role}
          text={texts[role]}
          check={checks[role]}
          onText={(text) => {
            setRefused((r) => ({ ...r, [role]: undefined }));
            setTexts((x) => ({ ...x, [role]: text }));
          }}
          onRefused={(v) => setRefused((r) => ({ ...r, [role]: v }))}
        />
      ))}
    </Space>
  );
}

/** The backend's check of the text, a quarter second after typing stops. */
function useValidation(text: string): ScriptValidation | undefined {
  const backend = useBackend();
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const id = setTimeout(() => setSettled(text), 250);
    return () => clearTimeout(id);
  }, [text]);
  const q = useQuery<ScriptValidation, AppError>({
    queryKey: queryKeys.scriptsValidate(settled),
    queryFn: () => backend.scriptsValidate({ content: utf8(settled) }),
    placeholderData: (previous) => previous,
  });
  return settled === text ? q.data : undefined;
}

interface RoleProps {
  role: Role;
  text: string;
  check: ScriptValidation | undefined;
  onText: (text: string) => void;
  onRefused: (v: ScriptValidation) => void;
}

function RoleEditor({ role, text, check, onText, onRefused }: RoleProps) {
  const { t } = useTranslation();
  const backend = useBackend();
  const picker = useRef<HTMLInputElement>(null);
  const load = async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const v = await backend.scriptsValidate({ content: Array.from(bytes) });
    // Text (even with CRLF or a BOM) goes into the editor as it is, so its warnings show live.
    if (v.content !== undefined) onText(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes));
    else onRefused(v);
  };
  const state = check === undefined ? "checking" : check.sendable ? "ok" : "refused";
  return (
    <Card
      size="small"
      data-testid={`scripts-custom-${role}`}
      data-state={state}
      title={<Space><Tag>{t(`scripts.role.${role}`)}</Tag><code>{t(`scripts.path.${role}`)}</code></Space>}
      extra={
        <>
          <input
            ref={picker}
            type="file"
            data-testid={`scripts-load-${role}`}
            style={{ display: "none" }}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void load(f);
              e.target.value = "";
            }}
          />
          <Button size="small" onClick={() => picker.current?.click()}>
            {t("scripts.custom.load")}
          </Button>
        </>
      }
    >
      <ShellEditor value={text} onChange={onText} testId={`scripts-editor-${role}`} />
      <div style={{ marginTop: 8 }} data-testid={`scripts-problems-${role}`}>
        {check?.problems.map((p, i) => (
          <Alert
            key={i}
            style={{ marginBottom: 4 }}
            type={p.severity === "error" ? "error" : "warning"}
            showIcon
            data-testid={`scripts-problem-${role}-${p.code}`}
            data-severity={p.severity}
            message={t(`scripts.problem.${p.code}`)}
            description={<Typography.Text type="secondary">{p.line ? t("scripts.custom.line", { line: p.line }) + " · " : ""}{p.message}</Typography.Text>}
          />
        ))}
        {state === "ok" && check?.problems.length === 0 ? <Typography.Text type="success">{t("scripts.custom.sendable")}</Typography.Text> : null}
      </div>
    </Card>
  );
}
