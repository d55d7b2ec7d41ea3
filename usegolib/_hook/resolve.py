"""Python names under ``go.`` -> Go import paths (SPEC §6).

A Go path maps to a Python name by replacing ``.`` and ``-`` with ``_`` in
each element, which loses information; the reverse looks, in order, at
aliases, local module directories, the artifact cache, and finally guesses
a bounded number of candidates for the Go module proxy.
"""

from __future__ import annotations

import itertools
import os

from .. import threads
from ..artifact import MANIFEST_FILE, host_platform, manifest_identity, unescape_module_path
from ..errors import AmbiguousNameError, LoadError
from ..naming import python_element, python_module_name
from ..runtime.locate import available_versions
from ..runtime.verify import read_manifest

TYPE_CHECKING = False
if TYPE_CHECKING:
    import types
    from collections.abc import Callable
    from typing import Any, NamedTuple, TypeVar

    from ..artifact import Platform
    from ..config import LocalModule, Settings

    T = TypeVar("T")
else:
    from ..namedtuples import NamedTuple

# Hosts whose first path elements are owners, not modules: names this short
# are namespaces, never looked up.
_OWNER_HOSTS = {"github.com": 2, "gitlab.com": 2, "bitbucket.org": 2, "golang.org": 2, "codeberg.org": 2}
# Hosts whose Python spelling is not "dots for underscores".
_HOSTS = {
    "github_com": "github.com",
    "gitlab_com": "gitlab.com",
    "bitbucket_org": "bitbucket.org",
    "golang_org": "golang.org",
    "google_golang_org": "google.golang.org",
    "gopkg_in": "gopkg.in",
    "go_uber_org": "go.uber.org",
    "gonum_org": "gonum.org",
    "k8s_io": "k8s.io",
    "sigs_k8s_io": "sigs.k8s.io",
    "go_etcd_io": "go.etcd.io",
    "cloud_google_com": "cloud.google.com",
    "honnef_co": "honnef.co",
    "modernc_org": "modernc.org",
    "mvdan_cc": "mvdan.cc",
    "rsc_io": "rsc.io",
    "codeberg_org": "codeberg.org",
}
MAX_CANDIDATES = 12


class Resolution(NamedTuple):
    """What a Python name under `go.` refers to."""

    go_path: str | None  # a Go import path, or None for a namespace
    tried: tuple[str, ...] = ()  # candidates for the proxy, in order
    source: str = ""  # "alias", "local", "loaded", "cache", "standard", "proxy", "namespace" or "invalid"
    why: str = ""  # for "invalid": why no Go path has this name


