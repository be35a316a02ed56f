"""The command line. `main` is its entry point (`budgetdoc`, `python -m generator`): it imports the
commands only when called, so that an incomplete installation is told as such, not as a traceback."""
from __future__ import annotations

import sys

from generator.core.problems import Exit


def main(argv: list[str] | None = None) -> int:
    try:
        from generator.commands import cli
        return cli.main(argv)
    except ImportError as exc:          # here or in any stage: a package budgetdoc needs is missing or broken
        print(broken_install(exc), file=sys.stderr)
        return int(Exit.INSTALL)


def broken_install(exc: ImportError) -> str:
    """What to tell the user when a module cannot be imported."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        what = f"找不到所需的 Python 模块“{exc.name}”"
    else:                               # there but broken: a library of its own missing, a version that does not match
        what = (f"无法导入 Python 模块“{exc.name}”" if exc.name else "无法导入所需的 Python 模块") + f"（{exc}）"
    return (f"budgetdoc: 错误：安装不完整：{what}。请重新安装 budgetdoc 及其依赖"
            "（在源码目录中运行 pip install -e .，或 pip install --force-reinstall budgetdoc）")
