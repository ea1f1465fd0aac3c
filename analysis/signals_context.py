"""Grammatical context of a cue: is it framed as a hypothesis, a proposal, news, fiction or a
closed case; is it negated; does it concern a specific child.

Everything reads the one spaCy parse (sentences, morphology, entities) plus the keyed tokens,
in a single left-to-right pass per doc. The small model misparses unpunctuated child writing,
so frames are scoped linearly (to the end of the clause) rather than by dependency subtrees.
"""

from __future__ import annotations

from analysis.signals_keys import KeyedDoc, key
from analysis.signals_lexicon import WordSet, flags_of

NEGATORS = {key(w) for w in ("no", "nunca", "jamás", "ni", "tampoco", "nadie", "ningún")}
# Negators that may stand before the subject: "ningún adulto me ha pedido", "nunca un señor me...".
MODALS = {key(w) for w in "puede pueden podía debe deben debía quiere quieren van va".split()}
STRONG_NEGATORS = {key(w) for w in ("nunca", "jamás")}
SUBJECT_NEGATORS = {key(w) for w in ("nunca", "jamás", "nadie", "ningún", "ninguna", "ninguno")}
# Words that may sit between a negator and the verb it negates: "no me lo ha pedido".
CLITICS = {key(w) for w in "me te le la lo les las los nos se ya ha han he hemos has a".split()}
FIRST_PERSON = {key(w) for w in "me mi mis yo conmigo mío mía nos nosotras nosotros".split()}
# First-person forms the small model sometimes tags as gerunds or nouns ("si no le mando...").
FIRST_VERBS = {key(w) for w in "mando envío mandé envié hago subo tomo grabo dejo".split()}
CLAUSE_BREAK = {key(w) for w in ("porque", "pues", "pero", "aunque", "entonces")} | {",", "."}
SPEECH = {
    key(w)
    for w in (
        "dice dijo decía dicen dijeron ofrece ofreció ofrecieron promete prometió prometieron "
        "propone propuso propusieron insiste insistió escribe escribió amenaza amenazó "
        "amenazaron manda mandó mandaron pide pidió pidieron pedía exige exigió exigieron "
        "obliga obligó obligaron quería querían"
    ).split()
}
CLAUSE_START = {key(w) for w in ". , y pero o porque entonces pues que ¿ ; :".split()} | {".", ","}
NAME_INTRO = {key(w) for w in "llama llamada llamado nombre".split()}
QUALIFIER = {key(w) for w in "de del que con".split()}
# "yo creo que...", "me parece que...": the writer gives an opinion, is not the one harmed.
OPINION = {
    key(w)
    for w in "creo pienso opino conozco considero propongo veo recuerdo parece preocupa "
    "gustaría gustaria imagino sé digo sabemos".split()
}
INDIRECT_Q = {key(w) for w in ("sé", "se", "saber", "sabe", "pregunto", "preguntó", "decidir")}
WHEN = {key(w) for w in ("cuando", "apenas", "siempre")}
INDEFINITE = {key(w) for w in ("un", "una", "alguien", "algún", "alguna", "cualquier", "uno", "te")}
AGE_INTRO = {key(w) for w in "de tiene tengo tenía tenia cumplió cumple yo ella".split()}
SELF_AGE = {key(w) for w in "tengo yo cumplí".split()}
# "mi barrio", "mi papá": the writer's community or an adult, not the writer as the one harmed.
NOT_ME = {
    key(w)
    for w in "barrio comuna cuadra colegio escuela ciudad país vereda municipio sector calle "
    "opinión concepto parecer pueblo región zona corregimiento edificio conjunto papá papa "
    "mamá mama tío tio tía tia abuelo abuela padrastro madrastra padrino madrina jefe "
    "profesor profesora profe esposo esposa marido casa".split()
}
AGE_UNIT = {key(w) for w in ("años", "añitos", "anos")}
NUMBER_WORDS = {
    key(w): n
    for n, w in enumerate(
        "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
        "quince dieciseis diecisiete dieciocho diecinueve veinte".split()
    )
}
NUMBER_WORDS.update({key("treinta"): 30, key("cuarenta"): 40, key("cincuenta"): 50})
NUMBER_WORDS.update({str(n): n for n in range(100)})
NUMBER_WORDS.update({f"{n:02d}": n for n in range(10)})
POSS = WordSet("poss")
PERSON = WordSet("person")
CHILD = WordSet("child")
SGDET = WordSet("sgdet")
FIRST_MASK = WordSet("first").mask
LEADS = WordSet("poss", "sgdet").mask
REPORTING = WordSet("report_verb")
NAMED = WordSet("person", "name_intro").mask


