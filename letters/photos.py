"""The IRO's photo: checked and re-encoded on upload, so what is stored is always a small JPEG.

A file is refused with a message naming it when it is larger than PHOTO_MAX_BYTES, is not a JPEG
or PNG image, or has more pixels than PHOTO_MAX_PIXELS (read from its header before any pixel is
decoded, so a small file that would expand to a huge image never reaches memory). What is kept is
re-encoded at most PHOTO_SIZE pixels on each side, which also drops any metadata (a camera's
location). Django streams uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_PIXELS = 4000 * 4000
PHOTO_SIZE = (600, 600)
PHOTO_FORMATS = {"JPEG", "PNG"}


def checked_photo(upload, *, owner_id: int) -> ContentFile:
    """The upload as a re-encoded JPEG ready to store, or ValidationError naming the file."""
    name = getattr(upload, "name", "") or "the file"
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(f"“{name}” is larger than 2 MB: choose a smaller photo.")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in PHOTO_FORMATS:
                raise ValidationError(f"“{name}” is not a JPEG or PNG image: choose a photo.")
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError(
                    f"“{name}” is {width} by {height} pixels: choose a photo of at most "
                    "4000 by 4000 pixels."
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.draft("RGB", PHOTO_SIZE)  # JPEG: decode at a reduced size straight away
            picture = image.convert("RGB")
            picture.thumbnail(PHOTO_SIZE)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(f"“{name}” is not a JPEG or PNG image: choose a photo.") from None
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{owner_id}-{uuid.uuid4().hex}.jpg")
