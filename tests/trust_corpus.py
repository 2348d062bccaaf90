"""Shared inputs of the issue-11 attack tests: a journey importing a library, and Mermaid."""

LIB = "journeymap: 1\nkind: library\npersonas:\n  - {id: ann, name: Ann}\n"
TRIP = """\
journeymap: 1
title: Trip
imports: [lib.yaml]
stages:
  - name: Look
    touchpoints:
      - {name: Search, emotion: 1, personas: [ann]}
      - {name: Pay, emotion: -1}
"""
MERMAID = "journey\n  title Trip\n  section Look\n    Search: 3: Ann\n"
