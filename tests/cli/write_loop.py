"""A crash in the middle of writes: `kill -9` the server while candidates write, restart, and
check that every acknowledged write is there and every hash chain holds."""

from __future__ import annotations

import threading

import requests

from tests.cli.servers import Served, api_session, plateau, wait_until

WRITERS = 3
ACKNOWLEDGED_BEFORE_KILL = 30


def kill_during_write_loop(env: dict, *serve_args: str) -> None:
    """Serve, write order lines from several threads, SIGKILL, restart, check, stop."""
    server = Served(env, *serve_args)
    acknowledged: list[int] = []
    stop = threading.Event()
    try:
        api = api_session(server.url, "candidat1")
        base = server.url + "/api/v1"
        client_id = api.get(base + "/clients?limit=1", timeout=30).json()["items"][0]["id"]
        order_id = api.post(base + "/orders", json={"client_id": client_id}, timeout=30).json()[
            "id"
        ]
        products = [
            p["id"] for p in api.get(base + "/products?limit=40", timeout=30).json()["items"]
        ]

        def write(offset: int) -> None:
            n = offset
            while not stop.is_set():
                body = {"product_id": products[n % len(products)], "quantity": 1, "backorder": True}
                try:
                    answer = api.post(f"{base}/orders/{order_id}/lines", json=body, timeout=30)
                except requests.RequestException:
                    return  # the server is gone: this write was never acknowledged
                if answer.status_code == 201:
                    acknowledged.append(answer.json()["line"]["id"])
                n += WRITERS

        threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        assert wait_until(lambda: len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL, timeout=120)
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(60)
    finally:
        stop.set()
        server.close()
    restarted = Served(env, *serve_args)
    try:
        api = api_session(restarted.url, "candidat1")
        order = api.get(f"{restarted.url}/api/v1/orders/{order_id}", timeout=30).json()
        assert set(acknowledged) <= {line["id"] for line in order["lines"]}
    finally:
        output = restarted.stop()
        restarted.close()
    assert restarted.process.returncode == 0, output
    verified = plateau(env, "log", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
