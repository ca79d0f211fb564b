"""Data files: one per security theme (themes/) and per language, framework or library (stacks/)."""
