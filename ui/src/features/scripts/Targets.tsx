// Where the pair goes: the instances chosen in the picker, or any Linux instance of the
// stored inventory chosen here (the choice is shared with the picker).
import { Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { StoredInventory } from "../../bindings/StoredInventory";
import { linuxTargets } from "./pair";

interface Props {
  stored: StoredInventory | null | undefined;
  selected: readonly string[];
  onSelect: (ids: string[]) => void;
}

export function Targets({ stored, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const all = linuxTargets(stored);
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{stored ? t("scripts.targets.hint") : t("scripts.targets.noInventory")}</Typography.Text>
      <Select
        mode="multiple"
        data-testid="scripts-targets"
        data-count={selected.length}
        style={{ width: "100%" }}
        placeholder={t("scripts.targets.placeholder")}
        value={selected.filter((id) => all.some((x) => x.instanceId === id))}
        onChange={(ids: string[]) => onSelect(ids)}
        options={all.map((x) => ({ value: x.instanceId, label: <span data-testid={`scripts-target-${x.instanceId}`}>{`${x.name} (${x.instanceId}, ${x.regionId})`}</span> }))}
        optionFilterProp="value"
      />
    </Space>
  );
}
