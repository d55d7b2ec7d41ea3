"""The import hook: ``import go.github_com.org.lib`` (SPEC §6).

``finder.py`` is the ``sys.meta_path`` finder, ``resolve.py`` maps Python
names back to Go import paths.
"""

from __future__ import annotations

from .finder import GoFinder, install, uninstall

__all__ = ["GoFinder", "install", "uninstall"]
