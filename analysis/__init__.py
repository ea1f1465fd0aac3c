"""Consulta's analysis package: redaction, coding to the plan's lines, safeguarding signals.

Importable without Flask so that the app, the command line and notebooks share one behaviour.
"""

LINES = ("E1", "E2", "E3", "E4", "T1", "T2", "T3", "T4", "T5")
