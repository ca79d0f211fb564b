from pathlib import Path

BASE = Path("/var/lib/notes").resolve()


def read_note(user_id: str, note_name: str) -> str:
    note_path = (BASE / user_id / note_name).resolve()
    if not note_path.is_relative_to(BASE):
        raise PermissionError("note outside the notes directory")
    return note_path.read_text(encoding="utf-8")