class Resolver:
    """Resolves Python names under `go.` with one configuration and root."""

    def __init__(self, settings: Settings, root: str) -> None:
        self.settings = settings
        self.root = root
        # Python name -> Go paths, of the modules the hook imported.
        self._known: dict[str, dict[str, None]] = {}
        self._lock = threads.Lock()

    def resolve(self, parts: list[str]) -> Resolution:
        """parts: the Python name without the leading `go`."""
        name = ".".join(["go", *parts])
        for finder in (self._alias, self._local, self._loaded_module, self._cached, self._standard):
            found = finder(parts, name)
            if found is not None:
                return found
        unmappable = [part for part in parts if not _mappable(part)]
        if unmappable:
            return Resolution(
                None,
                source="invalid",
                why=f"{unmappable[0]!r} has characters no Go import path can have (Go paths are ASCII letters, "
                "digits and . _ ~ - /); to give a Go package a name like this, use [tool.usegolib.aliases]",
            )
        if self._is_owner_prefix(parts):
            return Resolution(None, source="namespace")
        return Resolution(None, tried=tuple(candidates(parts)), source="proxy")

    def _alias(self, parts: list[str], name: str) -> Resolution | None:
        target = self.settings.aliases.get(parts[0])
        if target is None:
            return None
        if len(parts) == 1:
            return Resolution(target, source="alias")
        return Resolution(None, tried=tuple(f"{target}/{rest}" for rest in _variants(parts[1:])), source="proxy")

    def _local(self, parts: list[str], name: str) -> Resolution | None:
        modules: dict[str, LocalModule] = {}
        for module in self.settings.local_modules:
            modules.setdefault(module.path, module)  # the first directory: the environment's come first
        owners = _owners(name, [(python_module_name(m.path), m) for m in modules.values()])
        if owners:
            module = _one(name, owners, "local modules", lambda m: f"{m.path} ({m.directory})")
            module_name = python_module_name(module.path)
            if name == module_name:
                return Resolution(module.path, source="local")
            directory = _subdirectory(name, module.directory, name[len(module_name) + 1 :].split("."))
            if directory is None:
                return None
            if not any(entry.endswith(".go") for entry in os.listdir(directory)):
                return Resolution(None, source="namespace")  # a directory of packages
            relative = os.path.relpath(directory, module.directory).replace(os.sep, "/")
            return Resolution(f"{module.path}/{relative}", source="local")
        if any(python_module_name(path).startswith(name + ".") for path in modules):
            return Resolution(None, source="namespace")
        return None

    def _loaded_module(self, parts: list[str], name: str) -> Resolution | None:
        """A package of a module this process has loaded (through import_
        from any artifact root): itself, whatever the cache holds. Pickling
        a Go function by reference imports its go. name."""
        from ..runtime.loader import loaded_libraries

        paths = {
            path: path
            for lib in loaded_libraries()
            for path in (lib.module, *(str(p["path"]) for p in lib.manifest["packages"]))
            if python_module_name(path) == name
        }
        if not paths:
            return None
        return Resolution(_one(name, list(paths.items()), "Go packages loaded in this process", str), source="loaded")

    def _cached(self, parts: list[str], name: str) -> Resolution | None:
        """A package of an artifact under the root, found by walking only
        the directories whose names spell parts and reading the manifests
        of the modules among them, not the whole cache: a warm import of a
        cached module costs a few directory listings however many other
        artifacts the root holds."""
        with self._lock:
            known = {python: dict(paths) for python, paths in self._known.items()}
        plat = host_platform()
        branches = [(self.root, "")]  # directories that spell parts[:depth], with their Go paths
        for part in parts:
            branches = [
                (os.path.join(directory, entry), f"{path}/{element}" if path else element)
                for directory, path in branches
                for entry, element in _path_elements(directory, part)
            ]
            for directory, module in branches:
                for manifest in _artifacts(directory, module, plat):
                    _learn(known, module, manifest.get("packages", []))
        found = _named(name, known)
        if found is None and any(_holds_artifacts(directory, plat.tag) for directory, _ in branches):
            return Resolution(None, source="namespace")  # modules lie below: github.com/owner
        return found

    def _standard(self, parts: list[str], name: str) -> Resolution | None:
        """A package of Go's standard library (go.regexp, go.encoding.json),
        or a directory of them (go.compress); built on first use."""
        if parts[0] in _HOSTS or not all(_standard_element(part) for part in parts):
            return None
        from ..builder.toolchain import standard_packages  # Go is asked only for names found nowhere else

        packages = standard_packages()
        if packages is None:
            return None
        path = "/".join(parts)
        if path in packages:
            return Resolution(path, source="standard")
        if any(p.startswith(path + "/") for p in packages):
            return Resolution(None, source="namespace")
        return None

    def remember(self, package: types.ModuleType) -> None:
        """Learn the packages of a module the hook just imported (and maybe
        built), in whichever root it lies."""
        library = getattr(package, "_library", None)
        if library is not None:
            with self._lock:
                _learn(self._known, library.module, library.manifest.get("packages", []))

    @staticmethod
    def _is_owner_prefix(parts: list[str]) -> bool:
        host = _HOSTS.get(parts[0], parts[0].replace("_", "."))
        return len(parts) < _OWNER_HOSTS.get(host, 1) + 1


def candidates(parts: list[str]) -> list[str]:
    """Go paths whose Python name is go.<parts>, most likely first, at most
    MAX_CANDIDATES of them."""
    hosts = [_HOSTS[parts[0]]] if parts[0] in _HOSTS else [parts[0].replace("_", ".")]
    out = [f"{host}/{rest}" if rest else host for host in hosts for rest in _variants(parts[1:])]
    return out[:MAX_CANDIDATES]


def _variants(elements: list[str]) -> list[str]:
    """Ways to spell elements as a Go path: each `_` is `-`, `_` or `.`,
    the same choice throughout an element; dashes first (go-humanize)."""
    per_element = [_element_variants(e) for e in elements]
    joined = ["/".join(combo) for combo in itertools.product(*per_element)]
    return list(dict.fromkeys(joined))[:MAX_CANDIDATES]


def _element_variants(element: str) -> list[str]:
    """Spellings of one element. A leading `_` before a digit may be one the
    Python name added (github.com/99designs is go.github_com._99designs)."""
    stems = [element[1:], element] if element[:1] == "_" and element[1:2].isdigit() else [element]
    spellings = []
    for stem in stems:
        if "_" in stem:
            spellings += [stem.replace("_", "-"), stem, stem.replace("_", ".")]
        else:
            spellings.append(stem)
    return list(dict.fromkeys(spellings))


