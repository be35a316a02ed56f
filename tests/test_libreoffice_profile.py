"""The start of a LibreOffice profile, kept for the next ones (generator/libreoffice_profile.py): what a
first start made is kept once, per installation and version, and nothing else; a new profile starts
from it; a cache that cannot be used changes nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_render import require_tools, require_uno

from generator import libreoffice_profile
from generator.core import places
from generator.libreoffice import LayoutServer, find_soffice
from generator.libreoffice_profile import EXTENSIONS, SETTINGS, keep, kept_settings, seed, template_for

# registrymodifications.xcu as LibreOffice 7.4 has written it when it is ready for its first document
STARTED = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseSystemFileDialog" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="LastCompatibilityCheckID" oor:op="fuse"><value>40(Build:2)</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="OfficeRestartInProgress" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "budgetdoc"


def fake_install(folder: Path, version: str) -> str:
    """A LibreOffice installation folder: program/soffice and its versionrc."""
    (folder / "program").mkdir(parents=True)
    (folder / "program" / "versionrc").write_text(f"[Version]\nbuildid={version}\n")
    soffice = folder / "program" / "soffice"
    soffice.write_text("")
    return str(soffice)


def started_profile(folder: Path, settings: str = STARTED) -> Path:
    """A profile as LibreOffice leaves it started: its extensions' registry, settings, and more."""
    (folder / EXTENSIONS / "bundled").mkdir(parents=True)
    (folder / EXTENSIONS / "bundled" / "lastsynchronized").write_text("1")
    (folder / SETTINGS).write_text(settings, encoding="utf-8")
    (folder / "user" / "Scripts" / "python").mkdir(parents=True)
    (folder / "user" / "Scripts" / "python" / "budgetdoc_layout.py").write_text("# the layout script\n")
    (folder / "user" / "backup").mkdir()
    return folder


def test_only_the_two_settings_of_the_start_are_kept():
    kept = kept_settings(STARTED)
    assert kept is not None and kept.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor=')
    assert [line.split('oor:name="')[1].split('"')[0] for line in kept.splitlines() if line.startswith("<item")] == [
        "LastCompatibilityCheckID", "ooSetupInstCompleted"]
    assert kept.endswith("</oor:items>\n") and "OfficeRestartInProgress" not in kept and "ooLocale" not in kept


# the item that the UNO helper has LibreOffice write once it has started (libreoffice_uno.mark_started)
LAST_VERSION_ITEM = ('<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
                     'oor:op="fuse"><value>7.4</value></prop></item>')


def test_the_version_that_started_on_a_profile_is_kept_with_them_when_it_has_one():
    kept = kept_settings(STARTED.replace("</oor:items>", LAST_VERSION_ITEM + "\n</oor:items>"))
    assert kept is not None
    assert [line for line in kept.splitlines() if line.startswith("<item")][-1] == LAST_VERSION_ITEM
    assert kept.count("<item") == 3
    assert kept_settings(STARTED.replace("</oor:items>", LAST_VERSION_ITEM + "\n</oor:items>")
                         .replace("ooSetupInstCompleted", "Other")) is None       # not without the other two


def test_a_start_kept_before_the_version_was_kept_is_not_taken_for_one_that_has_it(tmp_path, cache, monkeypatch):
    """The kept start's name depends on what is kept, so that one kept without the version (by an
    older budgetdoc) is not seeded for ever: the next start keeps a new one."""
    soffice = fake_install(tmp_path / "lo", "40(Build:2)")
    now = template_for(soffice)
    monkeypatch.setattr(libreoffice_profile, "LAST_VERSION", "Other")
    assert template_for(soffice) != now


def test_settings_without_either_of_them_are_not_kept():
    assert kept_settings(STARTED.replace("ooSetupInstCompleted", "Other")) is None
    assert kept_settings(STARTED.replace("LastCompatibilityCheckID", "Other")) is None
    assert kept_settings("not a settings file") is None


