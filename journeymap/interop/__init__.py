"""Other formats: Mermaid journey import and export, JSON/Markdown export, the semantic diff.

May import output and everything below it; independent of render; never site or commands.
"""
