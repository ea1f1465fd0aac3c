"""``python -m analysis``: the command line through which the analysis is run and checked.

Input is JSON Lines, read and written one line at a time (memory does not grow with the file).
A bad line (not JSON, not an object, no ``text``, ``text`` not a string, ``text`` longer than
``core.MAX_TEXT_CHARS``) is reported on stderr with its line number and skipped; the other lines
are still processed. Blank lines are ignored. Exit status: 0 when every line was fine, 1 when any
line failed or the input was empty, 2 for usage errors (bad options, unreadable files), 3 when the
spaCy model is not installed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import IO, Any

from analysis import core, pipeline

EXIT_OK, EXIT_BAD_LINES, EXIT_USAGE, EXIT_MODEL = 0, 1, 2, 3


class Problems:
    """Reports bad lines on stderr as they are met and remembers whether any occurred."""

    def __init__(self, stderr: IO[str]):
        self.stderr = stderr
        self.count = 0
        self.records = 0

    def line(self, lineno: int, message: str, record: Any = None) -> None:
        self.count += 1
        ident = record.get("id") if isinstance(record, dict) else None
        where = f"línea {lineno}" + (f" (id {ident!r})" if ident is not None else "")
        print(f"error: {where}: {message}; se omite esta línea", file=self.stderr, flush=True)

    def finish(self) -> int:
        if self.records == 0 and self.count == 0:
            print("error: la entrada está vacía: no hay ninguna línea JSON", file=self.stderr)
            return EXIT_BAD_LINES
        return EXIT_BAD_LINES if self.count else EXIT_OK


def _reject_constant(name: str):
    raise ValueError(f"{name} no es un valor JSON válido")


def read_records(
    src: Iterable[bytes],
    problems: Problems,
    check: Callable[[dict], None] | None = None,
) -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` for each valid line; report the others and go on."""
    for lineno, raw in enumerate(src, 1):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.line(lineno, f"no está codificada en UTF-8 ({exc.reason})")
            continue
        try:
            record = json.loads(line, parse_constant=_reject_constant)
        except ValueError as exc:
            problems.line(lineno, f"no es JSON válido ({exc})")
            continue
        if not isinstance(record, dict):
            problems.line(
                lineno, f"se esperaba un objeto JSON {{...}}, no {core._type_name(record)}"
            )
            continue
        try:
            if "text" not in record:
                raise ValueError("falta el campo 'text'")
            core.check_text(record["text"])
            if check:
                check(record)
        except (TypeError, ValueError) as exc:
            problems.line(lineno, str(exc), record)
            continue
        problems.records += 1
        yield lineno, record


def write(out: IO[str], obj: Any) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _tag_fields(record: dict, results: core.Results) -> dict:
    tag = results.tag
    record["lines"] = sorted(tag.lines)
    record["themes"] = list(tag.themes)
    record["confidence"] = {line: round(float(v), 4) for line, v in tag.confidence.items()}
    record["evidence"] = [
        {"theme": e.theme, "start": e.start, "end": e.end, "text": e.text} for e in tag.evidence
    ]
    return record


def _redact_fields(record: dict, results: core.Results) -> dict:
    red = results.redaction
    record["text"] = red.text
    record["redactions"] = [
        {"type": r.type, "start": r.start, "end": r.end} for r in red.redactions
    ]
    return record


def _alert_fields(record: dict, results: core.Results) -> dict:
    record["alert"] = bool(results.signal.alert)
    record["reasons"] = list(results.signal.reasons)
    return record


STREAM_COMMANDS = {"tag": _tag_fields, "redact": _redact_fields, "alert": _alert_fields}


def stream(command: str, src: Iterable[bytes], out: IO[str], problems: Problems) -> None:
    """The tag/redact/alert loop; also what ``bench --stream`` measures."""
    render = STREAM_COMMANDS[command]
    items = ((record["text"], (lineno, record)) for lineno, record in read_records(src, problems))
    for results, (lineno, record) in core.run(items, {command}, isolate=True):
        if results.error is not None:
            problems.line(lineno, f"fallo interno al analizar ({_where(results.error)})", record)
            continue
        write(out, render(record, results))


