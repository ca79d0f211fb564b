"""Python SAST: the frontend, the semantics plugged into the taint core, the checks and the engine."""
