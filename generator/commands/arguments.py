"""argparse in Chinese: its usage line, section titles, help option and error messages.

argparse writes its own words in English ("usage:", "the following arguments are required"). The
parser below says them in Chinese; an error it does not know keeps argparse's words after a
Chinese lead, so that nothing is lost.
"""
from __future__ import annotations

import argparse
import os
import re
import sys

MAX_NAME_BYTES, MAX_PATH_BYTES = 255, 4096        # what Linux, macOS and Windows file systems can name


def path_argument(text: str) -> str:
    """A path given on the command line: one the file system can name (a part of at most 255 bytes, at
    most 4096 in all), so that asking whether it exists cannot fail with "File name too long"."""
    raw = os.fsencode(text)
    longest = max((len(part) for part in re.split(rb"[/\\]", raw)), default=0)
    if longest > MAX_NAME_BYTES or len(raw) >= MAX_PATH_BYTES:
        raise argparse.ArgumentTypeError(f"路径过长：文件或文件夹名最多 {MAX_NAME_BYTES} 字节（这里最长的有 {longest} 字节），"
                                         f"整个路径不到 {MAX_PATH_BYTES} 字节（这里有 {len(raw)} 字节）")
    return text


ERRORS = (
    (r"argument (.+?): (路径过长：.+)", "参数 {0} 的{1}"),
    (r"the following arguments are required: (.+)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0} 的值 {1} 无效，可选：{2}"),
    (r"argument (.+?): expected one argument", "参数 {0} 后面需要一个值"),
    (r"argument (.+?): expected at most one argument", "参数 {0} 后面最多一个值"),
    (r"argument (.+?): expected at least one argument", "参数 {0} 后面至少需要一个值"),
    (r"argument (.+?): invalid int value: (.+)", "参数 {0} 应为整数，收到 {1}"),
    (r"argument (.+?): invalid (.+?) value: (.+)", "参数 {0} 的值 {2} 无效"),
    (r"argument (.+?): ignored explicit argument (.+)", "参数 {0} 不接受值 {1}"),
    (r"argument (.+?): not allowed with argument (.+)", "参数 {0} 不能与 {1} 同时使用"),
    (r"ambiguous option: (.+?) could match (.+)", "选项 {0} 不明确，可能是：{1}"),
)


def chinese_error(message: str) -> str:
    for pattern, words in ERRORS:
        found = re.fullmatch(pattern, message, re.S)
        if found:
            return words.format(*found.groups())
    return f"命令行参数有误：{message}"


class Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese; its sub-command parsers are of this class too."""

    def __init__(self, *args, **kwargs):
        kwargs["formatter_class"] = Formatter
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{chinese_error(message)}\n")
