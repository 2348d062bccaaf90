"""``journeymap build``: a static site of every journey, built incrementally in worker processes.

May import render, interop and everything below; never commands. :func:`journeymap.site.build.
build_site` is the entry point; ``cache`` decides what to re-render, ``worker`` validates and
renders one journey in a child process, ``pages`` turns the results into HTML and journeys.json.
"""
