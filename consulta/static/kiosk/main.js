// Entry point of the kiosk page: reads the server-rendered configuration (a JSON block, since
// the content security policy forbids inline scripts), loads the session, starts the flow.

import { ApiError, fetchSession, postHelp, postSubmission } from "./api.js";
import { Dialogs, renderTopbar } from "./chrome.js";
import { clear } from "./dom.js";
import { messageScreen } from "./ending.js";
import { Kiosk } from "./flow.js";
import { prepareOffline } from "./offline.js";
import { hasPin } from "./pin.js";
import { tabletLabel } from "./tablet.js";
import { IdbStore, indexedDbAvailable } from "./outbox.js";
import { SubmissionQueue } from "./queue.js";
import { speechAvailable } from "./speech.js";
import { uuid4 } from "./uuid.js";
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
    // The children's devolución: a QR on the thank-you screen, to scan at home (no link out).
    devolucion: session && session.devolucion_qr ? { url: session.devolucion_url, qr: session.devolucion_qr } : null,
    speech: speechAvailable(),
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

function showStatic(root, topbar, announcer, ctx, screen, queue) {
  // Even when the questions cannot load, the help lines stay one tap away.
  const dialogs = new Dialogs(document.body, ctx);
  const onHelp = () => {
    dialogs.openHelp();
    if (screen.name !== "not-found") queue.submit("help", ctx.code, { id: uuid4(), tablet: tabletLabel(ctx) });
  };
  renderTopbar(topbar, ctx, { mode: "plain", onHelp, onStop: () => {} });
  clear(root);
  root.append(screen.body);
  root.dataset.screen = screen.name;
  announcer.textContent = screen.title;
  document.title = `${screen.title} · ${ctx.t("app_name")}`;
  screen.focus.focus();
}

// The small cloud with a number: answers kept on this tablet until the server has them.
function showPending(config, count) {
  const node = document.getElementById("pending");
  if (!node) return;
  node.hidden = count === 0;
  node.dataset.count = String(count);
  node.querySelector(".pending-count").textContent = String(count);
  const label = config.strings.base.pending_label.replace("{n}", String(count));
  node.querySelector(".pending-label").textContent = label;
}

function makeQueue(config) {
  const send = (entry) =>
    entry.kind === "help" ? postHelp(config.apiBase, entry.code, entry.payload) : postSubmission(config.apiBase, entry.code, entry.payload);
  const stores = indexedDbAvailable() ? { store: new IdbStore("outbox"), held: new IdbStore("held") } : {};
  const queue = new SubmissionQueue(send, {
    ...stores,
    baseMs: (config.retryBaseSeconds || 2) * 1000,
    capMs: (config.retryCapSeconds || 300) * 1000,
    onChange: (count) => showPending(config, count),
  });
  queue.start();
  return queue;
}

async function start() {
  const config = readConfig();
  const queue = makeQueue(config);
  prepareOffline(config);
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
    showStatic(root, topbar, announcer, ctx, screen, queue);
    return;
  }
  const ctx = makeContext(config, session);
  preloadPictures(ctx);
  document.body.classList.toggle("voice-child", ctx.childVoice);
  document.body.classList.add(`population-${session.population}`);
  const kiosk = new Kiosk({ root, topbar, announcer, ctx, queue, exitUrl: config.exitUrl });
  if (session.status === "closed") kiosk.closed();
  else if (config.requirePin && !hasPin()) kiosk.pinSetup();
  else kiosk.welcome();
}

start();
