"""This process's LibreOffice (a LayoutServer), kept for all the units it builds.

Apart from units.py, which uses it, so that a worker starts its LibreOffice before importing the
pipeline (start_worker): LibreOffice's start-up then overlaps that import, instead of the first unit
waiting for it.
"""
from __future__ import annotations

from generator import libreoffice
from generator.build.outcome import BuildOptions

# This process's LibreOffice: started by the first unit that needs it, kept for the units after it,
# ended by close_layout_server (batch.py: at the end of the build, and as each worker process exits).
SERVERS: dict[str, libreoffice.LayoutServer] = {}


def process_layout_server(soffice: str) -> libreoffice.LayoutServer:
    if soffice not in SERVERS:
        SERVERS[soffice] = libreoffice.LayoutServer(soffice)
    return SERVERS[soffice]


def start_layout_server(options: BuildOptions) -> None:
    """Start this process's LibreOffice ahead of its first unit, when the build will need it."""
    soffice = libreoffice.find_soffice() if options.pdf or options.toc_pages else None
    if soffice and libreoffice.uno_python():
        server = process_layout_server(soffice)
        if server.process is None:
            server.launch()


def close_layout_server() -> None:
    """End this process's LibreOffice, if it started one (its processes and its profile)."""
    while SERVERS:
        SERVERS.popitem()[1].close()
