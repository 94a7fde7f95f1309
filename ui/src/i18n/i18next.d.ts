// Typed translation keys: a key missing from en-US.json fails the type-check.
import "i18next";
import type enUS from "./en-US.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof enUS };
  }
}
