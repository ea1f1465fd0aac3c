// Read-aloud on the public devolución pages, with the kiosk's own speech helper (the device's
// speechSynthesis, es-CO or en-US). The buttons stay hidden where the browser cannot speak.
// A text shown in another language than the page (an admin wrote it only in Spanish) is read
// in its own language, so an English voice never mangles Spanish.

import { speak, speechAvailable } from "../kiosk/speech.js";

const LOCALES = { es: "es-CO", en: "en-US" };

// The block's readable text as [{ text, lang }] runs, in reading order.
function runs(id, pageLang) {
  const block = document.getElementById(id);
  const out = [];
  if (!block) return out;
  for (const part of block.querySelectorAll("[data-read-text]")) {
    const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.replace(/\s+/g, " ").trim();
      if (!text) continue;
      const owner = node.parentElement.closest("[lang]");
      const lang = owner ? owner.lang : pageLang;
      const last = out[out.length - 1];
      if (last && last.lang === lang) last.text += ` ${text}`;
      else out.push({ text, lang });
    }
    if (out.length && !/[.!?:]$/.test(out[out.length - 1].text)) out[out.length - 1].text += ".";
  }
  return out;
}

function readBlock(id, pageLang) {
  const parts = runs(id, pageLang);
  if (parts.length <= 1) {
    speak(parts.length ? parts[0].text : "", parts.length ? parts[0].lang : pageLang);
    return;
  }
  const synth = window.speechSynthesis;
  synth.cancel();
  for (const part of parts) {
    const utterance = new SpeechSynthesisUtterance(part.text);
    utterance.lang = LOCALES[part.lang] || part.lang;
    utterance.rate = 0.9;
    synth.speak(utterance);
  }
}

if (speechAvailable()) {
  const pageLang = document.documentElement.lang || "es";
  for (const button of document.querySelectorAll("button[data-read]")) {
    button.hidden = false;
    button.addEventListener("click", () => readBlock(button.dataset.read, pageLang));
  }
}
