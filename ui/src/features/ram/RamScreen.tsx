// The RAM setup wizard (seed step 1): why → review the plan → choose instances → apply
// → summary. The plan is always read from the account (ram_plan); reopening on a done
// account lands on the summary with every step done.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Space, Spin, Steps } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { InstanceRef } from "../../bindings/InstanceRef";
import type { InstanceResolution } from "../../bindings/InstanceResolution";
import type { RamOptions } from "../../bindings/RamOptions";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { useTask } from "../../backend/useTask";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toAppError } from "../../ipc";
import { PageHeader } from "../../components/PageHeader";
import { ApplyPanel } from "./ApplyPanel";
import { holdsOther, InstancePicker } from "./InstancePicker";
import { NamesStep } from "./NamesStep";
import { PlanReview } from "./PlanReview";
import { allDone, RamSummary } from "./RamSummary";
import { DEFAULT_POLICY_NAME, DEFAULT_ROLE_NAME, namesValid, type RamNames } from "./ramNames";
import "./ram.css";

const STEPS = ["why", "review", "instances", "apply", "summary"] as const;
const [WHY, REVIEW, INSTANCES, APPLY, SUMMARY] = [0, 1, 2, 3, 4];

export function RamScreen() {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState(WHY);
  const [names, setNames] = useState<RamNames>({ roleName: DEFAULT_ROLE_NAME, policyName: DEFAULT_POLICY_NAME });
  const [useExisting, setUseExisting] = useState({ role: false, policy: false });
  // `null` until the instance list arrives: then the ones holding our role are chosen.
  const [selected, setSelected] = useState<InstanceRef[] | null>(null);
  const [resolutions, setResolutions] = useState<Record<string, InstanceResolution>>({});
  const opened = useRef(false);

  const candidates = useQuery({
    queryKey: queryKeys.ramCandidates,
    queryFn: () => backend.ramCandidates({ regions: [] }),
  });
  useEffect(() => {
    if (selected === null && candidates.data) {
      const ours = candidates.data.instances.filter((i) => i.currentRole?.toLowerCase() === names.roleName.toLowerCase());
      setSelected(ours.map((i) => ({ instanceId: i.instanceId, regionId: i.regionId })));
    }
  }, [candidates.data, selected, names.roleName]);

  const options: RamOptions = useMemo(() => {
    const instances = selected ?? [];
    const ids = new Set(instances.map((i) => i.instanceId));
    return {
      ...names,
      instances,
      useExistingRole: useExisting.role,
      useExistingPolicy: useExisting.policy,
      resolutions: Object.fromEntries(Object.entries(resolutions).filter(([id]) => ids.has(id))),
    };
  }, [names, selected, useExisting, resolutions]);

  const valid = namesValid(names);
  const plan = useQuery({
    queryKey: queryKeys.ramPlan(options),
    queryFn: () => backend.ramPlan({ options }),
    enabled: valid && selected !== null,
  });

  // Safe to reopen: a done account goes straight to the summary, once, judged on a fresh
  // read of the chosen instances (a cached plan from before an apply would say "to do").
  const judged = selected !== null && !plan.isFetching ? plan.data : undefined;
  useEffect(() => {
    if (!opened.current && judged) {
      opened.current = true;
      if (allDone(judged)) setCurrent(SUMMARY);
    }
  }, [judged]);

  const task = useTask((b) => b.ramApply, "ram-apply");
  useEffect(() => {
    if (task.status === "done" || task.status === "failed" || task.status === "cancelled") {
      void queryClient.invalidateQueries({ queryKey: queryKeys.ramPlan() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.ramCandidates });
    }
  }, [task.status, queryClient]);

  const unresolved = (candidates.data?.instances ?? []).filter(
    (c) => holdsOther(c, names) && options.instances.some((i) => i.instanceId === c.instanceId) && !resolutions[c.instanceId],
  );
  const blockingConflict = plan.data?.steps.some((s) => s.kind !== "instance" && s.state === "conflict");
  const canNext =
    current === WHY ? valid : current === INSTANCES ? options.instances.length > 0 && unresolved.length === 0 : current < APPLY;
  const shownPlan = task.status === "done" && task.result && !plan.data ? task.result.plan : plan.data;

  let body;
  if (current === WHY) {
    body = <NamesStep names={names} onChange={setNames} />;
  } else if (current === INSTANCES) {
    body = candidates.error ? (
      <ErrorAlert error={toAppError(candidates.error)} context={t("ram.instances.loadFailed")} />
    ) : candidates.data && selected !== null ? (
      <>
        <InstancePicker
          candidates={candidates.data}
          names={names}
          selected={selected}
          resolutions={resolutions}
          onSelect={setSelected}
          onResolve={(id, r) => setResolutions((all) => ({ ...all, [id]: r }))}
        />
        {options.instances.length === 0 ? <Alert type="info" showIcon title={t("ram.instances.chooseOne")} /> : null}
        {unresolved.length > 0 ? (
          <Alert type="warning" showIcon data-testid="ram-choose-all" title={t("ram.instances.chooseAll")} />
        ) : null}
      </>
    ) : (
      <Spin />
    );
  } else if (plan.error) {
    body = <ErrorAlert error={toAppError(plan.error)} context={t("ram.review.planFailed")} />;
  } else if (!shownPlan) {
    body = <Spin data-testid="ram-plan-loading" />;
  } else if (current === REVIEW) {
    body = (
      <PlanReview
        plan={shownPlan}
        options={options}
        onUseExisting={(kind, v) => setUseExisting((u) => ({ ...u, [kind]: v }))}
      />
    );
  } else if (current === APPLY) {
    body = (
      <ApplyPanel
        task={task}
        plan={shownPlan}
        options={options}
        refusal={blockingConflict && task.status !== "running" ? t("ram.apply.resolveFirst") : undefined}
        onSummary={() => setCurrent(SUMMARY)}
      />
    );
  } else {
    body = (
      <RamSummary
        plan={shownPlan}
        options={options}
        onReview={() => setCurrent(REVIEW)}
        onInstances={() => setCurrent(INSTANCES)}
      />
    );
  }

  return (
    <>
      <PageHeader
        title={t("nav.ram")}
        description={t("screens.ram.description")}
        extra={
          <Button data-testid="ram-refresh" onClick={() => void plan.refetch()} disabled={!valid}>
            {t("ram.nav.refresh")}
          </Button>
        }
      />
      <div className="ram-wizard" data-testid="ram-wizard" data-step={STEPS[current]}>
        <Steps
          current={current}
          items={STEPS.map((s) => ({ title: t(`ram.steps.${s}`) }))}
          style={{ marginBottom: 16 }}
        />
        {body}
        <Space style={{ marginTop: 16 }}>
          {current > WHY ? (
            <Button data-testid="ram-back" onClick={() => setCurrent(current - 1)} disabled={task.status === "running"}>
              {t("ram.nav.back")}
            </Button>
          ) : null}
          {current < APPLY ? (
            <Button type="primary" data-testid="ram-next" disabled={!canNext} onClick={() => setCurrent(current + 1)}>
              {t("ram.nav.next")}
            </Button>
          ) : null}
        </Space>
      </div>
    </>
  );
}
