"""``bastion logs``: attack signals, leaks and alerts from real logs.

Public entry point: :func:`analyze_logs` (exported as ``bastion.analyze_logs``),
which reads access, error, JSON, journald and text logs and returns the common
:class:`~bastion.core.result.Report`, one finding per incident. ``--follow`` and the
metrics exporter live in :mod:`bastion.logs.follow`; alert rules for Prometheus,
Loki and fail2ban in :mod:`bastion.logs.rulegen`.
"""

from bastion.logs.run import LogRunError, analyze_logs

__all__ = ["LogRunError", "analyze_logs"]
