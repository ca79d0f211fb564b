from pathlib import Path

BASE = Path("/var/lib/notes")


def read_note(user_id: str, note_name: str) -> str:
    note_path = BASE / user_id / note_name
    return note_path.read_text(encoding="utf-8")
