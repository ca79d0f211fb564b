"""The scan pipeline: from a root folder to a filtered report.

``workspace`` finds the files, ``runner`` hands them to ``worker`` processes through ``pool`` (each
file parsed once by ``parsing``, under a time and memory budget), keeps results in ``cache``, runs
the cross-file ``project_pass``, and ``noise`` and ``filters`` decide what is shown; ``fixes``
applies or previews machine-applicable fixes.
"""
