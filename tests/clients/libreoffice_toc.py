"""Run by the system's python3, which has LibreOffice's UNO bridge (Debian python3-uno):

    python3 tests/clients/libreoffice_toc.py FILE.docx

opens the .docx in LibreOffice, prints the 目录's lines as opened, rebuilds every index as
"Tools → Update → Update All" does, and prints its lines again: JSON {"before": [[style, text], …],
"after": […]}. Not a test module itself: tests/test_render.py runs it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def hidden():
    value = PropertyValue()
    value.Name, value.Value = "Hidden", True
    return value


def connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 — LibreOffice is still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def toc_lines(doc) -> list:
    lines, paragraphs = [], doc.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if paragraph.supportsService("com.sun.star.text.Paragraph") and paragraph.ParaStyleName.startswith("Contents"):
            lines.append([paragraph.ParaStyleName, paragraph.getString()])
    return lines


def main(path: str) -> None:
    profile = tempfile.mkdtemp(prefix="budgetdoc-uno-")
    pipe = f"budgetdoc-{os.getpid()}"
    soffice = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                                f"--accept=pipe,name={pipe};urp;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        context = connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, (hidden(),))
        before = toc_lines(doc)
        indexes = doc.getDocumentIndexes()
        for n in range(indexes.getCount()):
            indexes.getByIndex(n).update()
        after = toc_lines(doc)
        doc.close(True)
        print(json.dumps({"before": before, "after": after}, ensure_ascii=False))
    finally:
        try:                        # as a reader quits: LibreOffice removes its sockets, which a signal would leave
            if desktop is None:
                soffice.terminate()
            else:
                desktop.terminate()
        except Exception:  # noqa: BLE001 — the bridge went with LibreOffice, or it is killed below
            pass
        try:
            soffice.wait(30)
        except subprocess.TimeoutExpired:
            soffice.kill()
        shutil.rmtree(profile, ignore_errors=True)
        if os.path.exists(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}"):        # the pipe's socket, left by LibreOffice
            os.unlink(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}")


if __name__ == "__main__":
    main(sys.argv[1])
