"""YAML events → plain data with the position of every key and value, built in one loop, no recursion.

The parser (libyaml's when PyYAML has it) gives the events; nothing of PyYAML's composer or
constructor runs. So here, and only here, are the rules of what a unit file may hold:

- nesting is at most MAX_DEPTH deep, and the data, aliases expanded, at most MAX_NODES nodes;
- an alias must name an anchor already complete (``x: &a [*a]`` is refused, not expanded forever),
  and an anchor is defined once;
- no tag (``!foo``, ``!!python/…``, ``!!int``, ``!``): nothing is ever made from a tag;
- no merge key ``<<`` (see docs/format.md: it overrides keys silently, and YAML 1.2 dropped it);
- keys are plain text, each once per mapping;
- one document.

Problems are collected; only the two limits stop the reading at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from generator.core.positions import pos_of_mark
from generator.core.problems import BudgetdocError, Problem, error
from generator.source.scalars import is_merge_key, plain_value, short

MAX_NODES = 200_000                      # nodes after alias expansion
MAX_DEPTH = 50                           # nested lists and mappings; a unit file needs 8
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
STANDARD_TAGS = "tag:yaml.org,2002:"
SKIPPED = "\0skipped"                    # the path step of a value that is read but kept nowhere


@dataclass
class Frame:
    """A list or mapping being read."""
    data: dict | list
    path: tuple
    anchor: str | None
    key: str | None = None               # a mapping's key waiting for its value
    keep: bool = True                    # False: that value is read and dropped (its key was refused)


@dataclass
class Anchor:
    data: object
    path: tuple
    mark: object
    values: tuple[int, int] = (0, 0)     # its entries in Builder.values / Builder.keys
    keys: tuple[int, int] = (0, 0)
    complete: bool = True


@dataclass
class Builder:
    name: str
    values: list = field(default_factory=list)      # (path, mark) of every value
    keys: list = field(default_factory=list)        # (path, mark) of every mapping key
    key_marks: dict = field(default_factory=dict)   # path -> mark of the keys read so far (not expanded)
    problems: list[Problem] = field(default_factory=list)
    anchors: dict = field(default_factory=dict)
    stack: list[Frame] = field(default_factory=list)
    root: object = None
    documents: int = 0
    count: int = 0
    skipped: int = 0

    def problem(self, mark, message: str, *related) -> None:
        self.problems.append(error(pos_of_mark(self.name, mark), message, *related))

    def run(self, events) -> None:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self.problem(event.start_mark, "文件中有第二个 YAML 文档（以“---”开始）：一个单位预算文件只能有一个文档，"
                                 "请删除这一行的“---”，或把后面的内容移到另一个文件")
                    return
            elif isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self.open(event)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                self.close()

    # where the next node goes ------------------------------------------------------------------

    def wants_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].data, dict) and self.stack[-1].key is None

    def place(self, value, mark) -> tuple:
        """Put a node that is not a key where it belongs; its path."""
        self.count += 1
        if self.count > MAX_NODES:
            raise BudgetdocError([error(pos_of_mark(self.name, mark), f"文件的节点（键、值和列表项）超过 {MAX_NODES} 个，"
                                        "单位预算文件不会这么大，已停止读取")])
        if not self.stack:
            self.root, path = value, ()
        else:
            frame = self.stack[-1]
            if isinstance(frame.data, list):
                path = frame.path + (len(frame.data),)
                frame.data.append(value)
            else:
                key, frame.key = frame.key, None
                if frame.keep:
                    path = frame.path + (key,)
                    frame.data[key] = value
                else:
                    self.skipped += 1
                    path = frame.path + ((SKIPPED, self.skipped),)
                    frame.keep = True
        self.values.append((path, mark))
        return path

    def take_key(self, text: str, mark, refused: str | None = None) -> None:
        """`text` is the key of the value that follows; `refused` says why it is not kept."""
        frame = self.stack[-1]
        assert isinstance(frame.data, dict)
        if refused:
            self.problem(mark, refused)
            frame.key, frame.keep = text, False
            return
        first = self.key_marks.get(frame.path + (text,)) if text in frame.data else None
        if first is not None:
            line = first.line + 1
            self.problem(mark, f"重复的键“{text}”：第{line}行已有同名的键，后一个会覆盖前一个，请删除或合并",
                         pos_of_mark(self.name, first))
            frame.key, frame.keep = text, False
            return
        frame.key, frame.keep = text, True
        self.keys.append((frame.path + (text,), mark))
        self.key_marks[frame.path + (text,)] = mark

    # nodes -------------------------------------------------------------------------------------

    def scalar(self, event) -> None:
        if event.tag is not None:
            self.problem(event.start_mark, tag_message(event.tag))
        plain = event.implicit[0] and event.tag is None
        if self.wants_key():
            merge = plain and is_merge_key(event.value)
            self.take_key(event.value, event.start_mark, MERGE_MESSAGE if merge else None)
            if event.anchor:
                self.define(event.anchor, event.value, (), event.start_mark)
            return
        value = plain_value(event.value) if plain else event.value
        path = self.place(value, event.start_mark)
        if isinstance(value, str) and BAD_CHARS.search(value):
            self.bad_character(value, path, event.start_mark)
        if event.anchor:
            self.define(event.anchor, value, path, event.start_mark, len(self.values) - 1)

    def bad_character(self, value: str, path: tuple, mark) -> None:
        found = BAD_CHARS.search(value)
        assert found is not None
        field_name = ".".join(str(p) for p in path) or "（顶层）"
        self.problem(mark, f"字段 {field_name} 含有 Word 文档无法保存的字符 U+{ord(found.group()):04X}（控制字符或孤立代理项），请删除")

    def open(self, event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise BudgetdocError([error(pos_of_mark(self.name, event.start_mark), DEPTH_MESSAGE)])
        if event.tag is not None:
            self.problem(event.start_mark, tag_message(event.tag))
        data: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
        if self.wants_key():           # a list or mapping as a key: read, kept nowhere, and so is its value
            self.take_key(f"<第{event.start_mark.line + 1}行>", event.start_mark, COMPLEX_KEY)
            self.skipped += 1
            path = self.stack[-1].path + ((SKIPPED, self.skipped),)
        else:
            path = self.place(data, event.start_mark)
        self.stack.append(Frame(data, path, event.anchor))
        if event.anchor:
            self.define(event.anchor, data, path, event.start_mark, len(self.values) - 1, complete=False)

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor and frame.anchor in self.anchors and self.anchors[frame.anchor].data is frame.data:
            anchor = self.anchors[frame.anchor]
            anchor.values = (anchor.values[0], len(self.values))
            anchor.keys = (anchor.keys[0], len(self.keys))
            anchor.complete = True

    def define(self, name: str, data, path: tuple, mark, first_value: int | None = None, complete: bool = True) -> None:
        if name in self.anchors:
            first = self.anchors[name].mark
            self.problem(mark, f"锚点“&{name}”重复定义：第{first.line + 1}行已定义过同名锚点，请改用另一个名字",
                         pos_of_mark(self.name, first))
        start = len(self.values) if first_value is None else first_value
        self.anchors[name] = Anchor(data, path, mark, (start, len(self.values)), (len(self.keys), len(self.keys)), complete)

    def alias(self, event) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None or not anchor.complete:
            message = (f"别名“*{event.anchor}”引用了未定义的锚点（应先用 &{event.anchor} 定义）" if anchor is None else
                       f"别名“*{event.anchor}”在锚点“&{event.anchor}”（第{anchor.mark.line + 1}行）自身之内，会无限展开，请删除")
            self.problem(event.start_mark, message)
            anchor = Anchor(None, (), event.start_mark)
        if self.wants_key():
            text = anchor.data if isinstance(anchor.data, str) else f"<第{event.start_mark.line + 1}行>"
            self.take_key(text, event.start_mark, None if isinstance(anchor.data, str) else COMPLEX_KEY)
            return
        self.expand(anchor, self.place(anchor.data, anchor.mark), event.start_mark)

    def expand(self, anchor: Anchor, path: tuple, mark) -> None:
        """Give the alias at `path` the positions of the anchored nodes (the value itself is shared)."""
        start, end = anchor.values
        key_start, key_end = anchor.keys
        self.count += max(end - start - 1, 0) + (key_end - key_start)
        if self.count > MAX_NODES:
            raise BudgetdocError([error(pos_of_mark(self.name, mark), f"别名（*引用）展开后节点超过 {MAX_NODES} 个，"
                                        "文件可能是恶意构造的，已停止读取")])
        cut = len(anchor.path)
        self.values += [(path + p[cut:], m) for p, m in self.values[start + 1:end]]
        self.keys += [(path + p[cut:], m) for p, m in self.keys[key_start:key_end]]


DEPTH_MESSAGE = f"列表和映射嵌套超过 {MAX_DEPTH} 层，单位预算文件不会这么深（可能是括号 [ 或 {{ 没有闭合），已停止读取"
COMPLEX_KEY = "键必须是简单的文字，不能是列表或映射"
MERGE_MESSAGE = ("不支持 YAML 合并键“<<”：它会悄悄覆盖同名的键，且 YAML 1.2 已不再支持；"
                 "请把要合并的键直接写出来（整个值相同时可用锚点 & 和别名 * 引用）")


def tag_message(tag: str) -> str:
    written = "!!" + tag[len(STANDARD_TAGS):] if tag.startswith(STANDARD_TAGS) else tag
    return (f"不支持 YAML 标签“{short(written)}”：单位文件和模板包文件中的值都不能带标签（! 或 !! 开头），请删除标签；"
            "要写成文字的值请加引号")
