// One participant's answers, held only in memory and dropped as a whole when they finish or stop.

import { uuid4 } from "./uuid.js";

const CHOICE_TYPES = new Set(["single_choice", "face_scale", "yes_no"]);
export const TEXT_TYPES = new Set(["open_text", "idea"]);

export function newParticipant() {
  return {
    // The id is chosen when the participant starts, so a resend can never create a duplicate.
    id: uuid4(),
    profile: { age_band: null, gender: null },
    answers: new Map(), // question id -> string | string[]
    supports: new Set(), // ids of other groups' ideas this participant supports
    ideas: null, // the ideas shown to this participant, picked once
  };
}

export function answerOf(participant, question) {
  return participant.answers.get(question.id);
}

export function isAnswered(participant, question) {
  const value = participant.answers.get(question.id);
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === "string" && value.trim() !== "";
}

export function choose(participant, question, optionValue) {
  if (question.type === "multiple_choice") {
    const current = new Set(participant.answers.get(question.id) || []);
    if (current.has(optionValue)) current.delete(optionValue);
    else current.add(optionValue);
    // Keep the order in which the options are offered, not the order of the taps.
    const ordered = question.options.map((o) => o.value).filter((v) => current.has(v));
    if (ordered.length) participant.answers.set(question.id, ordered);
    else participant.answers.delete(question.id);
  } else if (CHOICE_TYPES.has(question.type)) {
    participant.answers.set(question.id, optionValue);
  }
}

export function isChosen(participant, question, optionValue) {
  const value = participant.answers.get(question.id);
  return Array.isArray(value) ? value.includes(optionValue) : value === optionValue;
}

export function setText(participant, question, text) {
  if (text.trim()) participant.answers.set(question.id, text);
  else participant.answers.delete(question.id);
}

export function skip(participant, question) {
  participant.answers.delete(question.id);
}

// The body of POST /submissions: skipped questions are simply absent.
export function toSubmission(participant, questions) {
  const answers = [];
  for (const question of questions) {
    if (!isAnswered(participant, question)) continue;
    const value = participant.answers.get(question.id);
    answers.push({
      question: question.id,
      value: Array.isArray(value) ? [...value] : TEXT_TYPES.has(question.type) ? value.trim() : value,
    });
  }
  const body = {
    id: participant.id,
    profile: { age_band: participant.profile.age_band, gender: participant.profile.gender },
    answers,
  };
  if (participant.supports && participant.supports.size) body.supports = [...participant.supports].sort((a, b) => a - b);
  return body;
}

export function forget(participant) {
  if (!participant) return;
  participant.answers.clear();
  if (participant.supports) participant.supports.clear();
  participant.ideas = null;
  participant.profile.age_band = null;
  participant.profile.gender = null;
  participant.id = null;
}
