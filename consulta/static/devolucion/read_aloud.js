// Read-aloud on the public devolución pages, with the kiosk's own speech helper (the device's
// speechSynthesis, es-CO or en-US). The buttons stay hidden where the browser cannot speak.

import { speak, speechAvailable } from "../kiosk/speech.js";

function blockText(id) {
  const block = document.getElementById(id);
  if (!block) return "";
  return Array.from(block.querySelectorAll("[data-read-text]"))
    .map((node) => node.textContent.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join(". ");
}

if (speechAvailable()) {
  const lang = document.documentElement.lang || "es";
  for (const button of document.querySelectorAll("button[data-read]")) {
    button.hidden = false;
    button.addEventListener("click", () => speak(blockText(button.dataset.read), lang));
  }
}
