// The facilitator's PIN for this tablet: set when a session is first opened here, asked before
// leaving the kiosk or exporting waiting answers. Only a salted, stretched hash is kept, in this
// tablet's localStorage; the PIN never leaves the device. PBKDF2 (SubtleCrypto) where the page is
// a secure context; elsewhere (plain http on a LAN) iterated SHA-256 in plain JavaScript.

import { sha256 } from "./sha256.js";

const KEY = "consulta-kiosk-pin";
const PBKDF2_ROUNDS = 100000;
const SHA_ROUNDS = 5000;
export const PIN_PATTERN = /^\d{4,6}$/;

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (text) => new Uint8Array(text.match(/../g).map((b) => parseInt(b, 16)));

function subtleAvailable() {
  return window.isSecureContext && window.crypto && window.crypto.subtle;
}

async function derive(pin, salt, method) {
  const pinBytes = new TextEncoder().encode(pin);
  if (method === "pbkdf2") {
    const key = await crypto.subtle.importKey("raw", pinBytes, "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", salt, iterations: PBKDF2_ROUNDS, hash: "SHA-256" }, key, 256);
    return hex(new Uint8Array(bits));
  }
  let digest = sha256(new Uint8Array([...salt, ...pinBytes]));
  for (let i = 1; i < SHA_ROUNDS; i += 1) digest = sha256(new Uint8Array([...salt, ...digest]));
  return hex(digest);
}

function stored() {
  try {
    return JSON.parse(window.localStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

export function hasPin() {
  return Boolean(stored());
}

export async function setPin(pin) {
  if (!PIN_PATTERN.test(pin)) throw new Error("pin format");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const method = subtleAvailable() ? "pbkdf2" : "sha256";
  const hash = await derive(pin, salt, method);
  window.localStorage.setItem(KEY, JSON.stringify({ method, salt: hex(salt), hash }));
}

export async function checkPin(pin) {
  const record = stored();
  if (!record || !PIN_PATTERN.test(pin)) return false;
  if (record.method === "pbkdf2" && !subtleAvailable()) return false;
  return (await derive(pin, fromHex(record.salt), record.method)) === record.hash;
}
