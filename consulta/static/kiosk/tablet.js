// The facilitator's name for this tablet ("Tableta 3"), kept in this tablet's localStorage and sent
// with every submission and help request, so that a safeguarding alert says where to go. It names
// the device for the people in the room; it is never a device identifier and never a person's name.

import { h } from "./dom.js";

const KEY = "consulta-kiosk-tablet";
export const TABLET_MAX = 40;

export function clean(label) {
  return String(label || "").replace(/\s+/g, " ").trim().slice(0, TABLET_MAX);
}

export function tabletLabel(ctx) {
  try {
    const kept = clean(window.localStorage.getItem(KEY));
    if (kept) return kept;
  } catch {
    // storage unavailable (private mode): fall back to the default name
  }
  return ctx.t("tablet_default");
}

export function setTabletLabel(label) {
  const name = clean(label);
  if (!name) return null;
  window.localStorage.setItem(KEY, name);
  return name;
}

// The labelled text field, prefilled with the current name.
export function tabletField(ctx, id) {
  const input = h("input", {
    id,
    type: "text",
    maxlength: String(TABLET_MAX),
    autocomplete: "off",
    class: "tablet-input",
    "data-tablet": id,
    value: tabletLabel(ctx),
  });
  const field = h(
    "div",
    { class: "pin-field tablet-field" },
    h("label", { for: id, text: ctx.t("tablet_label") }),
    input,
    h("p", { class: "field-hint", text: ctx.t("tablet_hint") }),
  );
  return { input, field };
}
