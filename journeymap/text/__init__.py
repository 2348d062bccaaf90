"""Text: font metrics, measuring and wrapping text for layout, and installed-font coverage.

May import model and source (and check, though it has no need); never render, output or above.
"""
