"""Uploaded logos and signatures checked and normalized: PNG or JPEG only, bounded size, re-encoded as PNG (pure)."""
import io
import warnings

from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = ("PNG", "JPEG")
MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000  # far above any logo, far below a decompression bomb
# Kept images are scaled down to this: a logo's 46 mm box or a signature's line needs no more (≥ 330 dpi), and each
# certificate of a batch compresses the pixels again, so larger images only cost time and size.
MAX_SIDE = 600


class ImageProblem(ValueError):
    """Why an upload is refused: `code` is one of too_large, not_an_image, wrong_format."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def normalized_png(data):
    """The upload as a PNG no larger than MAX_SIDE on its longer side, metadata dropped; ImageProblem otherwise."""
    if len(data) > MAX_BYTES:
        raise ImageProblem("too_large")
    image = _opened(data)
    if image.format not in ACCEPTED_FORMATS:
        raise ImageProblem("wrong_format")
    try:
        image.load()
    except (OSError, ValueError) as error:  # truncated or corrupt data
        raise ImageProblem("not_an_image") from error
    image = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA", "PA") else image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _opened(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombWarning,
                Image.DecompressionBombError) as error:  # Pillow raises any of these on malformed headers
            raise ImageProblem("not_an_image") from error
    if image.width * image.height > MAX_PIXELS:
        raise ImageProblem("too_large")
    return image
