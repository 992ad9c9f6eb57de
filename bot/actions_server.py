"""The action server, listening on loopback unless told otherwise.

    python -m bot.actions_server --port 5055 --actions actions    # 127.0.0.1:5055

rasa-sdk 3.6's `rasa run actions` has no option for the address and listens on every
interface (0.0.0.0): anyone who can reach the machine could call the actions with a tracker
they make up. This is rasa-sdk's own server (rasa_sdk.endpoint, same arguments as
`rasa run actions`) with the address chosen here:

- `--interface ADDRESS`, else the environment variable HUIQI_ACTIONS_HOST, else 127.0.0.1;
- when replicas on other hosts must reach it (bind a private address, never 0.0.0.0 on a public
  one), HUIQI_ACTIONS_ALLOW="10.0.0.2,10.0.0.3" answers only those client addresses (list
  127.0.0.1 too if a Rasa server on this host calls it): every other caller gets HTTP 403
  before any action runs.
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys

DEFAULT_HOST = "127.0.0.1"


def host_from(interface: str | None) -> str:
    return interface or os.environ.get("HUIQI_ACTIONS_HOST") or DEFAULT_HOST


def allowed_clients(spec: str | None) -> set[str] | None:
    """The client addresses HUIQI_ACTIONS_ALLOW names (None: no restriction beyond the address
    bound). Each must be an IP address."""
    if not spec or not spec.strip():
        return None
    out = set()
    for part in spec.replace(",", " ").split():
        out.add(str(ipaddress.ip_address(part)))  # ValueError names a bad entry
    return out


def restrict(app, allow: set[str]) -> None:
    from sanic import response

    async def only_allowed(request):
        if request.ip not in allow:
            return response.json({"error": "forbidden"}, status=403)
        return None

    app.register_middleware(only_allowed, "request")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--interface", "-i", default=None)
    ours, rest = own.parse_known_args(argv)
    host = host_from(ours.interface)
    try:
        ip = ipaddress.ip_address(host)  # an address, not a name: what is bound is what was asked for
        allow = allowed_clients(os.environ.get("HUIQI_ACTIONS_ALLOW"))
        if ip.is_unspecified and not allow:
            raise ValueError(f"{host} listens on every interface: name the replicas allowed to call it in HUIQI_ACTIONS_ALLOW")
    except ValueError as e:
        sys.exit(f"bot.actions_server: {e} (HUIQI_ACTIONS_HOST / --interface and HUIQI_ACTIONS_ALLOW take IP addresses)")

    from bot.preflight import check_rules, run_or_exit
    run_or_exit(check_rules)  # broken rule tables: refuse to start, with the reasons

    import rasa_sdk.endpoint as endpoint
    from rasa_sdk.__main__ import main_from_args

    # rasa_sdk.endpoint.run reads the address from SANIC_HOST (default 0.0.0.0) and nothing else.
    os.environ["SANIC_HOST"] = host
    from bot.tuning import freeze_after_start
    create = endpoint.create_app

    def create_app(*args, **kwargs):
        app = create(*args, **kwargs)
        if allow is not None:
            restrict(app, allow)
        freeze_after_start(app)  # the loaded actions and rule tables out of the collector's way
        return app

    endpoint.create_app = create_app
    main_from_args(endpoint.create_argument_parser().parse_args(rest))


if __name__ == "__main__":
    main()
