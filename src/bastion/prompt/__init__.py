"""Proactive prompting: harden a coding request before an assistant writes the code.

Public entry points: :func:`harden_prompt` (task -> :class:`HardenedPrompt`),
:func:`review_prompt` (file -> a review prompt grounded in Bastion's findings)
and :func:`write_assistant_files` (security instruction files for AI
assistants, merged into what a repository already has).
"""

from __future__ import annotations

from bastion.prompt.harden import HardenedPrompt, harden_prompt
from bastion.prompt.themes import ThemeMatch, detect_themes

__all__ = ["HardenedPrompt", "ThemeMatch", "detect_themes", "harden_prompt", "review_prompt", "write_assistant_files"]


def review_prompt(path, **kwargs):
    """See :func:`bastion.prompt.review.review_prompt`."""
    from bastion.prompt.review import review_prompt as build

    return build(path, **kwargs)


def write_assistant_files(root, **kwargs) -> list[str]:
    """See :func:`bastion.prompt.assistant.write_assistant_files`."""
    from bastion.prompt.assistant import write_assistant_files as write

    return write(root, **kwargs)