def _owners(name: str, named: list[tuple[str, T]]) -> list[tuple[str, T]]:
    """The (Python name, thing) pairs whose name is name or a prefix of it,
    keeping only the longest such names: a nested module owns its own
    packages."""
    owners = [(python, thing) for python, thing in named if name == python or name.startswith(python + ".")]
    longest = max((len(python) for python, _ in owners), default=0)
    return [(python, thing) for python, thing in owners if len(python) == longest]


def _one(name: str, candidates: list[tuple[str, T]], what: str, describe: Callable[[T], str]) -> T:
    """The one thing name stands for; several are an AmbiguousNameError,
    since `.`, `-` and `_` all become `_` in a Python name."""
    distinct = list({describe(thing): thing for _, thing in candidates}.items())
    if len(distinct) == 1:
        return distinct[0][1]
    listed = "\n  ".join(spelled for spelled, _ in distinct)
    raise AmbiguousNameError(
        f"{name} is ambiguous: it names {len(distinct)} {what}:\n  {listed}\n"
        'Choose one with an alias in [tool.usegolib.aliases] (e.g. `mymod = "<one of the Go paths>"`, '
        'then `import go.mymod`), or call usegolib.import_("<Go path>").',
        name=name,
    )


def _learn(known: dict[str, dict[str, None]], module: str, packages: list[dict[str, object]]) -> None:
    for path in (module, *(str(pkg["path"]) for pkg in packages)):
        known.setdefault(python_module_name(path), {})[path] = None


def _named(name: str, known: dict[str, dict[str, None]]) -> Resolution | None:
    """What name is among the Go paths learnt: one of them, a namespace
    above some, or nothing."""
    if name in known:
        go_path = _one(name, [(path, path) for path in known[name]], "Go paths in the artifact cache", str)
        return Resolution(go_path, source="cache")
    if any(other.startswith(name + ".") for other in known):
        return Resolution(None, source="namespace")
    return None


def _path_elements(directory: str, part: str) -> list[tuple[str, str]]:
    """The subdirectories of directory that are Go path elements (escaped
    on disk, docs/versioning.md) whose Python name is part, with the
    elements: not the dot names of the root (.tools, .locks), and not
    versions of an artifact."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    found = []
    for name in names:
        element = unescape_module_path(name)
        path = os.path.join(directory, name)
        if (
            python_element(element) == part
            and not name.startswith(".")
            and os.path.isdir(path)
            and not _is_version(path)
        ):
            found.append((name, element))
    return found


def _is_version(directory: str) -> bool:
    """Whether directory is a version of an artifact: it holds platform
    directories with manifests."""
    try:
        return any(os.path.isfile(os.path.join(directory, name, MANIFEST_FILE)) for name in os.listdir(directory))
    except OSError:
        return False


def _artifacts(directory: str, module: str, plat: Platform) -> list[dict[str, Any]]:
    """The manifests of module's artifacts for plat in directory (one per
    version), those that say they are what their place says (as usegolib
    cache ls counts them)."""
    found = []
    try:
        versions = available_versions(directory, plat)
    except OSError:
        return []
    for version in versions:
        try:
            manifest = read_manifest(os.path.join(directory, version, plat.tag))
        except LoadError:
            continue
        if manifest_identity(manifest) == (module, version, plat.tag):
            found.append(manifest)
    return found


def _holds_artifacts(directory: str, plat: str) -> bool:
    """Whether an artifact for plat lies anywhere below directory."""
    for dirpath, dirnames, filenames in os.walk(directory):
        if MANIFEST_FILE in filenames and os.path.basename(dirpath) == plat:
            return True
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
    return False


def _mappable(part: str) -> bool:
    """Whether part can be a path element's Python name (naming.python_element)."""
    return bool(part) and all(c == "_" or (c.isascii() and c.isalnum()) for c in part)


def _standard_element(part: str) -> bool:
    """Whether part can be an element of a standard library path: no dot, no dash."""
    return bool(part) and all(c.isascii() and (c.islower() or c.isdigit()) for c in part)


def _subdirectory(name: str, base: str, parts: list[str]) -> str | None:
    """The directory under base whose path elements spell parts."""
    directory = base
    for part in parts:
        matches = [
            (part, os.path.join(directory, entry))
            for entry in os.listdir(directory)
            if not entry.startswith((".", "_"))
            and python_element(entry) == part
            and os.path.isdir(os.path.join(directory, entry))
        ]
        if not matches:
            return None
        directory = _one(name, matches, "package directories", str)
    return directory


__all__ = ["MAX_CANDIDATES", "Resolution", "Resolver", "candidates"]
