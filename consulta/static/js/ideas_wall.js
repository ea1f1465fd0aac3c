// Read-aloud on the public ideas wall: the speaker buttons stay hidden where the browser has no
// speech synthesis, so nobody taps a button that does nothing.

import { speak, speechAvailable } from "../kiosk/speech.js";

if (speechAvailable()) {
  const lang = document.documentElement.lang || "es";
  for (const button of document.querySelectorAll("[data-speak]")) {
    button.hidden = false;
    button.addEventListener("click", () => speak(button.dataset.speak, lang));
  }
}
