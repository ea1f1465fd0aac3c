// "Ideas de otros grupos": after the questions, a participant may support ideas that other
// sessions of the same consultation proposed and a facilitator or analyst approved. The chosen
// ids travel inside the participant's own submission (the outbox delivers them exactly once, and
// the server counts one support per participant per idea). Skipping is always fine.

import { fill, h, picto, uid } from "./dom.js";
import { speakerButton } from "./speech.js";
import { actions, button, heading, setPressed } from "./widgets.js";

// A child reads a handful of cards, not a list: each participant sees a random few, so every
// approved idea gets seen, not only those already ahead.
export const IDEAS_PER_PARTICIPANT = 6;
const LINE_ORDER = ["E1", "E2", "E3", "E4", "T1", "T2", "T3", "T4", "T5"];

// The service worker keeps the last answer, so a tablet offline still shows the ideas it saw.
export async function fetchIdeas(apiBase, code, lang) {
  const response = await fetch(`${apiBase}/sessions/${encodeURIComponent(code)}/ideas?lang=${lang}`, {
    credentials: "omit",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`ideas: ${response.status}`);
  const body = await response.json();
  return Array.isArray(body.ideas) ? body.ideas : [];
}

export function pickIdeas(ideas, max = IDEAS_PER_PARTICIPANT, random = Math.random) {
  const pool = [...ideas];
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, max).sort((a, b) => LINE_ORDER.indexOf(a.line) - LINE_ORDER.indexOf(b.line) || b.supports - a.supports);
}

function ideaCard(ctx, idea, participant, onChange) {
  const textId = uid("idea-text");
  const card = h("li", { class: "idea-card", "data-idea": String(idea.id), "data-line": idea.line });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "btn idea-support",
      "aria-pressed": "false",
      "aria-describedby": textId,
      "data-action": "support",
      onclick: () => {
        if (participant.supports.has(idea.id)) participant.supports.delete(idea.id);
        else participant.supports.add(idea.id);
        show();
        onChange();
      },
    },
    picto(ctx.icons.thanks),
    h("span", { text: ctx.t("ideas_support") }),
    h("span", { class: "idea-support-check", "aria-hidden": "true" }),
  );
  const show = () => {
    const on = participant.supports.has(idea.id);
    setPressed(toggle, on);
    card.classList.toggle("is-supported", on);
  };
  show();
  card.append(
    h("p", { class: "idea-line" }, picto(idea.icon), h("span", { text: idea.line_name })),
    h("p", { class: "idea-text", id: textId, text: idea.text }),
    h(
      "div",
      { class: "idea-foot" },
      // No "0": an idea nobody has supported yet just has no count.
      idea.supports > 0 ? h("span", { class: "idea-count" }, h("span", { text: fill(ctx.t("ideas_count"), { n: idea.supports }) })) : null,
      speakerButton(ctx, `${idea.line_name}. ${idea.text}`, "btn-speak-idea"),
      toggle,
    ),
  );
  return card;
}

export function ideasScreen(ctx, ideas, participant, { onBack, onSkip, onNext }) {
  const title = heading(1, ctx.t("ideas_title"), { class: "title-lg" });
  const next = button("primary", ctx.t("next"), { icon: ctx.icons.next, action: "next", onClick: onNext, iconAfter: true });
  const chosen = h("p", { class: "ideas-chosen", role: "status" });
  // Like a question: "Siguiente" once something is chosen; "Saltar" is always there.
  const refresh = () => {
    const n = participant.supports.size;
    chosen.textContent = n ? fill(ctx.t("ideas_chosen"), { n }) : "";
    next.disabled = n === 0;
  };
  const list = h("ul", { class: "idea-cards" }, ...ideas.map((idea) => ideaCard(ctx, idea, participant, refresh)));
  refresh();
  const intro = ctx.t("ideas_body");
  const body = h(
    "section",
    { class: "screen screen-ideas" },
    h("div", { class: "ideas-head" }, picto(ctx.icons.lightbulb, "picto-lg"), title, speakerButton(ctx, `${ctx.t("ideas_title")}. ${intro}`, "btn-speak-prompt")),
    h("p", { class: "body-text body-lg ideas-intro", text: intro }),
    list,
    chosen,
    actions(
      button("secondary", ctx.t("back"), { icon: ctx.icons.back, action: "back", onClick: onBack }),
      button("secondary", ctx.t("skip"), { icon: ctx.icons.skip, action: "skip", onClick: onSkip }),
      next,
    ),
  );
  return { name: "ideas", title: ctx.t("ideas_title"), body, focus: title };
}
