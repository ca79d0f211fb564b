"""Dependency audit: lockfile readers, a local OSV advisory database, upgrade proposals, lookalike checks, SBOM.

The engine (:mod:`bastion.deps.engine`) is the scan-time face; the CLI
commands ``db``, ``deps`` and ``sbom`` use :mod:`bastion.deps.api`.
"""
