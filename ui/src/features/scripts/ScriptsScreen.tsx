// The Scripts screen: a freeze/thaw pair from the template library or the user's own
// editor, pushed to the instances chosen in the picker (or here) with per-instance
// progress and verified hashes, then test-run with the freeze window against the timeout.
import { Card, InputNumber, Space, Tabs } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { useTask } from "../../backend/useTask";
import type { AppError } from "../../bindings/AppError";
import type { StoredInventory } from "../../bindings/StoredInventory";
import { useAppStatus } from "../../status/appStatus";
import { PageHeader } from "../../components/PageHeader";
import { useInstanceSelection } from "../instances/selection";
import { CustomPair } from "./CustomPair";
import { DEFAULT_TIMEOUT_SECONDS, linuxTargets, type ScriptPair } from "./pair";
import { PushPanel } from "./PushPanel";
import { Targets } from "./Targets";
import { TemplateLibrary } from "./TemplateLibrary";
import { TestPanel } from "./TestPanel";
import "./scripts.css";

/** `instanceId` (from `#/scripts/ID`, the picker's drawer) becomes the selection on arrival. */
export function ScriptsScreen({ instanceId }: { instanceId?: string } = {}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const profile = useAppStatus().data?.profile;
  // The stored inventory only: refreshing it is the picker's job.
  const stored = useQuery<StoredInventory | null, AppError>({
    queryKey: queryKeys.fleetCached(profile ?? ""),
    queryFn: () => backend.fleetCached(),
    enabled: profile !== undefined,
    retry: false,
  }).data;
  const [selected, setSelected] = useInstanceSelection(profile);
  useEffect(() => {
    if (profile !== undefined && instanceId) setSelected([instanceId]);
  }, [profile, instanceId, setSelected]);
  const [mode, setMode] = useState<"template" | "custom">("template");
  const [pairs, setPairs] = useState<{ template?: ScriptPair; custom?: ScriptPair }>({});
  const [timeout, setFreezeTimeout] = useState(DEFAULT_TIMEOUT_SECONDS);
  const push = useTask((b) => b.scriptsPush, "scripts-push");
  const test = useTask((b) => b.scriptsTest, "scripts-test");
  // A push clears, a test run sets, what the stored inventory says of the scripts: the
  // picker and the snapshot dialog predict with it.
  const client = useQueryClient();
  const finished = [push.status, test.status].join();
  useEffect(() => {
    if (profile !== undefined) void client.invalidateQueries({ queryKey: queryKeys.fleetCached(profile) });
  }, [finished, profile, client]);
  const onTemplate = useCallback((p: ScriptPair | undefined) => setPairs((x) => ({ ...x, template: p })), []);
  const onCustom = useCallback((p: ScriptPair | undefined) => setPairs((x) => ({ ...x, custom: p })), []);
  const targets = linuxTargets(stored)
    .filter((x) => selected.includes(x.instanceId))
    .map(({ instanceId, regionId }) => ({ instanceId, regionId }));

  return (
    <div data-testid="scripts-screen" data-mode={mode}>
      <PageHeader title={t("nav.scripts")} description={t("screens.scripts.description")} />
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Space>
          <span>{t("scripts.timeout")} ({t("scripts.seconds")})</span>
          <InputNumber
            data-testid="scripts-timeout"
            min={1}
            max={3600}
            value={timeout}
            onChange={(v) => setFreezeTimeout(typeof v === "number" ? v : DEFAULT_TIMEOUT_SECONDS)}
          />
        </Space>
        <Tabs
          activeKey={mode}
          onChange={(k) => setMode(k as "template" | "custom")}
          items={[
            { key: "template", label: <span data-testid="scripts-mode-template">{t("scripts.mode.template")}</span>, children: <TemplateLibrary timeout={timeout} onPair={onTemplate} /> },
            { key: "custom", label: <span data-testid="scripts-mode-custom">{t("scripts.mode.custom")}</span>, children: <CustomPair onPair={onCustom} /> },
          ]}
        />
        <Card size="small" title={t("scripts.targets.title")}>
          <Targets stored={stored} selected={selected} onSelect={setSelected} />
        </Card>
        <Card size="small" title={t("scripts.push.title")}>
          <PushPanel task={push} pair={pairs[mode]} targets={targets} />
        </Card>
        <Card size="small" title={t("scripts.test.title")}>
          <TestPanel task={test} targets={targets} timeout={timeout} />
        </Card>
      </Space>
    </div>
  );
}