def number_value(k: str) -> int | None:
    return NUMBER_WORDS.get(k)


class Context:
    """Per-token facts about one doc, computed once and queried per cue."""

    def __init__(self, kd: KeyedDoc, frame_hits: dict[str, list[tuple[int, int]]]):
        self.kd = kd
        keys = kd.keys
        n = len(keys)
        self.flags = [flags_of(k) for k in keys]
        self.sent_of = [0] * n
        self.sent_bounds: list[tuple[int, int]] = []
        self.sent_masks: list[int] = []
        self.doc_mask = 0
        bounds = [*kd.sent_starts, n] if n else []
        for i, (s0, s1) in enumerate(zip(bounds, bounds[1:], strict=False)):
            self.sent_bounds.append((s0, s1))
            mask = 0
            for j in range(s0, s1):
                self.sent_of[j] = i
                mask |= self.flags[j]
            self.sent_masks.append(mask)
            self.doc_mask |= mask
        self.framed = [""] * n  # token index -> name of the frame that covers it
        self._scope_frames(frame_hits)
        self._scope_conditionals()
        self.ages = self._ages()
        self.minor_writer = False
        self.specific_sents = self._specific_sentences()
        self.first_person_sents = {
            i for i, mask in enumerate(self.sent_masks) if mask & FIRST_MASK and self._has_first(i)
        }
        self.years_ago = self._years_ago()

    # -- frames ---------------------------------------------------------------------------------
    def _clause_end(self, i: int, stop: set[str]) -> int:
        end = self.sent_bounds[self.sent_of[i]][1]
        keys = self.kd.keys
        for j in range(i + 1, end):
            if keys[j] in stop:
                return j
        return end

    def _mark(self, start: int, end: int, name: str) -> None:
        for j in range(start, end):
            if not self.framed[j]:
                self.framed[j] = name

    def _scope_frames(self, frame_hits: dict[str, list[tuple[int, int]]]) -> None:
        for name, spans in frame_hits.items():
            if name == "adult_life":
                continue  # a fact about the writer, read by the caller, not a scope
            for start, _ in spans:
                if name == "fiction" and not self._names_a_work(start):
                    continue  # "le cuento que...", "si cuento me pega" tell; "un cuento" is fiction
                s0, s1 = self.sent_bounds[self.sent_of[start]]
                if name in ("proposal", "hypothetical"):
                    self._mark(start, self._clause_end(start, CLAUSE_BREAK - {","}), name)
                else:  # news, fiction, resolved, childhood: the whole sentence
                    self._mark(s0, s1, name)

    def _names_a_work(self, start: int) -> bool:
        """A noun after a determiner or preposition: "en la película", not "si cuento"."""
        pos = self.kd.pos
        if pos[start] not in ("NOUN", "PROPN"):
            return False
        return start > 0 and pos[start - 1] in ("DET", "ADP", "NUM")

    def _years_ago(self) -> list[int]:
        """'hace 30 años': a told event that long ago; its sentence is a memory, not a case."""
        keys = self.kd.keys
        out = []
        for i, k in enumerate(keys):
            if k != "ase":
                continue
            for j in range(i + 1, min(len(keys), i + 4)):
                value = number_value(keys[j])
                if value is not None:
                    out.append(value)
                    if value >= 10:
                        s0, s1 = self.sent_bounds[self.sent_of[i]]
                        self._mark(s0, s1, "childhood")
                    break
        return out

    def _scope_conditionals(self) -> None:
        doc, keys, morph = self.kd.doc, self.kd.keys, self.kd.morph
        n = len(keys)
        for i, k in enumerate(keys):
            if k == "si" and doc[i].lower_ != "sí":
                nxt = keys[i + 1] if i + 1 < n else ""
                before = keys[max(0, i - 3) : i]
                # "si alguien...", "si a un niño...", "si te piden...": a case imagined, not told.
                subject = keys[i + 2] if nxt == "a" and i + 2 < n else nxt
                generic = subject in INDEFINITE
                if not generic and nxt == "no":
                    continue  # "si no ...": a threat
                if any(b in INDIRECT_Q for b in before[-2:]):
                    continue  # "no sé si contarle": an indirect question
                if not generic and any(b in SPEECH for b in before):
                    continue
                if (
                    before
                    and before[-1] == "ke"
                    and not generic
                    and any(b in SPEECH for b in keys[max(0, i - 4) : i - 1])
                ):
                    continue  # "dice que si...": the condition of a reported offer
                # "me da plata si me dejo": a condition attached to a told deal, not a hypothesis.
                clause_initial = not before or before[-1] in CLAUSE_START
                if not generic and not clause_initial:
                    continue
                self._mark(i, self._clause_end(i, {",", "."}), "hypothetical")
            elif k == "ke" and (i == self.sent_bounds[self.sent_of[i]][0] or keys[i - 1] in ".,"):
                # "Que enseñen...", "q la gente no diga...": a wish or demand, not a told case.
                if any(morph[j].get("Mood") == "Sub" for j in range(i + 1, min(n, i + 5))):
                    self._mark(i, self._clause_end(i, CLAUSE_BREAK - {","}), "proposal")
            elif k in WHEN or k == "caso":
                window = range(i + 1, min(n, i + 5))
                if any(morph[j].get("Mood") == "Sub" or keys[j] in INDEFINITE for j in window):
                    self._mark(i, self._clause_end(i, {".", ","}), "hypothetical")
            else:
                mood = morph[i].get("Mood")
                past_sub = mood == "Sub" and morph[i].get("Tense") == "Imp"
                polite = k.startswith("kis") and i + 1 < n and morph[i + 1].get("VerbForm") == "Inf"
                if (mood == "Cnd" or past_sub) and not polite:  # "quisiera hablar": a request
                    s0 = self.sent_bounds[self.sent_of[i]][0]
                    before = keys[max(s0, i - 6) : i]
                    # "le pidió que se quitara la ropa": a reported demand, not a hypothesis.
                    reported = any(b in SPEECH for b in before) or (
                        past_sub and "ke" in before[-3:]
                    )
                    if not reported:
                        self._mark(i, self._clause_end(i, {".", ","}), "hypothetical")

    def frame(self, start: int) -> str:
        """The frame over a cue's first token: "me da plata si..." is an offer, not a hypothesis."""
        return self.framed[start]

    # -- negation -------------------------------------------------------------------------------
    def negated(self, start: int, end: int | None = None) -> bool:
        keys = self.kd.keys
        if keys[start] in NEGATORS:
            return False  # the cue itself contains the negation ("que no le diga a nadie")
        if end is not None and any(k in STRONG_NEGATORS for k in keys[start:end]):
            return True  # "me dice que nunca me suba al carro"
        j = start - 1
        while j >= 0 and (keys[j] in CLITICS or keys[j] in MODALS) and start - j <= 4:
            j -= 1
        if j >= 0 and keys[j] in NEGATORS:
            return True
        # Allow a subject noun phrase between a strong negator and the verb, but no other verb.
        pos = self.kd.pos
        while j >= 0 and start - j <= 5 and pos[j] in ("NOUN", "DET", "ADJ", "PROPN"):
            j -= 1
            if j >= 0 and keys[j] in SUBJECT_NEGATORS:
                return True
        return False

    # -- specific referent ----------------------------------------------------------------------
    def _ages(self) -> list[tuple[int, int]]:
        """(token index, age) for every "de 13", "tiene 12", "13 años"."""
        keys = self.kd.keys
        out = []
        numbers = NUMBER_WORDS.get
        for i, k in enumerate(keys):
            value = numbers(k)
            if value is None:
                continue
            prev = keys[i - 1] if i else ""
            nxt = keys[i + 1] if i + 1 < len(keys) else ""
            if prev in AGE_INTRO or nxt in AGE_UNIT:
                out.append((i, value))
        return out

    def _specific_sentences(self) -> set[int]:
        """Sentences naming a particular child: "mi hermana", "la niña de al lado", "de 13", Ana."""
        doc, keys, morph, pos = self.kd.doc, self.kd.keys, self.kd.morph, self.kd.pos
        found = set()
        flags = self.flags
        for i, k in enumerate(keys):
            if not flags[i] & LEADS:
                continue
            nxt = keys[i + 1 : i + 3]
            if k in POSS and any(x in PERSON for x in nxt):
                found.add(self.sent_of[i])
            elif k in SGDET and nxt and nxt[0] in CHILD and morph[i + 1].get("Number") != "Plur":
                # "la niña de al lado" is someone; "una niña" is anyone unless described.
                if k not in INDEFINITE or (len(nxt) > 1 and nxt[1] in QUALIFIER):
                    found.add(self.sent_of[i])
        for i, age in self.ages:
            if age <= 17 and keys[i - 1] in SELF_AGE:
                self.minor_writer = True
            plural_group = keys[i - 1] == "de" and any(  # "niñas de 14": a group, not a child
                morph[j].get("Number") == "Plur" and pos[j] == "NOUN"
                for j in range(max(0, i - 3), i)
            )
            if age <= 17 and not plural_group:
                found.add(self.sent_of[i])
        for ent in doc.ents if self.doc_mask & NAMED else ():
            # A name counts when introduced as a person: "mi amiga Laura", "se llama Sofía".
            before = keys[max(0, ent.start - 2) : ent.start]
            if ent.label_ == "PER" and any(b in PERSON or b in NAME_INTRO for b in before):
                found.add(self.sent_of[ent.start])
        return found

    def first_person_near(self, start: int, end: int, window: tuple | None = None) -> bool:
        keys, morph = self.kd.keys, self.kd.morph
        s0, s1 = self.sent_bounds[self.sent_of[start]]
        lo, hi = window or (max(s0, start - 10), min(s1, end + 6))
        for j in range(lo, hi):
            nxt = keys[j + 1] if j + 1 < len(keys) else ""
            if keys[j] in FIRST_PERSON and nxt not in NOT_ME and nxt not in OPINION:
                return True
        return any(
            (morph[j].get("Person") == "1" and morph[j].get("Number") == "Sing")
            or keys[j] in FIRST_VERBS
            for j in range(start, end)
        )

    def specific(self, start: int, end: int) -> bool:
        if self.first_person_near(start, end):
            return True
        if self.minor_writer and self.sent_of[start] in self.first_person_sents:
            return True
        s = self.sent_of[start]
        return s in self.specific_sents or (s - 1) in self.specific_sents

    def sentence_specific(self, index: int) -> bool:
        """A particular child anywhere in the sentence (or named in the one before)."""
        if index in self.specific_sents or (index - 1) in self.specific_sents:
            return True
        s0, s1 = self.sent_bounds[index]
        keys = self.kd.keys
        for j in range(s0, s1):
            nxt = keys[j + 1] if j + 1 < len(keys) else ""
            if keys[j] in FIRST_PERSON and nxt not in NOT_ME and nxt not in OPINION:
                if not (keys[j] == "me" and nxt in REPORTING):
                    return True
        return False

    def _has_first(self, sent: int) -> bool:
        s0, s1 = self.sent_bounds[sent]
        return any(k in FIRST_PERSON for k in self.kd.keys[s0:s1])

    def any_specific(self) -> bool:
        return bool(self.specific_sents) or bool(self.first_person_sents)

    def sentence_mask(self, start: int) -> int:
        """Sets present in the cue's sentence or the one before (unpunctuated text splits oddly)."""
        index = self.sent_of[start]
        mask = self.sent_masks[index]
        return mask | self.sent_masks[index - 1] if index else mask
