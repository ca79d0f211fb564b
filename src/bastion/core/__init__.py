"""The model and the engine contract: what every engine produces and every face consumes.

``model`` (findings), ``result`` (a scan's report), ``engine_api`` (what an engine implements),
``engines`` (the registry), ``rules`` / ``rulebook`` (rule documentation), ``redaction`` (how a
secret value is hidden and fingerprinted) and ``config`` (validated settings). Nothing here runs a
scan; the pipeline and the engines import it, never the other way round.
"""
