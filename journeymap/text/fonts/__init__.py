"""Font data shipped with the package: advance-width tables of the layout font.

``metrics.json`` is generated from Debian's fonts-dejavu-core by
``python -m journeymap.text.fonts.build`` (see that module); ``journeymap.text.fit`` reads it.
"""
