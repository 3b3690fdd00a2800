"""The peer of ``docfetch URL``: a plain stdlib script that fetches one URL and writes its bytes.

``python urllib_get.py URL [--cafile PEM]``: proxies come from the environment as urllib
does it (``HTTPS_PROXY``...), redirects are followed by urllib, a gzip body (the RFC Editor
forces it) is decoded, and the bytes go to stdout. No retries, no validation, no cache: the
least a script can do and still print the right document.
"""

from __future__ import annotations

import gzip
import ssl
import sys
import urllib.request


def main(argv: list[str]) -> int:
    """Fetch ``argv[0]`` and write the decoded body to stdout."""
    url = argv[0]
    cafile = argv[argv.index("--cafile") + 1] if "--cafile" in argv else None
    context = ssl.create_default_context(cafile=cafile) if cafile else None
    with urllib.request.urlopen(url, timeout=30, context=context) as response:
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
    sys.stdout.buffer.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
