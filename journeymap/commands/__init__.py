"""The command line: argument parsing (``cli``) and one module per command.

The top layer, and the only place that prints or exits; may import every other package.
"""
