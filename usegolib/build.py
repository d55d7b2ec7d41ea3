"""The name earlier releases gave the builder: ``usegolib.build.build_module``
and ``usegolib.build.BuildResult`` keep working. The builder lives in
usegolib/builder/ (a folder named ``build`` reads as build output); its
package's lazy ``__getattr__`` serves this module too."""

from __future__ import annotations

from .builder import __all__, __getattr__  # noqa: F401 - this module's own, re-exported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .builder import BuildResult, build_module  # noqa: F401
