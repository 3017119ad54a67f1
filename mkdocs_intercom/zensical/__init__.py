"""The Zensical path. Zensical (Material for MkDocs' successor) reads mkdocs.yml but runs no
MkDocs plugin, so `mkdocs-intercom setup` writes a theme override instead: a partial that renders
the plugin's very tags from the same options under `extra: intercom:`, and the same loader."""
