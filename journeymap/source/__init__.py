"""Reading input: the YAML loader with positions, resource limits, located diagnostics, data paths.

The bottom layer: imports nothing else from journeymap; every other package may import it.
"""
