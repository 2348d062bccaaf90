"""Checking journeys: JSON Schema, semantic checks and lint, reporters, the validate session.

May import model and source; never text, render, output, interop, site or commands.
"""
