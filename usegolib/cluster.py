"""Go functions on a cluster (docs/cluster.md).

Workers need no Go: the process that loaded a Go module ships its artifact
(the library and manifest.json, usegolib.shipping), each worker checks every
file's SHA-256, installs it in an artifact root of its own and loads it,
and a Go function, which pickles by reference (``go.<package>.<name>``),
unpickles there through the ``go.`` import hook.

- Dask: :func:`ship_to_dask` does it all through plugins, for the workers
  there are, those that join later, and the scheduler.
- Anything else (Ray, a process pool): :func:`usegolib.artifacts_for` names
  the files, ``Artifact.copy_to(root)`` installs them in another root, and
  :func:`use_artifacts` (a pool's initializer) makes a process import from
  that root; :func:`load_shipped` installs and loads packed artifacts.

Importing this module imports no cluster framework.
"""

from __future__ import annotations

import importlib
import pickle
import types

from .errors import ShippingError
from .naming import python_module_name
from .receiving import load_shipped
from .shipping import artifacts_for, library_of, unique, use_artifacts

TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    from collections.abc import Iterable
    from typing import Any


def ship_to_dask(
    client: Any, *objects: Any, root: str | os.PathLike[str] | None = None, platforms: Iterable[str] = ()
) -> str:
    """Ship the artifacts of objects (Go packages, functions, classes, as
    ``usegolib.import_`` or a ``go.`` import gave them) to every worker of
    ``client``'s cluster, once, through a Dask worker plugin: workers that
    join later get them too. Each worker checks every file's SHA-256,
    installs the artifacts in ``root`` (default: ``usegolib-artifacts`` in
    the worker's local directory; an identical artifact already there is
    kept, so a read-only shared root that holds them works), loads them and
    installs the ``go.`` import hook. Then ``client.map(go_function, ...)``
    runs on workers without Go. A scheduler plugin does the same in the
    scheduler (into a temporary directory), which unpickles task graphs in
    recent versions of distributed; a scheduler in this process (a
    LocalCluster's) has them already.

    ``platforms`` (``["linux-amd64"]``) ships the artifacts of other
    platforms too, built beside the loaded ones (``Artifact.for_platform``):
    each worker takes its own platform's.

    This process gets the ``go.`` hook too: Go functions pickle by reference
    as ``go.<package>.<name>``. Returns the plugin's name (the same for the
    same artifacts: shipping them again sends nothing). Raises
    :class:`~usegolib.errors.ShippingError` for a function that cannot
    travel by reference, and (from the workers)
    :class:`~usegolib.errors.LoadError` for a damaged artifact or
    :class:`~usegolib.errors.ArtifactNotFoundError` for a worker of another
    platform.
    """
    if not objects:
        raise TypeError("ship_to_dask(client, *objects): name the Go packages or functions to ship")
    loaded = unique(artifacts_for(obj) for obj in objects)
    artifacts = unique([*loaded, *(a.for_platform(p) for a in loaded for p in platforms)])
    prepare_pickling(objects)
    try:
        from ._dask import ArtifactsPlugin, SchedulerArtifactsPlugin
    except ImportError as exc:  # pragma: no cover - a client implies distributed
        raise ImportError(f"ship_to_dask needs dask.distributed: pip install distributed ({exc})") from exc
    packed = tuple(a.pack() for a in artifacts)
    scheduler = SchedulerArtifactsPlugin(packed)
    workers = ArtifactsPlugin(packed, None if root is None else str(root))
    register = getattr(client, "register_plugin", None)
    if register is not None:
        register(scheduler, name=scheduler.name)
        register(workers, name=workers.name)
    else:  # distributed before 2023.9.2
        client.register_scheduler_plugin(scheduler, name=scheduler.name)
        client.register_worker_plugin(workers, name=workers.name)
    return workers.name


def prepare_pickling(objects: Iterable[Any]) -> None:
    """Make objects pickle by reference from this process: install the
    ``go.`` hook and import the ``go.`` name of each package made from
    their libraries (cloudpickle pickles a function by reference only when
    its module is imported). Raises ShippingError for a function whose
    ``go.`` name is another object."""
    from ._hook import install as install_hook

    objects = list(objects)
    install_hook()
    for lib in {id(lib): lib for lib in (library_of(obj) for obj in objects)}.values():
        for path in sorted({path for path, _ in list(lib.packages)}):
            name = python_module_name(path)
            try:
                importlib.import_module(name)
            except ImportError as exc:
                raise ShippingError(
                    f"Go functions of {path} pickle by reference as {name}.<name>, but {name} cannot be imported "
                    f"here: {exc}"
                ) from exc
    for obj in objects:
        if isinstance(obj, (str, types.ModuleType)):
            continue
        try:
            pickle.dumps(obj)
        except pickle.PicklingError as exc:
            name = getattr(obj, "__name__", "F")
            raise ShippingError(
                f"{obj!r} cannot be pickled by reference: {exc}. A Go function pickles as "
                f"{getattr(obj, '__module__', 'go.<package>')}.{name}, the function of the typed view (what the go. "
                "hook imports); this one is of the plain view (usegolib.import_), which takes and returns records "
                f"as dicts. Ship and map the typed view's: usegolib.import_(...).typed().{name}, or "
                f"`from {getattr(obj, '__module__', 'go.<package>')} import {name}`"
            ) from exc


__all__ = ["load_shipped", "prepare_pickling", "ship_to_dask", "use_artifacts"]
