"""Certificates: who qualifies and why not, issuing, the PDF with its QR code, bulk download, public checks."""
