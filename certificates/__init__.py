"""Certificates: who qualifies and why not, issuing, the PDF with its QR code, bulk download, public checks."""
from flask import Blueprint

bp = Blueprint("certificates", __name__)

from . import (  # noqa: E402,F401  (tables, template helpers, routes and personal-data sections register)
    models,
    services_privacy,
    template_helpers,
    views,
    views_certificate,
    views_public,
    views_settings,
)
