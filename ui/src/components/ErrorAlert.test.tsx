import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { HINT_PARAMS } from "../bindings/hintKeys";
import i18n from "../i18n";
import enUS from "../i18n/en-US.json";
import zhCN from "../i18n/zh-CN.json";
import { ERROR_CODES, HINT_KEYS } from "../ipc";
import { ErrorAlert } from "./ErrorAlert";

const CATALOGUES = { "en-US": enUS, "zh-CN": zhCN } as const;
const LANGUAGES = Object.keys(CATALOGUES) as (keyof typeof CATALOGUES)[];
const SAMPLE: Record<string, string> = { action: "DescribeInstances", backend: "Secret Service", profile: "work" };

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1] ?? ""))].sort();
}

describe("ErrorAlert", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("zh-CN");
  });

  it.each(ERROR_CODES)("gives %s a translated title", (code) => {
    render(<ErrorAlert error={{ code, message: "m" }} />);
    const alert = screen.getByTestId("app-error");
    expect(alert.getAttribute("data-code")).toBe(code);
    const title = i18n.t(`error.code.${code}`);
    expect(title).not.toContain("error.code");
    expect(title).not.toBe(code);
    expect(alert.textContent).toContain(title);
  });

  it("shows message, hint and RequestId, and omits what is absent", async () => {
    const { rerender } = render(
      <ErrorAlert
        error={{
          code: "Throttled",
          message: "Request was denied.",
          hint: { key: "WaitAndRetry", params: {} },
          requestId: "REQ-1",
          recommend: "https://api.aliyun.com/troubleshoot?q=Throttling&product=Ecs",
        }}
      />,
    );
    let alert = screen.getByTestId("app-error");
    expect(alert.textContent).toContain("请求被限流");
    expect(alert.textContent).toContain("Request was denied.");
    expect(alert.textContent).toContain("建议操作：");
    expect(alert.textContent).toContain("云服务正在对请求限流，请稍候重试。");
    expect(alert.textContent).toContain("REQ-1");
    expect(alert.querySelector(".ant-typography-copy")).toBeTruthy();
    expect(alert.querySelector(".error-recommend")?.textContent).toContain(
      "错误诊断： https://api.aliyun.com/troubleshoot?q=Throttling&product=Ecs",
    );

    rerender(<ErrorAlert error={{ code: "Network", message: "timed out" }} />);
    alert = screen.getByTestId("app-error");
    expect(alert.textContent).not.toContain("建议操作");
    expect(alert.textContent).not.toContain("RequestId");
    expect(alert.querySelector(".error-recommend")).toBeNull();
  });

  it.each(LANGUAGES)("%s words every hint key with exactly its parameters", (language) => {
    const hints = CATALOGUES[language].hint as Record<string, string>;
    expect(Object.keys(hints).sort()).toEqual([...HINT_KEYS].sort());
    for (const key of HINT_KEYS) {
      expect(placeholders(hints[key] ?? ""), key).toEqual([...HINT_PARAMS[key]].sort());
    }
  });

  it.each(HINT_KEYS.flatMap((key) => LANGUAGES.map((language) => [key, language] as const)))(
    "shows the %s hint in %s with its parameters filled in",
    async (key, language) => {
      await i18n.changeLanguage(language);
      const params = Object.fromEntries(HINT_PARAMS[key].map((name) => [name, SAMPLE[name] ?? name]));
      render(<ErrorAlert error={{ code: "Internal", message: "m", hint: { key, params } }} />);
      const hint = screen.getByTestId("app-error").querySelector(".error-hint");
      expect(hint?.getAttribute("data-hint")).toBe(key);
      const template = (CATALOGUES[language].hint as Record<string, string>)[key] ?? "";
      const expected = template.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) => SAMPLE[name] ?? name);
      expect(hint?.textContent).toBe(`${CATALOGUES[language].error.hint} ${expected}`);
      expect(hint?.textContent).not.toContain("{{");
    },
  );
});
