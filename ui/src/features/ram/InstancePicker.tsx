// Step 3 of the wizard: the account's instances with their current RAM role, filtered by
// region and search; the chosen ones that hold another role get extend / replace / skip,
// each with what it costs.
import { Alert, Checkbox, Input, Radio, Space, Table, Tag, Typography } from "antd";
import type { HTMLAttributes } from "react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { InstanceRef } from "../../bindings/InstanceRef";
import type { InstanceResolution } from "../../bindings/InstanceResolution";
import type { RamCandidate } from "../../bindings/RamCandidate";
import type { RamCandidates } from "../../bindings/RamCandidates";
import type { RamNames } from "./ramNames";

export const RESOLUTIONS: readonly InstanceResolution[] = ["extend", "replace", "skip"];

interface Props {
  candidates: RamCandidates;
  names: RamNames;
  selected: InstanceRef[];
  resolutions: Record<string, InstanceResolution>;
  onSelect: (selected: InstanceRef[]) => void;
  onResolve: (instanceId: string, r: InstanceResolution) => void;
}

/** Holds a role that is not ours: needs one of the three choices. */
export function holdsOther(c: RamCandidate, names: RamNames): boolean {
  return !!c.currentRole && c.currentRole.toLowerCase() !== names.roleName.toLowerCase();
}

export function InstancePicker({ candidates, names, selected, resolutions, onSelect, onResolve }: Props) {
  const { t } = useTranslation();
  const [region, setRegion] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const chosen = useMemo(() => new Set(selected.map((s) => s.instanceId)), [selected]);
  const regions = useMemo(
    () => candidates.regions.filter((r) => candidates.instances.some((i) => i.regionId === r)),
    [candidates],
  );
  const needle = search.trim().toLowerCase();
  const shown = candidates.instances.filter(
    (i) =>
      (region === null || i.regionId === region) &&
      (needle === "" || i.instanceId.toLowerCase().includes(needle) || i.instanceName.toLowerCase().includes(needle)),
  );
  const toggle = (c: RamCandidate, on: boolean) =>
    onSelect(
      on
        ? [...selected.filter((s) => s.instanceId !== c.instanceId), { instanceId: c.instanceId, regionId: c.regionId }]
        : selected.filter((s) => s.instanceId !== c.instanceId),
    );
  const consequence = (c: RamCandidate, r: InstanceResolution) =>
    t(`ram.instances.${r}Consequence`, { id: c.instanceId, other: c.currentRole ?? "", role: names.roleName, policy: names.policyName });

  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="ram-instances">
      <Typography.Paragraph type="secondary">{t("ram.instances.help")}</Typography.Paragraph>
      <Space wrap>
        <Tag.CheckableTag checked={region === null} onChange={() => setRegion(null)}>
          <span data-testid="ram-region-all">{t("ram.instances.allRegions")}</span>
        </Tag.CheckableTag>
        {regions.map((r) => (
          <Tag.CheckableTag key={r} checked={region === r} onChange={() => setRegion(r)}>
            <span data-testid={`ram-region-${r}`}>{r}</span>
          </Tag.CheckableTag>
        ))}
      </Space>
      <Input
        allowClear
        data-testid="ram-search"
        placeholder={t("ram.instances.search")}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <Typography.Text data-testid="ram-selected-count" data-count={selected.length}>
        {t("ram.instances.selected", { count: selected.length })}
      </Typography.Text>
      <Table<RamCandidate>
        size="small"
        rowKey="instanceId"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={shown}
        onRow={(c) =>
          ({ "data-testid": `ram-instance-row-${c.instanceId}`, "data-name": c.instanceName }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: "name",
            title: t("ram.instances.name"),
            width: 240,
            render: (_, c) => (
              <Checkbox checked={chosen.has(c.instanceId)} onChange={(e) => toggle(c, e.target.checked)}>
                <span data-testid={`ram-pick-${c.instanceId}`}>{c.instanceName}</span>
                <br />
                <Typography.Text type="secondary">{c.instanceId}</Typography.Text>
              </Checkbox>
            ),
          },
          { key: "region", title: t("ram.instances.region"), dataIndex: "regionId", width: 130 },
          { key: "status", title: t("ram.instances.status"), dataIndex: "status", width: 90 },
          {
            key: "role",
            title: t("ram.instances.currentRole"),
            width: 200,
            render: (_, c) =>
              c.currentRole ? (
                <Space size={4} orientation="vertical">
                  <Typography.Text code>{c.currentRole}</Typography.Text>
                  {holdsOther(c, names) ? (
                    <Tag color="warning" data-testid={`ram-other-role-${c.instanceId}`}>
                      {t("ram.instances.otherRole")}
                    </Tag>
                  ) : (
                    <Tag color="success">{t("ram.instances.ours")}</Tag>
                  )}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t("ram.instances.noRole")}</Typography.Text>
              ),
          },
          {
            key: "choice",
            title: t("ram.instances.choice"),
            render: (_, c) =>
              holdsOther(c, names) && chosen.has(c.instanceId) ? (
                <Space orientation="vertical" size={4} data-testid={`ram-choices-${c.instanceId}`}>
                  <Radio.Group value={resolutions[c.instanceId]} onChange={(e) => onResolve(c.instanceId, e.target.value)}>
                    {RESOLUTIONS.map((r) => (
                      <Radio.Button key={r} value={r}>
                        <span data-testid={`ram-choice-${c.instanceId}-${r}`}>{t(`ram.instances.${r}`)}</span>
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                  {resolutions[c.instanceId] ? (
                    <Alert
                      type={resolutions[c.instanceId] === "extend" ? "info" : "warning"}
                      showIcon
                      data-testid={`ram-consequence-${c.instanceId}`}
                      title={consequence(c, resolutions[c.instanceId] ?? "skip")}
                    />
                  ) : null}
                </Space>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
