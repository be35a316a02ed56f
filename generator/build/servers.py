"""This process's LibreOffice (a LayoutServer), kept for all the units it builds.

Apart from units.py, which uses it, so that LibreOffice starts before the pipeline is imported and
its start-up overlaps that import (and the first unit's preparation) instead of following it. A
parallel build launches its workers' LibreOffices itself, before it prepares the pipeline for them
(launch_layout_servers); each worker, forked after that, adopts one (adopt_layout_server).
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


def layout_soffice(options: BuildOptions) -> str | None:
    """The soffice that this build's units are laid out with over UNO, or None when they are not."""
    soffice = libreoffice.find_soffice() if options.pdf or options.toc_pages else None
    return soffice if soffice and libreoffice.uno_python() else None


def start_layout_server(options: BuildOptions) -> None:
    """Start this process's LibreOffice ahead of its first unit, when the build will need it."""
    soffice = layout_soffice(options)
    if soffice:
        server = process_layout_server(soffice)
        if server.process is None:
            server.launch()


def launch_layout_servers(options: BuildOptions, count: int) -> list[libreoffice.LayoutServer]:
    """Launch `count` LibreOffices (none when the build needs none) for workers not forked yet."""
    soffice = layout_soffice(options)
    launched = [libreoffice.LayoutServer(soffice) for _ in range(count)] if soffice else []
    for server in launched:
        server.launch()
    return launched


def adopt_layout_server(launched: list[libreoffice.LayoutServer], index: int) -> None:
    """In a worker forked after launch_layout_servers: make launched[index] this process's LibreOffice,
    and let go of the others' pipes (so that each helper sees its input end with its one user)."""
    for number, server in enumerate(launched):
        if number == index and server.has_pipes():
            SERVERS[server.soffice] = server
        else:                           # another worker's, or let go by the build before this worker was forked
            server.let_go()


def close_layout_server() -> None:
    """End this process's LibreOffice, if it started or adopted one (its processes and its profile)."""
    while SERVERS:
        SERVERS.popitem()[1].close()
