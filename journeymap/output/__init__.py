"""Output: SVG to PDF/PNG conversion, the card PDF writer, atomic writes, external programs.

May import text, check, model and source; never render, interop, site or commands.
"""
