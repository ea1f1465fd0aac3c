// What surrounds every screen: the top bar (language or Parar, and the help button) and the two
// dialogs (help lines, stop confirmation). Native <dialog> keeps focus inside while open.

import { clear, h, picto } from "./dom.js";

export function renderTopbar(topbar, ctx, { mode, onHelp, onStop, onFacilitator = null }) {
  clear(topbar);
  const start = h("div", { class: "topbar-start" });
  if (mode === "welcome" && (ctx.languages.length > 1 || onFacilitator)) {
    if (ctx.languages.length > 1) start.append(languageSwitch(ctx));
    if (onFacilitator) {
      start.append(h("button", { type: "button", class: "btn btn-facilitator", "data-action": "facilitator", onclick: onFacilitator }, h("span", { text: ctx.t("facilitator_button") })));
    }
  } else if (mode === "flow") {
    start.append(
      h(
        "button",
        { type: "button", class: "btn btn-stop", "data-action": "stop", onclick: onStop },
        picto(ctx.icons.stop),
        h("span", { text: ctx.t("stop") }),
      ),
    );
  }
  const help = h(
    "button",
    { type: "button", class: "btn btn-help", "data-action": "help", onclick: onHelp },
    picto(ctx.icons.help),
    h("span", { text: ctx.t("help_button") }),
  );
  topbar.append(start, h("div", { class: "topbar-end" }, help));
}

function languageSwitch(ctx) {
  const nav = h("nav", { class: "lang-switch", "aria-label": ctx.t("language_switch") }, picto(ctx.icons.globe));
  for (const language of ctx.languages) {
    const current = language.code === ctx.lang;
    nav.append(
      h("a", {
        href: language.href,
        lang: language.code,
        hreflang: language.code,
        class: current ? "lang current" : "lang",
        "aria-current": current ? "true" : null,
        "data-lang": language.code,
        text: language.name,
      }),
    );
  }
  return nav;
}

export function helpLinesList(ctx, extraClass = "") {
  const list = h("ul", { class: `help-lines ${extraClass}`.trim() });
  for (const line of ctx.helpLines) {
    list.append(
      h(
        "li",
        { class: "help-line" },
        picto(ctx.icons[line.icon] || ctx.icons.phone, "help-line-icon"),
        h(
          "div",
          { class: "help-line-text" },
          h("span", { class: "help-line-name", text: line.name }),
          line.phone ? h("span", { class: "help-line-phone", text: line.phone }) : null,
          h("span", { class: "help-line-detail", text: line.detail }),
        ),
      ),
    );
  }
  return list;
}

export class Dialogs {
  constructor(host, ctx) {
    this.ctx = ctx;
    this.help = h("dialog", { class: "dialog dialog-help", "aria-labelledby": "help-title" });
    this.stop = h("dialog", { class: "dialog dialog-stop", "aria-labelledby": "stop-title" });
    host.append(this.help, this.stop);
    this.onChange = () => {};
    for (const dialog of [this.help, this.stop]) {
      dialog.addEventListener("close", () => this.onChange(this.isOpen()));
    }
  }

  isOpen() {
    return this.help.open || this.stop.open;
  }

  openHelp() {
    const { ctx } = this;
    clear(this.help);
    this.help.append(
      h("div", { class: "dialog-head" }, picto(ctx.icons.help, "picto-lg"), h("h2", { id: "help-title", text: ctx.t("help_title") })),
      h("p", { class: "dialog-body", text: ctx.t("help_intro") }),
      helpLinesList(ctx),
      h("p", { class: "dialog-body", text: ctx.t("help_tell_adult") }),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "btn btn-primary", "data-action": "close-help", onclick: () => this.help.close() }, ctx.t("close")),
      ),
    );
    this.help.showModal();
    this.onChange(true);
  }

  // Resolves true when the participant confirms that they want to stop.
  confirmStop() {
    const { ctx } = this;
    clear(this.stop);
    return new Promise((resolve) => {
      const answer = (value) => {
        this.stop.returnValue = value ? "stop" : "continue";
        this.stop.close();
      };
      this.stop.addEventListener("close", () => resolve(this.stop.returnValue === "stop"), { once: true });
      this.stop.returnValue = "continue";
      this.stop.append(
        h("div", { class: "dialog-head" }, picto(ctx.icons.stop, "picto-lg"), h("h2", { id: "stop-title", text: ctx.t("stop_title") })),
        h("p", { class: "dialog-body", text: ctx.t("stop_body") }),
        h(
          "div",
          { class: "actions actions-split" },
          h("button", { type: "button", class: "btn btn-secondary", "data-action": "stop-no", onclick: () => answer(false) }, picto(ctx.icons.back), h("span", { text: ctx.t("stop_no") })),
          h("button", { type: "button", class: "btn btn-danger", "data-action": "stop-yes", onclick: () => answer(true) }, h("span", { text: ctx.t("stop_yes") })),
        ),
      );
      this.stop.showModal();
      this.onChange(true);
      // The safe choice gets the focus: a stray Enter must not erase answers.
      this.stop.querySelector('[data-action="stop-no"]').focus();
    });
  }

  closeAll() {
    if (this.help.open) this.help.close();
    if (this.stop.open) this.stop.close();
  }
}
