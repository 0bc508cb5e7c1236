"""What an evidence file is allowed to be, and where its bytes go.

Checked on the content, never on the name or the browser's claim: the first bytes must be those
of a PDF, a JPEG, a PNG or an Office Open XML document (DOCX, XLSX without macros), and an image
must decode. Images are re-encoded without their metadata, so a photo taken at the child's home
does not carry the home's GPS position into the case file.

The bytes go to the evidence storage through Django's storage API: a private folder outside the
web root by default (``EVIDENCE_DIR``), or any storage class named in ``EVIDENCE_STORAGE``
(e.g. django-storages' S3 backend; docs/decisions/0009-evidence-files.md). Names there are random.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from casework.errors import ValidationError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}
# A name ending in one of these must hold that kind of content: "scan.pdf" holding a PNG is
# refused, so no reader is misled about what they open.
NAME_KINDS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX}


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def evidence_storage() -> Storage:
    """The storage evidence files live in. Built on each call: cheap, and tests change settings."""
    conf = getattr(settings, "EVIDENCE_STORAGE", None)
    if conf:
        return import_string(conf["BACKEND"])(**conf.get("OPTIONS", {}))
    location = Path(getattr(settings, "EVIDENCE_DIR", None) or Path(settings.VAR_DIR) / "evidence")
    # No base_url that anything serves: these files are read only through the download view.
    return FileSystemStorage(location=location, base_url="/nowhere/", file_permissions_mode=0o600,
                             directory_permissions_mode=0o700)


def sniff(data: bytes) -> str | None:
    """The accepted type the bytes really are, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
            return None   # not Office Open XML, or carrying macros
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


def strip_image(data: bytes, kind: str) -> bytes:
    """The image re-encoded without EXIF, GPS, XMP or text chunks; refused if it does not decode."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Keep what the photo looks like (the orientation lives in EXIF), drop the rest.
            clean = ImageOps.exif_transpose(image)
            if kind == JPEG and clean.mode not in ("RGB", "L", "CMYK"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            if kind == JPEG:
                clean.save(out, "JPEG", quality=92)   # no exif=…: Pillow writes none
            else:
                clean.save(out, "PNG")                # no pnginfo=…: no text chunks
            return out.getvalue()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"file": [_("The image is damaged or not really an image.")]}) from None


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    name: str
    sha256: str
    stripped: bool


def check_upload(upload) -> CheckedFile:
    """Read and check an uploaded file. Raises ValidationError({"file": …}); writes nothing."""
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to attach.")]})
    limit = max_bytes()
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ValidationError({"file": [_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}]})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": [_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}]})
    if not data:
        raise ValidationError({"file": [_("The file is empty.")]})
    kind = sniff(data)
    if kind is None:
        raise ValidationError({"file": [_("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted (checked on "
                                          "the content, not the name).")]})
    name = Path(str(getattr(upload, "name", "") or "file")).name[:150]
    stem, suffix = Path(name).stem or "file", Path(name).suffix.lower()
    if suffix in NAME_KINDS and NAME_KINDS[suffix] != kind:
        raise ValidationError({"file": [_("The file's content does not match its name.")]})
    stripped = kind in (JPEG, PNG)
    if stripped:
        data = strip_image(data, kind)
    return CheckedFile(data=data, content_type=kind, name=f"{stem}{EXTENSIONS[kind]}",
                       sha256=hashlib.sha256(data).hexdigest(), stripped=stripped)


def new_key() -> str:
    return secrets.token_urlsafe(32)


def store(data: bytes) -> str:
    """Save the bytes under a random name; returns the name the storage chose."""
    name = f"{secrets.token_hex(1)}/{secrets.token_hex(16)}"
    return evidence_storage().save(name, ContentFile(data))


def discard(name: str) -> None:
    evidence_storage().delete(name)


def read(name: str) -> bytes:
    with evidence_storage().open(name, "rb") as handle:
        return handle.read()
