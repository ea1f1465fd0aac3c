// Read-aloud for children who barely read: the browser's own speech synthesis, which runs on the
// device (no network). Where the browser has none, no speaker button is shown at all.

import { h, picto } from "./dom.js";

const LOCALES = { es: "es-CO", en: "en-US" };

export function speechAvailable() {
  return typeof window.speechSynthesis !== "undefined" && typeof window.SpeechSynthesisUtterance === "function";
}

function pickVoice(locale) {
  const voices = window.speechSynthesis.getVoices() || [];
  const language = locale.slice(0, 2);
  return voices.find((v) => v.lang === locale) || voices.find((v) => (v.lang || "").startsWith(language)) || null;
}

export function speak(text, lang) {
  if (!speechAvailable() || !text) return;
  const synth = window.speechSynthesis;
  synth.cancel(); // a new tap replaces what was being read
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = LOCALES[lang] || lang;
  const voice = pickVoice(utterance.lang);
  if (voice) utterance.voice = voice;
  utterance.rate = 0.9; // a little slower, for children
  synth.speak(utterance);
}

// A speaker button that reads `text`; its accessible name says what it reads.
export function speakerButton(ctx, text, extraClass = "") {
  if (!ctx.speech) return null;
  const label = `${ctx.t("read_aloud")}: ${text}`;
  return h(
    "button",
    {
      type: "button",
      class: `btn-speak ${extraClass}`.trim(),
      "aria-label": label,
      title: ctx.t("read_aloud"),
      "data-action": "speak",
      onclick: (event) => {
        event.stopPropagation();
        speak(text, ctx.lang);
      },
    },
    picto(ctx.icons.speaker),
  );
}
