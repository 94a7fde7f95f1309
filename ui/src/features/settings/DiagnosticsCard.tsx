// "Copy diagnostics": the backend's report (no key or token, log lines redacted) to the
// clipboard; when the webview refuses the clipboard, the text is selected to copy by hand.
import { Alert, Button, Card, Input, Space, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toAppError } from "../../ipc";

type Copied = "idle" | "copied" | "selectToCopy";

export function DiagnosticsCard() {
  const { t } = useTranslation();
  const backend = useBackend();
  const [text, setText] = useState<string>();
  const [error, setError] = useState<AppError>();
  const [copied, setCopied] = useState<Copied>("idle");
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  async function copy() {
    setBusy(true);
    setError(undefined);
    try {
      const report = await backend.diagnostics();
      setText(report);
      try {
        await navigator.clipboard.writeText(report);
        setCopied("copied");
      } catch {
        setCopied("selectToCopy");
        // After the preview renders with the new text.
        setTimeout(() => area.current?.select(), 0);
      }
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("settings.diagnostics.title")} size="small" data-testid="settings-diagnostics">
      <Typography.Paragraph type="secondary" className="settings-help">
        {t("settings.diagnostics.help")}
      </Typography.Paragraph>
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Button data-testid="diagnostics-copy" loading={busy} onClick={() => void copy()}>
          {t("settings.diagnostics.copy")}
        </Button>
        {copied !== "idle" ? (
          <Alert type={copied === "copied" ? "success" : "info"} showIcon data-testid="diagnostics-copied" data-state={copied} title={t(`settings.diagnostics.${copied}`)} />
        ) : null}
        {error ? <ErrorAlert error={error} context={t("settings.diagnostics.failed")} /> : null}
        {text !== undefined ? (
          <Input.TextArea
            ref={(el) => {
              area.current = el?.resizableTextArea?.textArea ?? null;
            }}
            data-testid="diagnostics-text"
            aria-label={t("settings.diagnostics.preview")}
            value={text}
            readOnly
            autoSize={{ minRows: 6, maxRows: 14 }}
            className="settings-diagnostics-text"
          />
        ) : null}
      </Space>
    </Card>
  );
}
