import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { ERROR_CODES } from "../ipc";
import { ErrorAlert } from "./ErrorAlert";

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
      <ErrorAlert error={{ code: "Throttled", message: "Request was denied.", hint: "稍后重试。", requestId: "REQ-1" }} />,
    );
    let alert = screen.getByTestId("app-error");
    expect(alert.textContent).toContain("请求被限流");
    expect(alert.textContent).toContain("Request was denied.");
    expect(alert.textContent).toContain("建议操作：");
    expect(alert.textContent).toContain("REQ-1");
    expect(alert.querySelector(".ant-typography-copy")).toBeTruthy();

    rerender(<ErrorAlert error={{ code: "Network", message: "timed out" }} />);
    alert = screen.getByTestId("app-error");
    expect(alert.textContent).not.toContain("建议操作");
    expect(alert.textContent).not.toContain("RequestId");
  });
});
