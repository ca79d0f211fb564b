"""Detectors: each turns a parsed record into zero or more :class:`~bastion.logs.records.Signal`."""
