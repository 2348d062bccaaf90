"""The journey model: frozen dataclasses, the builder from checked data, ids and slugs.

May import source only; the check layer above builds the model through ``model.builder``.
"""
