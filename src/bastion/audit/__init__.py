"""The contextual audit: a map of the application's entry points, and the review questions each raises.

Public interface (typed, JSON-able through ``to_dict()``):
:func:`build_map` -> :class:`AppMap` of :class:`EntryPoint` with their
:class:`Param`, :class:`Guard` and :class:`Reach`. ``bastion dast
--routes-from`` and the log watcher read this map; ``bastion audit`` adds
review items, risk scores and the HTML report on top.
"""

from bastion.audit.build import AuditError, build_map
from bastion.audit.model import AppMap, EntryPoint, Guard, Handler, Param, Reach

__all__ = ["AppMap", "AuditError", "EntryPoint", "Guard", "Handler", "Param", "Reach", "build_map"]