def _where(err: BaseException) -> str:
    """Exception type and code location, never its message: it may quote the participant."""
    frames = traceback.extract_tb(err.__traceback__)
    if not frames:
        return type(err).__name__
    last = frames[-1]
    return f"{type(err).__name__} en {os.path.basename(last.filename)}:{last.lineno}"


def _cmd_stream(args, src, out, problems) -> None:
    stream(args.command, src, out, problems)


def _cmd_summarize(args, src, out, problems) -> None:
    from analysis import summaries

    summary = summaries.Summarizer(k=args.k, quotes=args.quotes)
    for _, record in read_records(src, problems, summaries.check_record):
        summary.add(record)
    out.write(json.dumps(summary.result(), ensure_ascii=False, indent=2) + "\n")


def _cmd_evaluate(args, src, out, problems) -> None:
    from analysis import evaluation

    check = evaluation.CHECKS[args.task]
    rows = (record for _, record in read_records(src, problems, check))
    report = evaluation.evaluate(args.task, rows)
    if args.json:
        out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(evaluation.format_report(report) + "\n")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("debe ser un entero mayor o igual a 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Redacción, codificación a las líneas del plan y señales de protección.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMANDO")

    def io_options(p):
        p.add_argument("--input", metavar="FILE", help="JSON Lines de entrada (por defecto stdin)")
        p.add_argument("--output", metavar="FILE", help="archivo de salida (por defecto stdout)")

    for name, text in (
        ("tag", "codifica cada texto a temas y líneas, con evidencia"),
        ("redact", "reemplaza datos personales por marcadores tipados"),
        ("alert", "marca los textos que requieren atención inmediata"),
    ):
        p = sub.add_parser(name, help=text)
        io_options(p)
        p.set_defaults(handler=_cmd_stream)

    p = sub.add_parser("summarize", help="resumen por línea, tema, población y territorio")
    io_options(p)
    p.add_argument("--k", type=_positive, default=5, help="umbral de supresión (por defecto 5)")
    p.add_argument("--quotes", type=_positive, default=3, help="citas por línea (por defecto 3)")
    p.set_defaults(handler=_cmd_summarize)

    p = sub.add_parser("evaluate", help="precisión, exhaustividad y F1 contra un conjunto de oro")
    p.add_argument("--task", choices=("lines", "pii", "alerts"), required=True)
    p.add_argument("--gold", metavar="FILE", required=True)
    p.add_argument("--output", metavar="FILE", help="archivo de salida (por defecto stdout)")
    p.add_argument("--json", action="store_true", help="cifras en JSON")
    p.set_defaults(handler=_cmd_evaluate, input=None)

    p = sub.add_parser("bench", help="velocidad frente a nlp.pipe y memoria máxima")
    p.add_argument("--n", type=_positive, default=20_000, help="textos generados (20000)")
    p.add_argument("--stream", type=_positive, metavar="N", help="pasa N textos por `tag`")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", action="store_true", help="cifras en JSON")
    return parser


def main(
    argv: list[str] | None = None,
    stdin: IO[bytes] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    if stdout is None:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        stdout = sys.stdout
    try:
        if args.command == "bench":
            from analysis import bench

            return bench.main(args, stdout)
        with ExitStack() as stack:
            path = args.gold if args.command == "evaluate" else args.input
            try:
                if path:
                    src = stack.enter_context(open(path, "rb"))
                else:
                    src = stdin if stdin is not None else sys.stdin.buffer
                out = stdout
                if args.output:
                    out = stack.enter_context(
                        open(args.output, "w", encoding="utf-8", newline="\n")
                    )
            except OSError as exc:
                print(f"error: no se puede abrir {exc.filename}: {exc.strerror}", file=stderr)
                return EXIT_USAGE
            problems = Problems(stderr)
            args.handler(args, src, out, problems)
            out.flush()
            return problems.finish()
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        sys.stdout = open(os.devnull, "w")  # the interpreter flushes it at exit
        return EXIT_BAD_LINES
    except pipeline.ModelMissingError as exc:
        print(f"error: {exc}", file=stderr)
        return EXIT_MODEL
    except Exception as exc:
        from analysis.codebook import CodebookError

        if not isinstance(exc, CodebookError):
            raise
        print(f"error: el libro de códigos no es válido: {exc}", file=stderr)
        return EXIT_MODEL
