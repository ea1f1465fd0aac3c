// The last screens: review and send, thank-you with the help lines, and what the kiosk says
// when something goes wrong.

import { helpLinesList } from "./chrome.js";
import { fill, h, picto } from "./dom.js";
import { TEXT_TYPES, isAnswered } from "./participant.js";
import { actions, button, heading } from "./widgets.js";

function answerSummary(ctx, question, participant) {
  if (!isAnswered(participant, question)) return h("p", { class: "review-answer review-empty", text: ctx.t("review_empty") });
  const value = participant.answers.get(question.id);
  if (TEXT_TYPES.has(question.type)) {
    const text = value.trim();
    return h("p", { class: "review-answer review-text", text: text.length > 140 ? `${text.slice(0, 140)}…` : text });
  }
  const values = Array.isArray(value) ? value : [value];
  const chosen = question.options.filter((o) => values.includes(o.value));
  return h(
    "ul",
    { class: "review-answer review-options" },
    ...chosen.map((o) => h("li", {}, o.icon ? h("img", { src: o.icon, alt: "", class: "picto" }) : null, h("span", { text: o.label }))),
  );
}

export function reviewScreen(ctx, questions, participant, { onBack, onSend, onChange }) {
  const title = heading(1, ctx.t("review_title"), { class: "title-xl" });
  const list = h("ol", { class: "review-list", "aria-label": ctx.t("review_list") });
  questions.forEach((question, index) => {
    list.append(
      h(
        "li",
        { class: "review-item", "data-question": question.id },
        h("div", { class: "review-main" }, h("p", { class: "review-prompt", text: question.prompt }), answerSummary(ctx, question, participant)),
        button("ghost btn-small", ctx.t("review_change"), { action: "change", onClick: () => onChange(index) }),
      ),
    );
  });
  const body = h(
    "section",
    { class: "screen screen-review" },
    h("div", { class: "hero hero-sm" }, picto(ctx.icons.send || ctx.icons.yes, "picto-hero-sm")),
    title,
    h("p", { class: "body-text body-lg", text: ctx.t("review_body") }),
    actions(
      button("secondary", ctx.t("back"), { icon: ctx.icons.back, action: "back", onClick: onBack }),
      button("primary btn-huge", ctx.t("send"), { icon: ctx.icons.next, action: "send", onClick: onSend, iconAfter: true }),
    ),
    h("h2", { class: "review-heading", text: ctx.t("review_list") }),
    list,
  );
  return { name: "review", title: ctx.t("review_title"), body, focus: title };
}

export function sendingScreen(ctx) {
  const title = heading(1, ctx.t("sending"), { class: "title-lg" });
  const body = h("section", { class: "screen screen-sending", "aria-busy": "true" }, h("div", { class: "spinner", "aria-hidden": "true" }), title);
  return { name: "sending", title: ctx.t("sending"), body, focus: title };
}

// What happened with the answers, as a QR to scan later on a phone: a link would take the child
// out of the kiosk on a shared tablet, a QR never does.
function devolucionCard(ctx) {
  if (!ctx.devolucion) return null;
  return h(
    "div",
    { class: "devolucion-card", "data-devolucion": ctx.devolucion.url },
    h("img", { class: "devolucion-qr", src: ctx.devolucion.qr, alt: ctx.t("devolucion_qr_alt"), width: 200, height: 200 }),
    h("div", { class: "devolucion-text" }, h("h2", { class: "help-card-title", text: ctx.t("devolucion_title") }), h("p", { text: ctx.t("devolucion_body") })),
  );
}

export function thanksScreen(ctx, seconds, { onNext }) {
  const title = heading(1, ctx.t("thanks_title"), { class: "title-xl" });
  const countdown = h("p", { class: "countdown", "data-countdown": "" });
  const setSeconds = (n) => {
    countdown.textContent = fill(ctx.t("reset_countdown"), { n });
  };
  setSeconds(seconds);
  const body = h(
    "section",
    { class: "screen screen-thanks" },
    h("div", { class: "hero hero-sm" }, picto(ctx.icons.thanks || ctx.icons.face_happy, "picto-hero-sm")),
    title,
    h("p", { class: "body-text body-lg", text: ctx.t("thanks_body") }),
    h("div", { class: "help-card" }, h("h2", { class: "help-card-title", text: ctx.t("thanks_help") }), helpLinesList(ctx, "help-lines-inline")),
    devolucionCard(ctx),
    actions(button("primary btn-huge", ctx.t("next_person"), { icon: ctx.icons.next, action: "next-person", onClick: onNext, iconAfter: true })),
    countdown,
  );
  return { name: "thanks", title: ctx.t("thanks_title"), body, focus: title, setSeconds };
}

export function messageScreen(ctx, name, { titleKey, bodyKey, icon, buttons = [] }) {
  const title = heading(1, ctx.t(titleKey), { class: "title-lg" });
  const body = h(
    "section",
    { class: `screen screen-message screen-${name}`, "data-screen": name },
    h("div", { class: "hero hero-sm" }, picto(icon, "picto-hero-sm")),
    title,
    bodyKey ? h("p", { class: "body-text body-lg", text: ctx.t(bodyKey) }) : null,
    buttons.length ? actions(...buttons) : null,
  );
  return { name, title: ctx.t(titleKey), body, focus: title };
}

export function errorBodyKey(kind) {
  return { network: "error_network", busy: "error_busy", invalid: "error_invalid", conflict: "error_invalid" }[kind] || "error_server";
}
