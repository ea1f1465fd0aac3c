// Question screens: one question per screen for children, several per screen for adults.

import { fill, h, picto, uid } from "./dom.js";
import { TEXT_TYPES, choose, isAnswered, isChosen, setText, skip } from "./participant.js";
import { speakerButton } from "./speech.js";
import { actions, button, heading, optionButton, setPressed } from "./widgets.js";

export const MAX_TEXT = 2000;

function progressDots(ctx, index, total, key) {
  const label = fill(ctx.t(key), { n: index + 1, total });
  const dots = h("ol", { class: "dots", "aria-hidden": "true" });
  for (let i = 0; i < total; i += 1) {
    dots.append(h("li", { class: i < index ? "dot done" : i === index ? "dot current" : "dot" }));
  }
  return h("div", { class: "progress" }, dots, h("p", { class: "progress-label", text: label }));
}

function choiceWidget(ctx, question, participant, promptId, onChange) {
  const multiple = question.type === "multiple_choice";
  const kind = question.type === "face_scale" ? `options-faces options-${question.options.length}` : question.type === "yes_no" ? "options-yesno" : "options-cards";
  const group = h("div", { class: `options ${kind}`, role: "group", "aria-labelledby": promptId });
  for (const option of question.options) {
    // A cell holds the option and, below it, the speaker that reads its label (a button may not
    // contain another button).
    const cell = h("div", { class: "option-cell" });
    group.append(cell);
    cell.append(
      optionButton(option, {
        pressed: isChosen(participant, question, option.value),
        multiple,
        selectedLabel: ctx.t("selected"),
        onToggle: (value) => {
          choose(participant, question, value);
          for (const el of group.querySelectorAll(".option")) {
            setPressed(el, isChosen(participant, question, el.dataset.value));
          }
          onChange();
        },
      }),
      speakerButton(ctx, option.label, "btn-speak-option"),
    );
  }
  return group;
}

function textWidget(ctx, question, participant, promptId, onChange) {
  const counterId = uid("counter");
  const area = h("textarea", {
    class: "answer-text",
    maxlength: String(MAX_TEXT),
    rows: question.type === "idea" ? "6" : "5",
    autocomplete: "off",
    autocapitalize: "sentences",
    spellcheck: "false",
    "aria-labelledby": promptId,
    "aria-describedby": counterId,
    placeholder: ctx.t("text_placeholder"),
    "data-question": question.id,
  });
  area.value = participant.answers.get(question.id) || "";
  const counter = h("p", { id: counterId, class: "counter" });
  const update = () => {
    const left = MAX_TEXT - area.value.length;
    counter.textContent = left > 0 ? fill(ctx.t("chars_left"), { n: left.toLocaleString(ctx.lang) }) : ctx.t("chars_full");
    counter.classList.toggle("counter-low", left < 100);
  };
  area.addEventListener("input", () => {
    setText(participant, question, area.value);
    update();
    onChange();
  });
  update();
  return h("div", { class: "text-answer" }, area, counter);
}

// One question: prompt, hint and answer widget. `onChange` lets the page refresh its buttons.
export function questionBlock(ctx, question, participant, { grouped, onChange }) {
  const promptId = uid("prompt");
  const isText = TEXT_TYPES.has(question.type);
  const prompt = heading(grouped ? 2 : 1, question.prompt, { id: promptId, class: grouped ? "question-prompt-sm" : "question-prompt" });
  const hint = isText ? null : question.type === "multiple_choice" ? ctx.t("choose_many") : ctx.t("choose_one");
  const typeIcon = question.type === "idea" ? ctx.icons.lightbulb : isText ? ctx.icons.pencil : null;
  const block = h(
    "div",
    { class: `question question-${question.type}`, "data-question": question.id },
    h("div", { class: "question-head" }, picto(typeIcon, "picto-lg"), prompt, speakerButton(ctx, question.prompt, "btn-speak-prompt")),
    hint ? h("p", { class: "hint", text: hint }) : null,
    isText ? textWidget(ctx, question, participant, promptId, onChange) : choiceWidget(ctx, question, participant, promptId, onChange),
  );
  if (grouped) {
    const skipped = h("p", { class: "skipped-note", text: ctx.t("skipped"), hidden: true });
    const skipBtn = button("ghost", ctx.t("skip_question"), {
      icon: ctx.icons.skip,
      action: "skip-question",
      onClick: () => {
        skip(participant, question);
        for (const el of block.querySelectorAll(".option")) setPressed(el, false);
        const area = block.querySelector("textarea");
        if (area) {
          area.value = "";
          area.dispatchEvent(new Event("input"));
        }
        skipped.hidden = false;
        onChange();
      },
    });
    block.addEventListener("click", (event) => {
      if (event.target.closest(".option")) skipped.hidden = true;
    });
    block.append(h("div", { class: "question-foot" }, skipped, skipBtn));
  }
  return { block, prompt };
}

export function pageScreen(ctx, page, pageIndex, pageCount, participant, { onBack, onSkip, onNext }) {
  const grouped = page.length > 1 || ctx.layout === "grouped";
  const blocks = [];
  const next = button("primary", ctx.t("next"), { icon: ctx.icons.next, action: "next", onClick: onNext, iconAfter: true });
  const refresh = () => {
    // One question per screen: "Siguiente" waits for an answer; "Saltar" is always there.
    if (!grouped) next.disabled = !isAnswered(participant, page[0]);
  };
  for (const question of page) {
    blocks.push(questionBlock(ctx, question, participant, { grouped, onChange: refresh }));
  }
  refresh();
  const bar = grouped
    ? actions(button("secondary", ctx.t("back"), { icon: ctx.icons.back, action: "back", onClick: onBack }), next)
    : actions(
        button("secondary", ctx.t("back"), { icon: ctx.icons.back, action: "back", onClick: onBack }),
        button("secondary", ctx.t("skip"), { icon: ctx.icons.skip, action: "skip", onClick: onSkip }),
        next,
      );
  const body = h(
    "section",
    { class: `screen screen-question${grouped ? " screen-grouped" : ""}`, "data-page": String(pageIndex) },
    progressDots(ctx, pageIndex, pageCount, grouped ? "page_progress" : "progress"),
    h("div", { class: "questions" }, ...blocks.map((b) => b.block)),
    bar,
  );
  const title = grouped ? fill(ctx.t("page_progress"), { n: pageIndex + 1, total: pageCount }) : page[0].prompt;
  return { name: "question", title, body, focus: blocks[0].prompt };
}
