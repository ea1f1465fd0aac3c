// The kiosk's state machine: one participant at a time, from welcome to thank-you and back.
// Every participant's answers live only in `this.participant` and the current screen's DOM;
// both are dropped on reset, and the history entry is replaced so Back cannot bring them back.

import { ApiError, fetchSession, isRetryable } from "./api.js";
import { Dialogs, renderTopbar } from "./chrome.js";
import { clear } from "./dom.js";
import { FacilitatorPanel, pinSetupScreen } from "./facilitator.js";
import { errorBodyKey, messageScreen, reviewScreen, sendingScreen, thanksScreen } from "./ending.js";
import { fetchIdeas, ideasScreen, pickIdeas } from "./ideas.js";
import { assentScreen, profileScreen, welcomeScreen } from "./intro.js";
import { forget, newParticipant, skip, toSubmission } from "./participant.js";
import { hasPin } from "./pin.js";
import { tabletLabel } from "./tablet.js";
import { pageScreen } from "./questions.js";
import { uuid4 } from "./uuid.js";
import { button } from "./widgets.js";

const GROUP_SIZE = 3;
// How long the sending screen waits for the server before trusting the outbox and moving on.
const SEND_PATIENCE_MS = 30000;
// Taps on the help button within this time count as one help request.
const HELP_DEBOUNCE_MS = 30000;
// Screens on which a participant who walked away leaves answers for the next person to see.
const IDLE_SCREENS = new Set(["profile", "question", "ideas", "review"]);

export function paginate(questions, layout) {
  if (layout !== "grouped") return questions.map((q) => [q]);
  const pages = [];
  for (let i = 0; i < questions.length; i += GROUP_SIZE) pages.push(questions.slice(i, i + GROUP_SIZE));
  return pages;
}

export class Kiosk {
  constructor({ root, topbar, announcer, ctx, queue, exitUrl }) {
    Object.assign(this, { root, topbar, announcer, ctx, queue });
    this.facilitator = new FacilitatorPanel(document.body, ctx, { queue, exitUrl });
    this.questions = ctx.instrument.questions;
    this.pages = paginate(this.questions, ctx.layout);
    this.participant = null;
    this.timer = null;
    this.ideas = []; // approved ideas of other sessions, refreshed for each participant
    this.loadIdeas();
    this.dialogs = new Dialogs(document.body, ctx);
    this.dialogs.onChange = (open) => {
      this.paused = open;
    };
    this.watchIdle();
  }

  // A child may walk away mid-questionnaire. After idleSeconds without a touch or a key, their
  // unsent answers are dropped and the tablet returns to the welcome screen.
  watchIdle() {
    this.lastActivity = Date.now();
    const touch = () => {
      this.lastActivity = Date.now();
    };
    for (const type of ["pointerdown", "keydown", "input", "scroll"]) {
      document.addEventListener(type, touch, { capture: true, passive: true });
    }
    window.setInterval(() => {
      const idle = (Date.now() - this.lastActivity) / 1000;
      if (this.participant && IDLE_SCREENS.has(this.root.dataset.screen) && idle >= this.ctx.idleSeconds) {
        this.welcome();
      }
    }, 1000);
  }

  show(screen, mode = "flow") {
    this.stopTimer();
    this.dialogs.closeAll();
    renderTopbar(this.topbar, this.ctx, {
      mode,
      onHelp: () => this.openHelp(),
      onStop: () => this.askStop(),
      onFacilitator: mode === "welcome" && hasPin() ? () => this.facilitator.open() : null,
    });
    clear(this.root);
    this.root.append(screen.body);
    this.root.dataset.screen = screen.name;
    this.root.scrollTop = 0;
    window.scrollTo(0, 0);
    document.title = `${screen.title} · ${this.ctx.t("app_name")}`;
    this.announcer.textContent = screen.title;
    // Replace, never push: the browser's Back button has nothing of this participant to return to.
    history.replaceState(null, "", location.pathname + location.search);
    if (screen.focus) screen.focus.focus({ preventScroll: true });
  }

  // Shows the help lines and tells the facilitator that someone on this tablet asked for help
  // (only that: no answer and no participant data travels with it).
  openHelp() {
    this.dialogs.openHelp();
    if (this.lastHelp && Date.now() - this.lastHelp < HELP_DEBOUNCE_MS) return;
    this.lastHelp = Date.now();
    this.queue.submit("help", this.ctx.code, { id: uuid4(), tablet: tabletLabel(this.ctx) });
  }

  // The first screen when a session is opened on this tablet: the facilitator chooses a PIN.
  pinSetup() {
    this.show(pinSetupScreen(this.ctx, { onDone: () => this.welcome() }), "plain");
  }

  welcome() {
    this.fromReview = false;
    forget(this.participant);
    this.participant = null;
    this.show(welcomeScreen(this.ctx, { onStart: () => this.start() }), "welcome");
  }

  // The facilitator may have closed the session since the page loaded: say so before anyone
  // spends ten minutes answering. Without a connection, go on (answers wait to be sent).
  async start() {
    this.loadIdeas();
    try {
      const session = await fetchSession(this.ctx.apiBase, this.ctx.code, this.ctx.lang);
      if (session.status === "closed") return this.closed();
    } catch (error) {
      if (error instanceof ApiError && error.kind === "not_found") return this.closed();
    }
    return this.assent();
  }

