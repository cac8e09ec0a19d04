"""Charts as PNG or SVG files, drawn by plotly's kaleido driving the system's Chromium (pure: plotly only)."""
import shutil
import tempfile
from functools import cache
from importlib.util import find_spec
from pathlib import Path

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH, HEIGHT_FALLBACK, PNG_SCALE = 1000, 500, 2  # a slide-sized figure; PNG at twice the pixels for print
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


class ImagesUnavailable(RuntimeError):
    """kaleido or a Chromium to drive is missing on this server (the page's own download button still works)."""


@cache
def images_available():
    """Whether this server can draw chart files: kaleido installed and a Chromium on the PATH."""
    # Found, not imported (kaleido costs 20 MB): only drawing a file loads it, and a kaleido that fails to load
    # then makes plotly raise what image_bytes and png_images already catch.
    if find_spec("kaleido") is None:
        return False
    return any(shutil.which(name) for name in BROWSERS)


def image_bytes(figure, file_format):
    """The figure as a PNG or SVG file; ImagesUnavailable when this server cannot draw it."""
    if file_format not in FORMATS:
        raise ValueError(file_format)
    if not images_available():
        raise ImagesUnavailable(file_format)
    import plotly.io  # loaded by the requests that draw a file, not by the app

    height = figure.layout.height or HEIGHT_FALLBACK
    try:
        return plotly.io.to_image(figure, format=file_format, width=WIDTH, height=height,
                                  scale=PNG_SCALE if file_format == "png" else 1)
    except (RuntimeError, OSError, ValueError) as error:  # the browser would not start or died
        raise ImagesUnavailable(str(error)) from error


def png_images(figures, width=WIDTH):
    """name → PNG bytes of several figures, drawn in one browser session; {} when this server cannot draw them
    (the PDF summary then goes without charts rather than not at all). A narrower `width` makes the texts larger
    relative to the picture (the summary's small charts)."""
    return images(figures, ("png",), width)["png"]


def images(figures, formats, width=WIDTH):
    """format → name → bytes of several figures in each of `formats` (png, svg), all drawn in one browser session;
    every format {} when this server cannot draw them."""
    if any(file_format not in FORMATS for file_format in formats):
        raise ValueError(formats)
    if not figures or not images_available():
        return {file_format: {} for file_format in formats}
    import plotly.io

    jobs = [(name, file_format) for file_format in formats for name in figures]
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{index}.{file_format}" for index, (_name, file_format) in enumerate(jobs)]
        try:
            plotly.io.write_images([figures[name] for name, _format in jobs], [str(path) for path in paths],
                                   format=[file_format for _name, file_format in jobs], width=width,
                                   height=[figures[name].layout.height or HEIGHT_FALLBACK for name, _format in jobs],
                                   scale=[PNG_SCALE if file_format == "png" else 1 for _name, file_format in jobs])
        except (RuntimeError, OSError, ValueError):
            return {file_format: {} for file_format in formats}
        drawn = {file_format: {} for file_format in formats}
        for (name, file_format), path in zip(jobs, paths, strict=True):
            if path.exists():
                drawn[file_format][name] = path.read_bytes()
        return drawn
