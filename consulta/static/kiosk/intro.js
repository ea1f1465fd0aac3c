// The first screens a participant sees: welcome, assent, optional coarse profile.

import { h, picto, uid } from "./dom.js";
import { actions, button, heading, optionButton, setPressed } from "./widgets.js";

export function welcomeScreen(ctx, { onStart }) {
  // The instrument speaks first (its own title and intro, in its population's words).
  const titleText = ctx.instrument.title || ctx.t("welcome_title");
  const title = heading(1, titleText, { class: "title-xl" });
  const body = h(
    "section",
    { class: "screen screen-welcome" },
    h("div", { class: "hero" }, picto(ctx.icons.welcome || ctx.icons.lightbulb, "picto-hero")),
    title,
    h("p", { class: "body-text body-lg", text: ctx.instrument.intro || ctx.t("welcome_body") }),
    actions(button("primary btn-huge", ctx.t("start"), { icon: ctx.icons.next, action: "start", onClick: onStart, iconAfter: true })),
  );
  return { name: "welcome", title: titleText, body, focus: title };
}

export function assentScreen(ctx, { onYes, onNo }) {
  const title = heading(1, ctx.t("assent_title"), { class: "title-xl" });
  const body = h(
    "section",
    { class: "screen screen-assent" },
    title,
    h("p", { class: "body-text body-lg", text: ctx.t("assent_body") }),
    h(
      "div",
      { class: "assent-choices" },
      button("choice choice-yes", ctx.t("assent_yes"), { icon: ctx.icons.yes, action: "assent-yes", onClick: onYes }),
      button("choice choice-no", ctx.t("assent_no"), { icon: ctx.icons.no, action: "assent-no", onClick: onNo }),
    ),
  );
  return { name: "assent", title: ctx.t("assent_title"), body, focus: title };
}

function profileGroup(label, options, current, onPick) {
  const labelId = uid("profile");
  const group = h("div", { class: "options options-profile", role: "group", "aria-labelledby": labelId });
  for (const option of options) {
    group.append(
      optionButton(option, {
        pressed: current === option.value,
        multiple: false,
        onToggle: (value, el) => {
          const again = el.getAttribute("aria-pressed") === "true";
          for (const other of group.querySelectorAll(".option")) setPressed(other, false);
          // Tapping the chosen option again un-chooses it: the profile stays optional.
          if (!again) setPressed(el, true);
          onPick(again ? null : value);
        },
      }),
    );
  }
  return h("fieldset", { class: "profile-field" }, h("h2", { id: labelId, class: "question-prompt-sm", text: label }), group);
}

export function profileScreen(ctx, participant, { onNext, onSkip }) {
  const title = heading(1, ctx.t("profile_title"), { class: "title-lg" });
  const profile = ctx.profile || { age_bands: [], genders: [] };
  const body = h(
    "section",
    { class: "screen screen-profile" },
    title,
    h("p", { class: "body-text", text: ctx.t("profile_body") }),
    profile.age_bands.length
      ? profileGroup(ctx.t("profile_age"), profile.age_bands, participant.profile.age_band, (v) => {
          participant.profile.age_band = v;
        })
      : null,
    profile.genders.length
      ? profileGroup(ctx.t("profile_gender"), profile.genders, participant.profile.gender, (v) => {
          participant.profile.gender = v;
        })
      : null,
    actions(
      button("secondary", ctx.t("skip"), { icon: ctx.icons.skip, action: "skip", onClick: onSkip }),
      button("primary", ctx.t("next"), { icon: ctx.icons.next, action: "next", onClick: onNext, iconAfter: true }),
    ),
  );
  return { name: "profile", title: ctx.t("profile_title"), body, focus: title };
}
