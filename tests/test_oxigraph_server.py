"""A real Oxigraph server (`oxigraph serve`): the shipped data loaded over HTTP, the read
commands run with --endpoint, answers equal to the embedded store's."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from test_backends import OPTIONAL_COMMANDS, READ_COMMANDS, available, normalize  # noqa: I001

IN_CI = os.environ.get("CI") == "true"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_command():
    found = shutil.which("oxigraph")
    if not found:
        if IN_CI:
            pytest.fail("the oxigraph server (pip install oxigraph) is required in CI")
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from alliances.store.paths import ontology_path, shipped_data_files

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([oxigraph_command(), "serve", "--location", str(tmp_path_factory.mktemp("oxs")),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph did not start: {proc.stderr.read(500)!r}") from None
                time.sleep(0.1)
        for path in [ontology_path(), *shipped_data_files()]:
            request = urllib.request.Request(f"{base}/store?default", data=path.read_bytes(), method="POST",
                                             headers={"Content-Type": "text/turtle"})
            urllib.request.urlopen(request, timeout=30).read()
        yield f"{base}/query"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.mark.parametrize("args", [c for c in READ_COMMANDS + available(OPTIONAL_COMMANDS)
                                  if "{tmp}" not in " ".join(c)] + [["query", "chip-suppliers"]],
                         ids=lambda a: " ".join(a)[:60])
def test_endpoint_answers_equal_memory(cli, server, args):
    memory = cli(*args)
    remote = cli("--endpoint", server, *args)
    assert remote.exit_code == memory.exit_code, remote.stderr
    assert normalize(args, remote.stdout) == normalize(args, memory.stdout)


def test_gate_refuses_before_sending(cli):
    # nothing listens on port 9 of this address: a refusal proves nothing was sent
    for text in ["SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "DELETE WHERE { ?s ?p ?o }",
                 "SELECT * FROM <http://x/> WHERE { ?s ?p ?o }"]:
        result = cli("--endpoint", "http://127.0.0.1:9/sparql", "query", text)
        assert result.exit_code == 2 and "refused" in result.stderr


def test_endpoint_errors_are_one_line(cli, server):
    result = cli("--endpoint", server.replace("/query", "/nowhere"), "stats")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: endpoint http://127.0.0.1:") and "HTTP 404" in result.stderr
    down = cli("--endpoint", "http://127.0.0.1:9/sparql", "stats")
    assert down.exit_code == 2 and "endpoint http://127.0.0.1:9/sparql" in down.stderr
