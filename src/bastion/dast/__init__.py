"""Dynamic testing of a running REST API: ``bastion dast``.

:func:`bastion.dast_scan` (in :mod:`bastion.dast.api`) is the entry point; the
engine (:mod:`bastion.dast.engine`) runs the crawl and the check phases of
:mod:`bastion.dast.checks` through one scoped, budgeted client.
"""
