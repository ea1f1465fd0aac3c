"""Loading questionnaire versions into the database; a stored version never changes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..extensions import db
from ..instruments.definition import InstrumentDefinition, InstrumentError, discover
from ..models import Instrument


@dataclass
class LoadReport:
    added: list[str]
    unchanged: list[str]


def load_definitions(definitions: list[InstrumentDefinition] | None = None) -> LoadReport:
    """All or nothing: one changed-but-not-bumped file stops the whole load."""
    definitions = discover() if definitions is None else definitions
    report = LoadReport(added=[], unchanged=[])
    for definition in definitions:
        label = f"{definition.slug} v{definition.version}"
        stored = latest_version(definition.slug, version=definition.version)
        if stored is None:
            db.session.add(
                Instrument(
                    slug=definition.slug,
                    version=definition.version,
                    population=definition.population,
                    title_es=definition.title["es"],
                    title_en=definition.title["en"],
                    checksum=definition.checksum,
                    definition=definition.to_dict(),
                )
            )
            report.added.append(label)
        elif stored.checksum == definition.checksum:
            report.unchanged.append(label)
        else:
            db.session.rollback()
            raise InstrumentError(
                f"{label} is already loaded with different content. Versions are immutable: "
                f"raise 'version' in {definition.slug}.yaml and load again."
            )
    db.session.commit()
    return report


def latest_version(slug: str, version: int | None = None) -> Instrument | None:
    query = db.select(Instrument).filter_by(slug=slug)
    if version is not None:
        query = query.filter_by(version=version)
    return db.session.scalar(query.order_by(Instrument.version.desc()).limit(1))


def current_instruments() -> list[Instrument]:
    """The newest version of every instrument, for new sessions."""
    rows = db.session.scalars(db.select(Instrument).order_by(Instrument.slug, Instrument.version))
    newest: dict[str, Instrument] = {}
    for row in rows:
        newest[row.slug] = row
    return list(newest.values())


def definition_of(instrument: Instrument) -> InstrumentDefinition:
    return _parse(instrument.checksum, instrument.id)


@lru_cache(maxsize=64)
def _parse(checksum: str, instrument_id: int) -> InstrumentDefinition:
    row = db.session.get(Instrument, instrument_id)
    # Pictograms were checked when the version was loaded; the stored form is trusted as is.
    return InstrumentDefinition.from_dict(
        row.definition, source=f"{row.slug} v{row.version}", check_icons=False
    )
