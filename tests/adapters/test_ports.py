"""free_port draws a port only an explicit bind can take."""

from __future__ import annotations

import socket
from pathlib import Path

from accord.adapters.ports import LOOPBACK, ephemeral_low, free_port


def test_a_free_port_lies_below_the_ephemeral_range_so_no_connection_takes_it_first() -> None:
    low = ephemeral_low()
    ports = {free_port() for _ in range(20)}
    assert all(1024 <= p < low for p in ports) and len(ports) > 1
    for port in ports:  # each still free to bind
        with socket.socket() as s:
            s.bind((LOOPBACK, port))


def test_the_range_is_read_from_the_kernel_and_defaults_where_it_cannot_be(tmp_path: Path) -> None:
    table = tmp_path / "ip_local_port_range"
    table.write_text("40000\t60999\n")
    assert ephemeral_low(table) == 40000
    table.write_text("garbage")
    assert ephemeral_low(table) == 32768
    assert ephemeral_low(tmp_path / "absent") == 32768
