"""LibreOffice profiles that start as quickly as a used one.

Every LibreOffice that budgetdoc runs gets a private profile folder, new each time. On a new profile
LibreOffice's first start registers its bundled extensions and checks their compatibility, which
costs about 0.6 s of CPU more than a start on a used profile (measured on LibreOffice 7.4: 1.95 s
against 1.35 s). And a profile that does not say which version last started on it makes each start
the first after an upgrade, which runs LibreOffice's graphics render tests (0.6–0.9 s of CPU, most of
it the system's time for their bitmaps). So once a LibreOffice has started, what that first start
made is kept: its extensions' registry (``user/extensions``), the two settings that say which build
made it and that its setup is complete (KEPT_SETTINGS), and the version that started on it
(LAST_VERSION; LibreOffice writes it only with a window: the UNO helper has it written, mark_started
in libreoffice_uno.py, and a profile of `soffice --convert-to` is kept without it). It is kept in the
user's cache folder, one copy per LibreOffice installation and version, and every new profile starts
from it (measured: a start then takes 0.25 s of CPU). Nothing of a document goes into it: it is
taken from a profile that has just started, or that only converted documents, and only those parts.

All of it is an optimisation: a cache folder that cannot be read or written, or a LibreOffice that
writes its settings otherwise, gives a new profile as before, never an error.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from generator.core.kept import kept_path

EXTENSIONS = Path("user") / "extensions"
SETTINGS = Path("user") / "registrymodifications.xcu"
KEPT_SETTINGS = ("LastCompatibilityCheckID", "ooSetupInstCompleted")
LAST_VERSION = "ooSetupLastVersion"     # kept too when the profile has it
SETTINGS_ITEM = re.compile(r'<item oor:path="[^"]*"><prop oor:name="([^"]+)"[^>]*>.*?</item>', re.S)


def template_for(soffice: str) -> Path | None:
    """The kept start of the LibreOffice that `soffice` runs: one per installation folder and version
    (its program/versionrc), so that an upgrade starts a new one, and per what is kept of it (a start
    kept of other settings is not this one). None without a cache folder."""
    program = Path(os.path.realpath(soffice)).parent
    try:
        version = (program / "versionrc").read_bytes()
    except OSError:
        version = b""
    return kept_path("libreoffice-profile", repr((os.fsencode(program), version, KEPT_SETTINGS, LAST_VERSION)), "")


def seed(profile: Path, soffice: str) -> bool:
    """Put the kept start of `soffice`'s LibreOffice into the new, empty `profile`; False when there is
    none yet (or it cannot be read: the profile is then left as it was)."""
    template = template_for(soffice)
    if template is None or not (template / SETTINGS).is_file():
        return False
    try:
        shutil.copytree(template / "user", profile / "user", dirs_exist_ok=True)
    except OSError:
        shutil.rmtree(profile / "user", ignore_errors=True)
        return False
    return True


def keep(profile: Path, soffice: str) -> None:
    """Keep the start that LibreOffice made on `profile` (it has started on it) for the profiles after
    it, unless one is kept already: its extensions' registry and KEPT_SETTINGS, written beside the
    cache folder's copy and renamed into place, so that a reader never sees half of one."""
    template = template_for(soffice)
    if template is None or template.exists():
        return
    staging = template.with_name(f".{template.name}-{os.getpid()}")
    try:
        settings = kept_settings((profile / SETTINGS).read_text(encoding="utf-8"))
        if settings is None or not (profile / EXTENSIONS).is_dir():
            return
        shutil.copytree(profile / EXTENSIONS, staging / EXTENSIONS)
        (staging / SETTINGS).write_text(settings, encoding="utf-8")
        os.rename(staging, template)
    except (OSError, UnicodeDecodeError):
        pass                                # another run kept one first, or the cache cannot be written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def kept_settings(text: str) -> str | None:
    """The settings file `text` with only the items of KEPT_SETTINGS and LAST_VERSION's, if it has
    one; None unless it has each of KEPT_SETTINGS."""
    items = {m.group(1): m.group(0) for m in SETTINGS_ITEM.finditer(text)}
    if not all(name in items for name in KEPT_SETTINGS) or "<oor:items" not in text:
        return None
    head = text[:text.index(">", text.index("<oor:items")) + 1]
    names = [name for name in (*KEPT_SETTINGS, LAST_VERSION) if name in items]
    return head + "\n" + "".join(items[name] + "\n" for name in names) + "</oor:items>\n"
