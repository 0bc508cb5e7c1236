"""Evidence files: type checked on their content (never the name or the browser's claim), stored
outside the web root under random names, read back only by the access-checked download view."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from casework.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024


def evidence_dir() -> Path:
    # Not MEDIA_ROOT and not static: nothing here is reachable by URL.
    path = Path(getattr(settings, "PREVENTION_EVIDENCE_DIR", Path(settings.VAR_DIR) / "prevention-evidence"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, among those accepted; None otherwise."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return None
    if b"\x00" not in data:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        # Served as plain text with nosniff; markup is refused so no browser ever renders it.
        if "<" in text[:1024] and ">" in text[:1024]:
            return None
        return "text/csv"
    return None


def read_upload(upload) -> tuple[bytes, str]:
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    kind = sniff(data)
    if kind is None:
        raise ValidationError({"file": _("Only PDF, JPEG, PNG, XLSX, DOCX and CSV files are accepted.")})
    return data, kind


def store(data: bytes) -> tuple[str, str]:
    """(stored name, sha256). The name is random: it says nothing about the child or the file."""
    name = uuid.uuid4().hex
    (evidence_dir() / name).write_bytes(data)
    return name, hashlib.sha256(data).hexdigest()


def open_stored(name: str):
    return (evidence_dir() / name).open("rb")
