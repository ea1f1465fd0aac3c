"""Writes live here: routes and commands call services, services own the transactions."""
