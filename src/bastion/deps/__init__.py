"""Dependency audit: lockfile readers, a local OSV advisory database, upgrade proposals, lookalike checks, SBOM.

The engine (:mod:`bastion.deps.engine`) is the scan-time face; the public API functions
(:func:`bastion.deps`, :func:`bastion.sbom`, :func:`bastion.db_status`, :func:`bastion.db_update`,
:func:`bastion.check_packages`) live in :mod:`bastion.interfaces.commands`.

Importing this package makes ``bastion.deps`` the package rather than the API function of the same name
(Python binds a subpackage to its parent's attribute). So that ``bastion.deps(path)`` keeps meaning the
audit whichever was imported first, calling this package calls :func:`bastion.interfaces.commands.deps`.
"""

import sys
import types


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        from bastion.interfaces.commands import deps

        return deps(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