  assent() {
    this.show(
      assentScreen(this.ctx, {
        onYes: () => {
          this.participant = newParticipant();
          this.profile();
        },
        onNo: () => this.welcome(),
      }),
      "plain",
    );
  }

  profile() {
    this.show(
      profileScreen(this.ctx, this.participant, {
        onNext: () => this.page(0),
        onSkip: () => {
          this.participant.profile.age_band = null;
          this.participant.profile.gender = null;
          this.page(0);
        },
      }),
    );
  }

  page(index) {
    if (index < 0) return this.profile();
    if (index >= this.pages.length) return this.fromReview ? this.review() : this.ideasStep();
    const page = this.pages[index];
    this.show(
      pageScreen(this.ctx, page, index, this.pages.length, this.participant, {
        onBack: () => this.page(index - 1),
        onSkip: () => {
          for (const question of page) skip(this.participant, question);
          this.page(this.fromReview ? this.pages.length : index + 1);
        },
        // After "Cambiar" on the review, going on returns straight to the review.
        onNext: () => this.page(this.fromReview ? this.pages.length : index + 1),
      }),
    );
  }

  // Without a connection the service worker answers with the last list; failing that, keep ours.
  loadIdeas() {
    fetchIdeas(this.ctx.apiBase, this.ctx.code, this.ctx.lang)
      .then((ideas) => {
        this.ideas = ideas;
      })
      .catch(() => {});
  }

  // "Ideas de otros grupos", between the questions and the review; only when there are some.
  ideasStep() {
    if (!this.participant.ideas) this.participant.ideas = pickIdeas(this.ideas);
    if (!this.participant.ideas.length) return this.review();
    this.show(
      ideasScreen(this.ctx, this.participant.ideas, this.participant, {
        onBack: () => this.page(this.pages.length - 1),
        onSkip: () => {
          this.participant.supports.clear();
          this.review();
        },
        onNext: () => this.review(),
      }),
    );
  }

  review() {
    this.fromReview = false;
    this.show(
      reviewScreen(this.ctx, this.questions, this.participant, {
        onBack: () => (this.participant.ideas && this.participant.ideas.length ? this.ideasStep() : this.page(this.pages.length - 1)),
        onSend: () => this.send(),
        onChange: (questionIndex) => {
          this.fromReview = true;
          this.page(this.pages.findIndex((p) => p.includes(this.questions[questionIndex])));
        },
      }),
    );
  }

  async askStop() {
    if (await this.dialogs.confirmStop()) {
      if (this.participant && this.participant.id) await this.queue.discard(`submission:${this.participant.id}`);
      this.welcome();
    }
  }

  // The submission is safe in the tablet's outbox before the first byte is sent: when the
  // network is down the participant still sees the thank-you screen, and the outbox delivers
  // their answers later. Only a final refusal (invalid, conflicting, closed) is shown.
  async send() {
    // The tablet's name goes with the answers: a safeguarding alert must say where to go.
    const submission = { ...toSubmission(this.participant, this.questions), tablet: tabletLabel(this.ctx) };
    this.show(sendingScreen(this.ctx), "plain");
    const patience = new Promise((resolve) => window.setTimeout(() => resolve({ delivered: false, waiting: true }), SEND_PATIENCE_MS));
    const result = await Promise.race([this.queue.submit("submission", this.ctx.code, submission), patience]);
    if (result.delivered || result.waiting || isRetryable(result.error)) return this.thanks();
    return this.failed(result.error);
  }

  async failed(error) {
    let kind = error instanceof ApiError ? error.kind : "server";
    if (error instanceof ApiError && error.body && error.body.reason === "closed") kind = "closed";
    else if (kind === "not_found") {
      // A 409 is usually a session closed meanwhile: ask the API rather than guess from the text.
      try {
        const session = await fetchSession(this.ctx.apiBase, this.ctx.code, this.ctx.lang);
        if (session.status === "closed") kind = "closed";
      } catch (lookup) {
        if (lookup instanceof ApiError && lookup.kind === "not_found") kind = "closed";
      }
    }
    if (kind === "closed") {
      forget(this.participant);
      this.participant = null;
      return this.closed();
    }
    // Only final refusals reach this screen (the outbox keeps them for the facilitator): an adult
    // must help, so the raised hand, and the way back to the start.
    forget(this.participant);
    this.participant = null;
    const buttons = [button("primary", this.ctx.t("start_over"), { icon: this.ctx.icons.back, action: "start-over", onClick: () => this.welcome() })];
    const icon = this.ctx.icons.help;
    this.show(messageScreen(this.ctx, "error", { titleKey: "error_title", bodyKey: errorBodyKey(kind), icon, buttons }));
  }

  thanks() {
    // The answers are with the server: nothing of them stays in memory or on screen.
    forget(this.participant);
    this.participant = null;
    const seconds = this.ctx.resetSeconds;
    const screen = thanksScreen(this.ctx, seconds, { onNext: () => this.welcome() });
    this.show(screen, "plain");
    let left = seconds;
    this.timer = window.setInterval(() => {
      if (this.paused) return; // someone is reading the help lines: wait for them
      left -= 1;
      screen.setSeconds(Math.max(left, 0));
      if (left <= 0) this.welcome();
    }, 1000);
  }

  closed() {
    this.show(
      messageScreen(this.ctx, "closed", { titleKey: "closed_title", bodyKey: "closed_body", icon: this.ctx.icons.stop }),
      "plain",
    );
  }

  stopTimer() {
    if (this.timer) window.clearInterval(this.timer);
    this.timer = null;
  }
}
