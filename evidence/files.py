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

import contextvars
import functools
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
# Only where a sheet is expected (attendance, population): plain UTF-8 text without markup.
CSV = "text/csv"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx", CSV: ".csv"}
# A name ending in one of these must hold that kind of content: "scan.pdf" holding a PNG is
# refused, so no reader is misled about what they open.
NAME_KINDS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX, ".csv": CSV}


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


def sniff_csv(data: bytes) -> str | None:
    """CSV when the bytes are UTF-8 text with no markup (so no browser ever renders it), else None."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    head = text[:1024]
    return None if "<" in head and ">" in head else CSV


def sniff(data: bytes, *, allow_csv: bool = False) -> str | None:
    """The accepted type the bytes really are, or None. CSV only when ``allow_csv``."""
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
    return sniff_csv(data) if allow_csv else None


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


def check_upload(upload, *, allow_csv: bool = False, field: str = "file") -> CheckedFile:
    """Read and check an uploaded file. Raises ValidationError({field: …}); writes nothing.

    ``allow_csv`` admits a plain-text CSV sheet (attendance, population) besides the documents."""
    try:
        return _check(upload, allow_csv)
    except ValidationError as exc:
        if field == "file":
            raise
        raise ValidationError({field: exc.message_dict["file"]}) from None


def _check(upload, allow_csv: bool) -> CheckedFile:
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
    kind = sniff(data, allow_csv=allow_csv)
    if kind is None:
        raise ValidationError({"file": [
            _("Only PDF, JPEG, PNG, DOCX, XLSX and CSV files are accepted (checked on the content, not the name).")
            if allow_csv else
            _("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted (checked on the content, not the name).")]})
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


# The names stored during the current ``discard_on_failure`` call, deleted if it fails.
_pending: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("evidence_pending", default=None)


def store(data: bytes) -> str:
    """Save the bytes under a random name; returns the name the storage chose."""
    name = f"{secrets.token_hex(1)}/{secrets.token_hex(16)}"
    try:
        saved = evidence_storage().save(name, ContentFile(data))
    except OSError:
        # A half-written file (disk full mid-write) is no evidence of anything: remove it.
        discard(name)
        raise
    pending = _pending.get()
    if pending is not None:
        pending.append(saved)
    return saved


def discard(name: str) -> None:
    try:
        evidence_storage().delete(name)
    except OSError:   # pragma: no cover - the store is gone; nothing more to undo
        pass


def discard_on_failure(func):
    """Wrap a service (outside its ``transaction.atomic``): if it raises, also at the commit,
    the files it stored are deleted, so no file outlives the rows that would have named it."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _pending.get() is not None:
            return func(*args, **kwargs)   # an outer call undoes everything if it fails
        token = _pending.set([])
        try:
            return func(*args, **kwargs)
        except BaseException:
            for name in _pending.get() or ():
                discard(name)
            raise
        finally:
            _pending.reset(token)
    return wrapper


def read(name: str) -> bytes:
    with evidence_storage().open(name, "rb") as handle:
        return handle.read()
