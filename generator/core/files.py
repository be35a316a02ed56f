"""Reading a file the program was pointed at, whatever it turns out to be.

A unit file, a cache file or a pack file is a regular file of bounded size. Anything else — a
folder, a named pipe (FIFO: opening it for reading waits for a writer forever), a device such as
/dev/zero (endless) or /dev/urandom, a socket — is refused before a byte is read, and a regular file
is read up to its limit and no further. Errors of the system are worded in Chinese here, once.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_UNIT_FILE_BYTES = 2 * 1024 * 1024    # a unit file is ~50 KB; anything near this is a mistake

OS_ERROR_WORDS = {
    errno.EACCES: "没有权限", errno.EPERM: "不允许此操作", errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹", errno.EISDIR: "这是一个文件夹", errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统是只读的", errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "文件名过长", errno.EIO: "读写出错（输入/输出错误）", errno.EEXIST: "已存在同名文件",
    errno.EBUSY: "文件正被占用", errno.EMFILE: "打开的文件过多", errno.ENFILE: "打开的文件过多",
    errno.EFBIG: "文件过大", errno.ENXIO: "设备不存在", errno.ENODEV: "设备不存在", errno.EXDEV: "不能跨文件系统移动",
    errno.EPIPE: "管道已关闭", errno.EBADF: "文件已关闭", errno.EAGAIN: "资源暂时不可用", errno.ETXTBSY: "文件正被占用",
    errno.EINVAL: "参数无效",
}

KIND_WORDS = ((stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISCHR, "字符设备"),
              (stat.S_ISBLK, "块设备"), (stat.S_ISSOCK, "套接字"))


def os_error_words(exc: OSError) -> str:
    """What went wrong, in Chinese (the system's own words only when the error has no entry here)."""
    words = OS_ERROR_WORDS.get(exc.errno or 0)
    if words:
        return words
    return f"系统错误 {exc.errno}" if exc.errno else "系统错误"


def kind_of(mode: int) -> str:
    return next((word for test, word in KIND_WORDS if test(mode)), "特殊文件")


class FileRefused(Exception):
    """A file that cannot be read as a data file: why, in Chinese."""


class FileTooLarge(FileRefused):
    def __init__(self, size: int, limit: int):
        super().__init__(f"文件过大（{size} 字节），不能超过 {limit // 1024 // 1024} MB")
        self.size = size


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes (symbolic links are
    followed). Raises FileRefused with the reason otherwise; never blocks on a FIFO, never reads an
    endless device, never reads more than `limit` + 1 bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileRefused(f"无法读取：{os_error_words(exc)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"不是普通文件，而是{kind_of(info.st_mode)}，无法作为数据文件读取")
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        data = read_at_most(fd, limit + 1)
    except OSError as exc:
        raise FileRefused(f"无法读取：{os_error_words(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:                  # it grew while being read
        raise FileTooLarge(len(data), limit)
    return data


def read_at_most(fd: int, count: int) -> bytes:
    chunks, left = [], count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
