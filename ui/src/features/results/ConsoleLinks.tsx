// A run's "open in console" addresses, as copyable text marked unverified (consoleLinks.ts).
import { Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RunResult } from "../../bindings/RunResult";
import { consoleLinks } from "./consoleLinks";

export function ConsoleLinks({ run }: { run: RunResult }) {
  const { t } = useTranslation();
  const links = consoleLinks(run);
  return (
    <div className="run-console" data-testid={`run-console-${run.instanceId}`}>
      <Typography.Text strong>{t("results.console.title")}</Typography.Text>{" "}
      <Tag color="warning" data-testid="run-console-unverified">
        {t("results.console.unverified")}
      </Tag>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
        {t("results.console.help")}
      </Typography.Paragraph>
      <ul>
        {links.map((l) => (
          <li key={l.kind} data-testid={`run-console-${l.kind}`} data-url={l.url} data-deep={l.deep}>
            {t(`results.console.${l.kind}`)}:{" "}
            <Typography.Text copyable={{ text: l.url }}>{l.url}</Typography.Text>
            {l.deep ? null : (
              <Typography.Text type="secondary"> {t("results.console.searchFor", { id: l.id })}</Typography.Text>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
