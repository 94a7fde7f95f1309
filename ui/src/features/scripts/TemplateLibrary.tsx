// The template library: each template with what it holds and for how long, its parameters
// checked live, and the pair exactly as it would be pushed (read-only, with copy).
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Descriptions, Form, Input, Skeleton, Space, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import type { AppError } from "../../bindings/AppError";
import type { RenderedScripts } from "../../bindings/RenderedScripts";
import type { ScriptProblem } from "../../bindings/ScriptProblem";
import type { ScriptTemplate } from "../../bindings/ScriptTemplate";
import { ErrorAlert } from "../../components/ErrorAlert";
import type { ScriptPair } from "./pair";
import { ShellEditor } from "./ShellEditor";

interface Props {
  timeout: number;
  onPair: (pair: ScriptPair | undefined) => void;
}

export function TemplateLibrary({ timeout, onPair }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const list = useQuery<ScriptTemplate[], AppError>({ queryKey: queryKeys.scriptsTemplates, queryFn: () => backend.scriptsTemplates() });
  const [name, setName] = useState<string>();
  const [values, setValues] = useState<Record<string, string>>({});
  const chosen = list.data?.find((x) => x.name === name) ?? list.data?.[0];
  const params = useMemo(() => {
    const out: Record<string, string> = {};
    for (const p of chosen?.params ?? []) out[p.name] = values[`${chosen!.name}.${p.name}`] ?? p.default;
    return out;
  }, [chosen, values]);
  const problems = useQuery<ScriptProblem[], AppError>({
    queryKey: queryKeys.scriptsCheckParams(chosen?.name ?? "", params, timeout),
    queryFn: () => backend.scriptsCheckParams({ name: chosen!.name, params, freezeTimeoutSeconds: timeout }),
    enabled: chosen !== undefined,
  });
  const blocked = problems.data?.some((p) => p.severity === "error") ?? true;
  const rendered = useQuery<RenderedScripts, AppError>({
    queryKey: queryKeys.scriptsRender(chosen?.name ?? "", params, timeout),
    queryFn: () => backend.scriptsRender({ name: chosen!.name, params, freezeTimeoutSeconds: timeout }),
    enabled: chosen !== undefined && !blocked,
    retry: false,
  });
  const pair = !blocked && rendered.data ? rendered.data : undefined;
  useEffect(() => {
    onPair(pair ? { source: pair.name, freeze: pair.freeze, thaw: pair.thaw } : undefined);
  }, [pair, onPair]);

  if (list.error) return <ErrorAlert error={list.error} />;
  const of = (param: string) => problems.data?.filter((p) => p.param === param) ?? [];
  const general = problems.data?.filter((p) => !p.param) ?? [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="scripts-library" data-template={chosen?.name}>
      {list.isPending ? <Skeleton active /> : null}
      <div className="scripts-library">
        {(list.data ?? []).map((x) => (
            <Card
              key={x.name}
              size="small"
              hoverable
              data-testid={`scripts-template-${x.name}`}
              data-chosen={x.name === chosen?.name}
              onClick={() => setName(x.name)}
              style={x.name === chosen?.name ? { borderColor: "#1677ff" } : undefined}
              title={x.title}
            >
              <Typography.Paragraph style={{ marginBottom: 4 }}>{x.description}</Typography.Paragraph>
              <Typography.Text type="secondary">{x.holdsFor}</Typography.Text>
            </Card>
        ))}
      </div>
      {chosen ? (
        <Card size="small" title={chosen.title} data-testid="scripts-template-detail">
          <Descriptions size="small" column={1} items={[
            { key: "holds", label: t("scripts.template.holds"), children: chosen.holds },
            { key: "for", label: t("scripts.template.holdsFor"), children: chosen.holdsFor },
            { key: "proof", label: t("scripts.template.proof"), children: chosen.proof },
          ]} />
          {chosen.params.length ? (
            <Form layout="vertical" style={{ marginTop: 12 }}>
              {chosen.params.map((p) => {
                const mine = of(p.name);
                const error = mine.find((m) => m.severity === "error");
                const warning = mine.find((m) => m.severity === "warning");
                return (
                  <Form.Item
                    key={p.name}
                    label={<Space><code>{p.name}</code><span>{p.description}</span></Space>}
                    validateStatus={error ? "error" : warning ? "warning" : undefined}
                    help={error || warning ? <span data-testid={`scripts-param-problem-${p.name}`} data-code={(error ?? warning)!.code}>{(error ?? warning)!.message}</span> : undefined}
                  >
                    <Input
                      data-testid={`scripts-param-${p.name}`}
                      value={params[p.name]}
                      placeholder={p.default}
                      onChange={(e) => setValues({ ...values, [`${chosen.name}.${p.name}`]: e.target.value })}
                    />
                  </Form.Item>
                );
              })}
            </Form>
          ) : (
            <Typography.Paragraph type="secondary">{t("scripts.template.noParams")}</Typography.Paragraph>
          )}
          {general.map((p, i) => <Alert key={i} type={p.severity === "error" ? "error" : "warning"} showIcon message={p.message} />)}
        </Card>
      ) : null}
      {rendered.error && !blocked ? <ErrorAlert error={rendered.error} /> : null}
      {pair ? (
        <div data-testid="scripts-rendered" data-template={pair.name}>
          {(["freeze", "thaw"] as const).map((role) => (
            <Card
              key={role}
              size="small"
              style={{ marginBottom: 12 }}
              title={<Space><Tag>{t(`scripts.role.${role}`)}</Tag><code>{t(`scripts.path.${role}`)}</code></Space>}
              extra={<CopyButton text={pair[role]} testId={`scripts-copy-${role}`} />}
            >
              <ShellEditor value={pair[role]} readOnly testId={`scripts-rendered-${role}`} />
            </Card>
          ))}
        </div>
      ) : null}
    </Space>
  );
}

function CopyButton({ text, testId }: { text: string; testId: string }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  return (
    <Button
      size="small"
      data-testid={testId}
      data-copied={done}
      onClick={() => void navigator.clipboard?.writeText(text).then(() => setDone(true), () => setDone(false))}
    >
      {done ? t("scripts.copied") : t("scripts.copy")}
    </Button>
  );
}
