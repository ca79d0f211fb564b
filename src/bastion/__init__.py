"""Bastion: security guardrails for code written with AI assistants."""

__version__ = "0.1.0"
