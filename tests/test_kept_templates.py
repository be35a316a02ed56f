"""A pack's templates, compiled once and kept in the cache folder (Jinja2's bytecode cache): a later
process renders them without compiling, and never renders an old version of a template."""
from __future__ import annotations

import jinja2
import pytest

from generator.core.money import MoneyFormat
from generator.pack import loading


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """make_env as a new process finds it, with the cache folder in tmp_path/cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    loading.kept_templates.cache_clear()
    yield tmp_path
    loading.kept_templates.cache_clear()


def rendered(folder, name="t.j2", **values) -> str:
    return loading.make_env(folder, MoneyFormat()).get_template(name).render(**values)


def kept_files(tmp_path):
    return sorted((tmp_path / "cache" / "budgetdoc").glob("templates-*/*.cache"))


def test_a_later_process_renders_the_kept_template_without_compiling_it(fresh, monkeypatch):
    (fresh / "t.j2").write_text("@paragraph 合计{{ total }}万元\n", encoding="utf-8")
    assert rendered(fresh, total=3) == "@paragraph 合计3万元\n"
    [kept] = kept_files(fresh)
    loading.kept_templates.cache_clear()

    def not_again(*args, **kwargs):
        raise AssertionError("the kept template was compiled again")
    monkeypatch.setattr(jinja2.Environment, "compile", not_again)
    assert rendered(fresh, total=4) == "@paragraph 合计4万元\n" and kept_files(fresh) == [kept]


def test_a_changed_template_is_compiled_again_never_rendered_as_it_was(fresh):
    template = fresh / "t.j2"
    template.write_text("比上年增加{{ n }}万元\n", encoding="utf-8")
    assert rendered(fresh, n=1) == "比上年增加1万元\n"
    template.write_text("比上年减少{{ n }}万元\n", encoding="utf-8")
    loading.kept_templates.cache_clear()
    assert rendered(fresh, n=1) == "比上年减少1万元\n"


@pytest.mark.parametrize("damage", ["cut short", "not a pickle", "a broken pickle"])
def test_a_damaged_kept_template_is_compiled_again(fresh, damage):
    (fresh / "t.j2").write_text("{{ 1 + 1 }}\n", encoding="utf-8")
    rendered(fresh)
    [kept] = kept_files(fresh)
    good, magic = kept.read_bytes(), jinja2.bccache.bc_magic
    kept.write_bytes({"cut short": good[: len(good) // 2], "not a pickle": magic + b"j2\x00garbage",
                      "a broken pickle": magic + b"\x80\x04\x95not a pickle at all"}[damage])
    loading.kept_templates.cache_clear()
    assert rendered(fresh) == "2\n" and kept.read_bytes() == good


def test_the_sandbox_still_holds_for_a_kept_template(fresh):
    """The kept code is the sandbox's: it still calls the environment for the operators it watches."""
    (fresh / "t.j2").write_text("{{ 'x' * 10 ** 9 }}\n", encoding="utf-8")
    for _ in range(2):
        loading.kept_templates.cache_clear()
        with pytest.raises(OverflowError):
            rendered(fresh)


def test_without_a_cache_folder_templates_are_compiled_and_nothing_is_kept(fresh, monkeypatch):
    monkeypatch.chdir(fresh)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", "relative")
    (fresh / "t.j2").write_text("{{ 2 }}\n", encoding="utf-8")
    assert rendered(fresh) == "2\n" and sorted(p.name for p in fresh.iterdir()) == ["t.j2"]


def test_an_unwritable_cache_folder_only_costs_the_compiling(fresh):
    (fresh / "cache").write_text("a file where the folder would be", encoding="utf-8")
    (fresh / "t.j2").write_text("{{ 3 }}\n", encoding="utf-8")
    assert rendered(fresh) == "3\n"


def pack_copy(tmp_path):
    import shutil
    folder = tmp_path / "pack"
    shutil.copytree(loading.pack_folder("shanxi-datong"), folder)
    return folder


def test_a_pack_file_found_sound_is_not_validated_again_and_a_changed_one_is(fresh, monkeypatch):
    """The schema's verdict on a sound pack file is kept by its data: a later process skips jsonschema
    for the same data, and validates data that changed, reporting what is wrong with it."""
    folder = pack_copy(fresh)
    assert loading.read_pack_files(folder)[1] == []
    assert len(list((fresh / "cache" / "budgetdoc").glob("pack-sound-*"))) == len(loading.YAML_FILES)
    validated = []
    real = loading.pack_validator
    monkeypatch.setattr(loading, "pack_validator", lambda definition: validated.append(definition) or real(definition))
    assert loading.read_pack_files(folder)[1] == [] and validated == []
    marks = sorted((fresh / "cache" / "budgetdoc").glob("pack-sound-*"))
    marks[0].write_bytes(b"damaged")                            # a mark that is not one: validated again
    assert loading.read_pack_files(folder)[1] == [] and len(validated) == 1
    glossary = folder / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "extra: 1\n", encoding="utf-8")
    problems = loading.read_pack_files(folder)[1]
    assert validated[1:] == [loading.YAML_FILES["glossary.yaml"]] and problems
    assert "extra" in problems[0].format()
    assert loading.read_pack_files(folder)[1] == problems        # never kept as sound
