"""Environment variables for running docfetch against the fake web, isolated from the machine."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

#: Variables that would send a client elsewhere or make it trust other CAs; removed first.
NETWORK_VARIABLES = (
    *(name for base in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY") for name in (base, base.lower())),
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)


def clean_env(
    proxy_url: str, ca_path: str | Path, tmp: str | Path, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``base`` (default ``os.environ``) without proxy, CA and ``DOCFETCH_*`` variables, then
    pointed at ``proxy_url`` and ``ca_path``, with cache and config under ``tmp``."""
    tmp = Path(tmp)
    env = {
        k: v
        for k, v in (os.environ if base is None else base).items()
        if k not in NETWORK_VARIABLES and not k.startswith("DOCFETCH_")
    }
    for sub in ("docfetch-cache", "xdg-config", "xdg-cache"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    env.update(
        HTTPS_PROXY=proxy_url,
        HTTP_PROXY=proxy_url,
        NO_PROXY="",
        REQUESTS_CA_BUNDLE=str(ca_path),
        DOCFETCH_CACHE_DIR=str(tmp / "docfetch-cache"),
        DOCFETCH_CONFIG=str(tmp / "no-such-config.toml"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"),
    )
    return env
