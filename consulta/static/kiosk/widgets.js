// Shared building blocks for screens: buttons, the bottom action bar, option cards.

import { h, picto } from "./dom.js";

export function button(kind, label, { icon = null, action, onClick, disabled = false, iconAfter = false } = {}) {
  const img = picto(icon);
  return h(
    "button",
    { type: "button", class: `btn btn-${kind}`, "data-action": action, onclick: onClick, disabled },
    iconAfter ? null : img,
    h("span", { text: label }),
    iconAfter ? img : null,
  );
}

export function actions(...buttons) {
  return h("div", { class: "actions" }, ...buttons.filter(Boolean));
}

// An option is a toggle button: aria-pressed tells touch and screen-reader users what is chosen.
export function optionButton(option, { pressed, multiple, onToggle, selectedLabel }) {
  const el = h(
    "button",
    {
      type: "button",
      class: `option${multiple ? " option-multi" : ""}`,
      "aria-pressed": pressed ? "true" : "false",
      "data-value": option.value,
      onclick: () => onToggle(option.value, el),
    },
    option.icon ? picto(option.icon, "option-picto") : h("span", { class: "option-picto option-picto-none", "aria-hidden": "true" }),
    h("span", { class: "option-label", text: option.label }),
    h("span", { class: "option-check", "aria-hidden": "true", title: selectedLabel }),
  );
  return el;
}

export function setPressed(el, pressed) {
  el.setAttribute("aria-pressed", pressed ? "true" : "false");
}

export function heading(level, text, attrs = {}) {
  return h(`h${level}`, { tabindex: "-1", ...attrs, text });
}
