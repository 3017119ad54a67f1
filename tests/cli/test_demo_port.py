"""The demo's port: the one asked for, or a clear message; by default 8000 or any free one."""

from __future__ import annotations

import os
import socket

import pytest

from mkdocs_intercom.devstack.demo import DemoError, choose_port
from tests.support.cli import run_cli


def test_a_taken_port_gets_a_clear_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            DemoError, match=f"port {port} is taken on 127.0.0.1: choose another with --port"
        ):
            choose_port(port)


@pytest.mark.parametrize("port", ["80800", "65536", "0", "-1"])
def test_a_port_out_of_range_gets_one_line_not_a_traceback(port: str) -> None:
    result = run_cli("demo", f"--port={port}")
    assert result.returncode == 2
    assert result.stderr == (
        f"mkdocs-intercom demo: port {port} is not a TCP port: choose one from 1 to 65535 with --port\n"
    )
    assert result.stdout == ""


def test_without_a_port_one_that_is_free_is_chosen() -> None:
    port = choose_port(None)
    assert 1 <= port <= 65535
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # raises OSError if the port chosen were not free
        assert probe.getsockname() == ("127.0.0.1", port)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may bind any port")
def test_a_port_reserved_for_root_says_so_not_taken() -> None:
    with pytest.raises(
        DemoError,
        match="port 80 is reserved for root on this machine: choose one from 1024 to 65535 with --port",
    ):
        choose_port(80)
