// The invocation's decoded output as the engine kept it (its tail when long): folded by
// default, monospace, with a copy button for the whole text.
import { Collapse, Typography } from "antd";
import { useTranslation } from "react-i18next";

export function RunOutput({ instanceId, output }: { instanceId: string; output: string | null }) {
  const { t } = useTranslation();
  if (output === null) return null;
  const lines = output === "" ? 0 : output.replace(/\n$/, "").split("\n").length;
  return (
    <Collapse
      size="small"
      className="run-output-block"
      data-testid={`run-output-${instanceId}`}
      data-lines={lines}
      items={[
        {
          key: "out",
          label: t("results.outputLines", { count: lines }),
          extra: (
            <span onClick={(e) => e.stopPropagation()} data-testid={`run-output-copy-${instanceId}`}>
              <Typography.Text copyable={{ text: output, tooltips: [t("results.copyOutput"), t("results.copied")] }} />
            </span>
          ),
          children: output ? (
            <pre className="run-output" data-testid={`run-output-text-${instanceId}`}>
              {output}
            </pre>
          ) : (
            <Typography.Text type="secondary">{t("results.outputEmpty")}</Typography.Text>
          ),
        },
      ]}
    />
  );
}
