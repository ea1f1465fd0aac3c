// What only the facilitator sees, behind the tablet's PIN: setting the PIN when the session is
// opened here, then (from the welcome screen) exporting the waiting answers or leaving the kiosk.

import { clear, h, picto } from "./dom.js";
import { PIN_PATTERN, checkPin, setPin } from "./pin.js";
import { setTabletLabel, tabletField } from "./tablet.js";
import { actions, button, heading } from "./widgets.js";

function pinInput(id, labelText) {
  const input = h("input", {
    id,
    type: "password",
    inputmode: "numeric",
    pattern: "[0-9]*",
    maxlength: "6",
    autocomplete: "off",
    class: "pin-input",
    "data-pin": id,
  });
  return { input, field: h("div", { class: "pin-field" }, h("label", { for: id, text: labelText }), input) };
}

export function pinSetupScreen(ctx, { onDone }) {
  const title = heading(1, ctx.t("pin_setup_title"), { class: "title-lg" });
  const first = pinInput("pin-new", ctx.t("pin_new"));
  const second = pinInput("pin-repeat", ctx.t("pin_repeat"));
  const tablet = tabletField(ctx, "tablet-name");
  const error = h("p", { class: "form-error", role: "alert", id: "pin-error" });
  const save = async (event) => {
    event.preventDefault();
    const pin = first.input.value.trim();
    if (!PIN_PATTERN.test(pin)) error.textContent = ctx.t("pin_format");
    else if (pin !== second.input.value.trim()) error.textContent = ctx.t("pin_mismatch");
    else {
      await setPin(pin);
      setTabletLabel(tablet.input.value);
      first.input.value = "";
      second.input.value = "";
      return onDone();
    }
    return null;
  };
  const form = h(
    "form",
    { class: "pin-form", autocomplete: "off", novalidate: true, onsubmit: save },
    first.field,
    second.field,
    tablet.field,
    error,
    actions(h("button", { type: "submit", class: "btn btn-primary btn-huge", "data-action": "pin-save" }, h("span", { text: ctx.t("pin_save") }))),
  );
  const body = h(
    "section",
    { class: "screen screen-pin" },
    h("div", { class: "hero hero-sm" }, picto(ctx.icons.stop, "picto-hero-sm")),
    title,
    h("p", { class: "body-text body-lg", text: ctx.t("pin_setup_body") }),
    form,
  );
  return { name: "pin-setup", title: ctx.t("pin_setup_title"), body, focus: first.input };
}

// The facilitator's dialog: PIN first, then the tools. `queue` gives the waiting answers.
export class FacilitatorPanel {
  constructor(host, ctx, { queue, exitUrl }) {
    Object.assign(this, { ctx, queue, exitUrl });
    this.dialog = h("dialog", { class: "dialog dialog-facilitator", "aria-labelledby": "facilitator-title" });
    host.append(this.dialog);
  }

  open() {
    const { ctx } = this;
    clear(this.dialog);
    const pin = pinInput("pin-check", ctx.t("pin_enter"));
    const error = h("p", { class: "form-error", role: "alert" });
    const form = h(
      "form",
      {
        class: "pin-form",
        autocomplete: "off",
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          const ok = await checkPin(pin.input.value.trim());
          pin.input.value = "";
          if (ok) this.tools();
          else error.textContent = ctx.t("pin_wrong");
        },
      },
      pin.field,
      error,
      h(
        "div",
        { class: "actions actions-split" },
        h("button", { type: "button", class: "btn btn-secondary", "data-action": "facilitator-close", onclick: () => this.dialog.close() }, ctx.t("close")),
        h("button", { type: "submit", class: "btn btn-primary", "data-action": "pin-check" }, ctx.t("pin_open")),
      ),
    );
    this.dialog.append(h("div", { class: "dialog-head" }, h("h2", { id: "facilitator-title", text: ctx.t("facilitator_title") })), form);
    this.dialog.showModal();
    pin.input.focus();
  }

  async tools() {
    const { ctx } = this;
    const entries = await this.queue.waiting();
    clear(this.dialog);
    this.dialog.append(
      h("div", { class: "dialog-head" }, h("h2", { id: "facilitator-title", text: ctx.t("facilitator_title") })),
      h("p", { class: "dialog-body", "data-waiting": String(entries.length), text: ctx.t("facilitator_waiting").replace("{n}", String(entries.length)) }),
      this.tabletForm(),
      h(
        "div",
        { class: "actions facilitator-actions" },
        button("secondary", ctx.t("export_waiting"), { action: "export", onClick: () => this.download(entries), disabled: entries.length === 0 }),
        button("danger", ctx.t("leave_kiosk"), { action: "leave", onClick: () => window.location.assign(this.exitUrl) }),
        button("primary", ctx.t("close"), { action: "facilitator-close", onClick: () => this.dialog.close() }),
      ),
    );
  }

  // Renaming this tablet: the name travels with every answer and help request from now on.
  tabletForm() {
    const { ctx } = this;
    const tablet = tabletField(ctx, "tablet-rename");
    const status = h("p", { class: "form-status", role: "status", id: "tablet-status" });
    const save = (event) => {
      event.preventDefault();
      const name = setTabletLabel(tablet.input.value);
      if (name) tablet.input.value = name;
      status.textContent = name ? ctx.t("tablet_saved").replace("{name}", name) : ctx.t("tablet_empty");
    };
    return h(
      "form",
      { class: "tablet-form", autocomplete: "off", novalidate: true, onsubmit: save },
      tablet.field,
      h("button", { type: "submit", class: "btn btn-secondary", "data-action": "tablet-save" }, ctx.t("tablet_save")),
      status,
    );
  }

  // The waiting answers, with their ids, as a file the session page can import.
  download(entries) {
    const data = {
      format: "consulta-outbox",
      version: 1,
      submissions: entries.map((e) => ({ code: e.code, submission: e.payload })),
    };
    const blob = new Blob([JSON.stringify(data)], { type: "application/json" });
    const link = h("a", { href: URL.createObjectURL(blob), download: `consulta-${this.ctx.code}-pendientes.json`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }
}
