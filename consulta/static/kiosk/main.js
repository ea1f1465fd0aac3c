// Entry point of the kiosk page: reads the server-rendered configuration (a JSON block, since
// the content security policy forbids inline scripts), loads the session, starts the flow.

import { ApiError, fetchSession, postSubmission } from "./api.js";
import { Dialogs, renderTopbar } from "./chrome.js";
import { clear } from "./dom.js";
import { messageScreen } from "./ending.js";
import { Kiosk } from "./flow.js";
import { SubmissionQueue } from "./queue.js";
import { button } from "./widgets.js";

function readConfig() {
  const node = document.getElementById("kiosk-config");
  return JSON.parse(node.textContent);
}

function makeContext(config, session) {
  const { strings } = config;
  const population = session ? session.population : null;
  const childVoice = !population || strings.child_voice.includes(population);
  const table = childVoice ? strings.base : { ...strings.base, ...strings.adult };
  return {
    code: config.code,
    lang: config.lang,
    apiBase: config.apiBase,
    languages: config.languages,
    resetSeconds: config.resetSeconds || 20,
    idleSeconds: config.idleSeconds || 300,
    icons: config.icons,
    helpLines: strings.help_lines,
    t: (key) => (key in table ? table[key] : key),
    population,
    childVoice,
    instrument: session ? session.instrument : { title: "", questions: [] },
    layout: session ? session.instrument.layout || (childVoice ? "one_per_screen" : "grouped") : "one_per_screen",
    profile: session ? session.profile : null,
  };
}

// Fetch every pictogram once while the welcome screen shows, so that no option appears blank.
function preloadPictures(ctx) {
  const urls = new Set(Object.values(ctx.icons));
  for (const question of ctx.instrument.questions) {
    for (const option of question.options || []) if (option.icon) urls.add(option.icon);
  }
  for (const url of urls) {
    const img = new Image();
    img.src = url;
  }
}

function showStatic(root, topbar, announcer, ctx, screen) {
  // Even when the questions cannot load, the help lines stay one tap away.
  const dialogs = new Dialogs(document.body, ctx);
  renderTopbar(topbar, ctx, { mode: "plain", onHelp: () => dialogs.openHelp(), onStop: () => {} });
  clear(root);
  root.append(screen.body);
  root.dataset.screen = screen.name;
  announcer.textContent = screen.title;
  document.title = `${screen.title} · ${ctx.t("app_name")}`;
  screen.focus.focus();
}

async function start() {
  const config = readConfig();
  const root = document.getElementById("screen");
  const topbar = document.getElementById("topbar");
  const announcer = document.getElementById("announcer");
  let session;
  try {
    session = await fetchSession(config.apiBase, config.code, config.lang);
  } catch (error) {
    const ctx = makeContext(config, null);
    const notFound = error instanceof ApiError && error.kind === "not_found";
    const reload = button("primary btn-huge", ctx.t("retry"), { icon: ctx.icons.next, action: "reload", onClick: () => location.reload() });
    const screen = notFound
      ? messageScreen(ctx, "not-found", { titleKey: "not_found_title", bodyKey: "not_found_body", icon: ctx.icons.help })
      : messageScreen(ctx, "load-error", { titleKey: "load_error", icon: ctx.icons.wait || ctx.icons.help, buttons: [reload] });
    showStatic(root, topbar, announcer, ctx, screen);
    return;
  }
  const ctx = makeContext(config, session);
  preloadPictures(ctx);
  document.body.classList.toggle("voice-child", ctx.childVoice);
  document.body.classList.add(`population-${session.population}`);
  const queue = new SubmissionQueue((submission) => postSubmission(config.apiBase, config.code, submission));
  const kiosk = new Kiosk({ root, topbar, announcer, ctx, queue });
  if (session.status === "closed") kiosk.closed();
  else kiosk.welcome();
}

start();
