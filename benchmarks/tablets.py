"""Simulated kiosk tablets (asyncio + httpx): what the load and fault benchmarks measure.

Each tablet behaves like the kiosk's outbox: one random UUID per participant, the same id on
every resend, retries on network errors, 5xx and 429 with capped, jittered exponential back-off,
and a 200 on a resend counts as the acknowledgement. 409/422/413/400/404 are final (held).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
from child_texts import child_text

TEXT_TYPES = ("open_text", "idea")
RETRYABLE = {429} | set(range(500, 600))


@dataclass
class Tally:
    started: float = field(default_factory=time.monotonic)
    post_ms: list[float] = field(default_factory=list)  # every POST attempt that got a reply
    get_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # "POST 201", "POST ReadError", ...
    sent: set[str] = field(default_factory=set)  # every id a tablet tried to deliver
    acked: dict[str, int] = field(default_factory=dict)  # id -> answers sent
    resends_acked_200: int = 0
    refused: Counter = field(default_factory=Counter)
    unacked: set[str] = field(default_factory=set)  # gave up (the kiosk would keep them)
    timeline: list[tuple[float, str]] = field(default_factory=list)  # (seconds, outcome)
    bad_503: int = 0  # a 503 without a JSON error or without Retry-After
    last_ack: float = 0.0

    def at(self) -> float:
        return time.monotonic() - self.started


def build_submission(detail: dict, population: str, rng: random.Random, tablet: int) -> dict:
    """A whole participant: every choice question answered (a few skipped), two open texts."""
    questions = detail["instrument"]["questions"]
    texts = [q["id"] for q in questions if q["type"] in TEXT_TYPES]
    written = set(rng.sample(texts, 2))
    answers = []
    for q in questions:
        if q["type"] in TEXT_TYPES:
            if q["id"] in written:
                answers.append({"question": q["id"], "value": child_text(rng, population)})
            continue
        if rng.random() < 0.08:
            continue  # skipped
        values = [o["value"] for o in q["options"]]
        if q["type"] == "multiple_choice":
            picked = rng.sample(values, rng.randint(1, min(3, len(values))))
            answers.append({"question": q["id"], "value": picked})
        else:
            answers.append({"question": q["id"], "value": rng.choice(values)})
    profile = detail["profile"]
    return {
        "id": str(uuid.uuid4()),
        "profile": {
            "age_band": rng.choice(profile["age_bands"])["value"],
            "gender": rng.choice([g["value"] for g in profile["genders"]] + [None]),
        },
        "answers": answers,
        "tablet": f"Tableta {tablet}",
    }


@dataclass
class Retry:
    base: float = 2.0  # the kiosk's KIOSK_RETRY_BASE_SECONDS
    cap: float = 30.0  # the kiosk's default is 300; shortened so a run ends
    give_up_after: float = 120.0  # after the run's end; the kiosk never gives up

    def delay(self, attempt: int, rng: random.Random) -> float:
        return min(self.cap, self.base * 2**attempt) * rng.uniform(0.5, 1.0)


async def _request(client: httpx.AsyncClient, tally: Tally, method: str, url: str, **kw):
    began = time.perf_counter()
    try:
        reply = await client.request(method, url, **kw)
    except httpx.HTTPError as exc:
        outcome = f"{method} {type(exc).__name__}"
        tally.statuses[outcome] += 1
        tally.timeline.append((tally.at(), outcome))
        return None
    elapsed = (time.perf_counter() - began) * 1000
    (tally.post_ms if method == "POST" else tally.get_ms).append(elapsed)
    outcome = f"{method} {reply.status_code}"
    tally.statuses[outcome] += 1
    tally.timeline.append((tally.at(), outcome))
    if reply.status_code == 503:
        try:
            has_error = bool(reply.json().get("error"))
        except ValueError:
            has_error = False
        if not has_error or "retry-after" not in reply.headers:
            tally.bad_503 += 1
    return reply


async def fetch_session(client, base, code, tally, rng, retry: Retry, give_up: float):
    attempt = 0
    while time.monotonic() < give_up:
        reply = await _request(client, tally, "GET", f"{base}/api/v1/sessions/{code}")
        if reply is not None and reply.status_code == 200:
            return reply.json()
        await asyncio.sleep(retry.delay(attempt, rng))
        attempt += 1
    return None


async def deliver(client, base, code, payload, tally, rng, retry: Retry, give_up: float) -> bool:
    url = f"{base}/api/v1/sessions/{code}/submissions"
    tally.sent.add(payload["id"])
    attempt = 0
    while True:
        reply = await _request(client, tally, "POST", url, json=payload)
        if reply is not None and reply.status_code in (200, 201):
            tally.acked[payload["id"]] = len(payload["answers"])
            tally.resends_acked_200 += reply.status_code == 200
            tally.last_ack = tally.at()
            return True
        if reply is not None and reply.status_code not in RETRYABLE:
            tally.refused[reply.status_code] += 1
            return False
        if time.monotonic() > give_up:
            tally.unacked.add(payload["id"])
            return False
        await asyncio.sleep(retry.delay(attempt, rng))
        attempt += 1


async def tablet_loop(
    client, base, code, population, tablet, tally, stop_at, think, retry: Retry, seed
):
    """Participants one after another until stop_at; the one in hand is always delivered."""
    rng = random.Random(seed)
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # tablets do not all start together
    give_up = stop_at + retry.give_up_after
    while time.monotonic() < stop_at:
        detail = await fetch_session(client, base, code, tally, rng, retry, give_up)
        if detail is None:
            return
        payload = build_submission(detail, population, rng, tablet)
        await deliver(client, base, code, payload, tally, rng, retry, give_up)
        if think:  # the next child sits down; no one starts after the end of the run
            await asyncio.sleep(min(rng.expovariate(1 / think), max(0, stop_at - time.monotonic())))


def new_client(concurrency: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(60.0))


async def run_tablets(
    base: str,
    codes: dict[str, str],
    tablets: int,
    seconds: float,
    think: float,
    retry: Retry,
    tally: Tally | None = None,
    seed: int = 7,
) -> Tally:
    tally = tally or Tally()
    stop_at = time.monotonic() + seconds
    pairs = list(codes.items())
    async with new_client(tablets) as client:
        await asyncio.gather(
            *(
                tablet_loop(
                    client,
                    base,
                    *pairs[n % len(pairs)],
                    n + 1,
                    tally,
                    stop_at,
                    think,
                    retry,
                    seed * 1000 + n,
                )
                for n in range(tablets)
            )
        )
    return tally


async def hammer_get(base: str, path: str, concurrency: int, seconds: float) -> Tally:
    """A trivial endpoint at full speed, with the same concurrency as the tablets."""
    tally = Tally()
    stop_at = time.monotonic() + seconds
    url = base + path

    async def one(client):
        while time.monotonic() < stop_at:
            await _request(client, tally, "GET", url)

    async with new_client(concurrency) as client:
        await asyncio.gather(*(one(client) for _ in range(concurrency)))
    return tally


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]
