// The header's current profile: its name and account (GetCallerIdentity, cached per
// profile), and a dropdown to switch in one click. The list is fetched when it opens.
import { DownOutlined, UserOutlined } from "@ant-design/icons";
import { Button, Dropdown, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useIdentity, useProfileListing, useSwitchProfile } from "../features/profiles/useProfiles";
import { useAppStatus } from "../status/appStatus";

function ProfileMenu({ current, onPick }: { current: string; onPick(name: string): void }) {
  const listing = useProfileListing();
  const names = listing.data ? [listing.data.sandbox, ...listing.data.profiles.map((e) => e.profile.name)] : [current];
  return (
    <div className="header-profile-menu" data-testid="header-profile-menu">
      {names.map((name) => (
        <Button
          key={name}
          type={name === current ? "primary" : "text"}
          block
          data-testid={`header-profile-option-${name}`}
          onClick={() => onPick(name)}
        >
          {name}
        </Button>
      ))}
    </div>
  );
}

export function ProfileSwitcher() {
  const { t } = useTranslation();
  const status = useAppStatus();
  const switching = useSwitchProfile();
  const [open, setOpen] = useState(false);
  const current = status.data?.profile;
  // The Sandbox's account needs the embedded sandbox serving; a profile known (from the
  // cached list) to be a stored one is asked at once.
  const known = useProfileListing(false).data;
  const stored = known !== undefined && current !== undefined && current !== known.sandbox;
  const identity = useIdentity(current, status.data?.sandbox.state === "running" || stored);
  const account = identity.data
    ? t("header.account", { accountId: identity.data.accountId })
    : identity.error
      ? t("header.accountFailed")
      : t("header.accountUnknown");
  return (
    <span className="header-profile" data-testid="active-profile" data-profile={current ?? ""}>
      <UserOutlined aria-hidden />
      <Typography.Text type="secondary">{t("header.profile")}</Typography.Text>
      <Dropdown
        open={open}
        onOpenChange={setOpen}
        trigger={["click"]}
        popupRender={() =>
          open && current ? (
            <ProfileMenu
              current={current}
              onPick={(name) => {
                setOpen(false);
                if (name !== current) switching.mutate(name);
              }}
            />
          ) : (
            <span />
          )
        }
      >
        <Button size="small" type="text" data-testid="header-profile-switch" aria-label={t("header.switchProfile")}>
          <Typography.Text strong>{current ?? "—"}</Typography.Text>
          <DownOutlined aria-hidden />
        </Button>
      </Dropdown>
      <Typography.Text
        type={identity.error ? "danger" : "secondary"}
        data-testid="header-account"
        data-account-id={identity.data?.accountId ?? ""}
        data-state={identity.data ? "ok" : identity.error ? "failed" : "unknown"}
      >
        {account}
      </Typography.Text>
    </span>
  );
}