def test_a_started_profile_is_kept_once_and_a_new_one_starts_from_it(tmp_path, cache):
    soffice = fake_install(tmp_path / "lo", "40(Build:2)")
    assert not seed(tmp_path / "new", soffice)                       # none kept yet
    keep(started_profile(tmp_path / "first"), soffice)
    template = template_for(soffice)
    assert template.parent == cache
    assert sorted(str(p.relative_to(template)) for p in template.rglob("*")) == [
        "user", "user/extensions", "user/extensions/bundled", "user/extensions/bundled/lastsynchronized",
        "user/registrymodifications.xcu"]
    keep(started_profile(tmp_path / "second", STARTED.replace("40(Build:2)", "other")), soffice)   # kept once
    assert (template / SETTINGS).read_text() == kept_settings(STARTED)
    new = tmp_path / "new"
    new.mkdir()
    assert seed(new, soffice)
    assert (new / SETTINGS).read_text() == kept_settings(STARTED)
    assert (new / EXTENSIONS / "bundled" / "lastsynchronized").read_text() == "1"
    assert list(cache.iterdir()) == [template]                       # no staging folder left


def test_each_installation_and_version_has_its_own(tmp_path, cache):
    first, other_folder = fake_install(tmp_path / "a", "40(Build:2)"), fake_install(tmp_path / "b", "40(Build:2)")
    assert template_for(first) != template_for(other_folder)
    before = template_for(first)
    (tmp_path / "a" / "program" / "versionrc").write_text("[Version]\nbuildid=41(Build:1)\n")
    assert template_for(first) != before


def test_a_cache_that_cannot_be_written_or_read_changes_nothing(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    soffice = fake_install(tmp_path / "lo", "40(Build:2)")
    keep(started_profile(tmp_path / "first"), soffice)
    new = tmp_path / "new"
    new.mkdir()
    assert not seed(new, soffice) and list(new.iterdir()) == []


def test_a_relative_cache_folder_is_ignored_and_nothing_is_written_here(tmp_path, monkeypatch):
    """XDG_CACHE_HOME relative (the XDG rule: ignored) and no home folder: no cache, and nothing is
    written into the current folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    assert places.cache_folder() is not None          # the home folder's .cache instead
    monkeypatch.setenv("HOME", "relative-home")
    assert places.cache_folder() is None
    soffice = fake_install(tmp_path / "lo", "40(Build:2)")
    keep(started_profile(tmp_path / "first"), soffice)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first", "lo"]
    assert not seed(tmp_path / "first", soffice)


def test_a_profile_that_did_not_start_is_not_kept(tmp_path, cache):
    soffice = fake_install(tmp_path / "lo", "40(Build:2)")
    keep(tmp_path / "empty", soffice)                                # no settings, no registry
    keep(started_profile(tmp_path / "half", STARTED.replace("ooSetupInstCompleted", "Other")), soffice)
    assert not cache.exists()


def test_libreoffice_keeps_its_start_and_the_next_starts_from_it_with_the_same_layout(tmp_path, cache, monkeypatch):
    """A real LibreOffice: the first server keeps its start, the second's profile starts from it before
    LibreOffice runs, and both lay the same document out alike."""
    require_tools()
    require_uno()
    from test_render import small_document

    from generator.docx.writer import write_docx
    source = tmp_path / "small.docx"
    write_docx(small_document(), source)
    soffice = find_soffice()
    assert soffice is not None
    seeded: list[bool] = []

    def recorded_seed(profile: Path, soffice: str) -> bool:
        seeded.append(seed(profile, soffice))
        return seeded[-1]
    monkeypatch.setattr(libreoffice_profile, "seed", recorded_seed)
    pages = []
    for _ in range(2):
        server = LayoutServer(soffice)
        try:
            pages.append(server.lay_out(source))
        finally:
            server.close()
    assert seeded == [False, True] and pages[0] == pages[1] and pages[0]
    template = template_for(soffice)
    settings = (template / SETTINGS).read_text()
    assert (template / EXTENSIONS).is_dir() and settings.count("<item") == 3
    # the version that started on it, so that a start on it is not the first after an upgrade (which
    # runs LibreOffice's graphics render tests)
    assert re.search(r'<prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>\d+\.\d+</value>', settings)
