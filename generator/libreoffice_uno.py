"""Run by the system's python3, which has LibreOffice's UNO bridge (Debian python3-uno), not by the
project's Python: it imports nothing of budgetdoc. generator/libreoffice.py's LayoutServer starts it as

    /usr/bin/python3 libreoffice_uno.py SOFFICE PROFILE_DIR

in a process group of its own. It starts one LibreOffice (soffice, in a group of its own) on a
private profile, connects over a named pipe, has it record in the profile that it has started there
(mark_started), reports the group's id and the socket files LibreOffice made ({"ready": PGID,
"sockets": [PATH, …]}: socket_files), and then serves requests, one JSON object a line on stdin,
each answered by one JSON line on stdout:

    {"docx": PATH, "toc_pages": true, "pdf": PATH | null, "pdf_options": {...}}
        → {"pages": ["1", "1", "3", …], "in_process": true, "main_thread": true,
           "seconds": {"load": 0.6, "rest": 0.5}}
          or {"error": "…"} (with "restart": true when LibreOffice itself is gone: the helper then ends)

Each document is loaded and laid out once: the printed page of each 目录 heading (bookmarks _Toc<n>,
in order) is read from that layout; with "pdf", the pages are written into the 目录's lines (as the
finished .docx has them) and the same layout is exported. Where LibreOffice has its Python script
provider, it does all that itself, running this module's lay_out_here as a script of the profile
("in_process"); otherwise the helper calls it over the pipe. Either way, the work on a document is
done by LibreOffice's main thread, as `soffice --convert-to` does it (in_main_thread).
At end of input (its parent is gone) it ends LibreOffice (end_soffice), removes the profile and ends itself.
"""
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import uno
import unohelper
from com.sun.star.awt import XCallback
from com.sun.star.beans import PropertyValue

START_SECONDS = 60
PR_SET_CHILD_SUBREAPER = 36
TOC_BOOKMARK = "_Toc"
SCRIPT = "budgetdoc_layout.py"          # this module, as a Python script of LibreOffice's profile


def property_value(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


# How `soffice --convert-to` loads a document (desktop/source/app/dispatchwatcher.cxx): hidden, without
# interaction, read-only. Read-only costs LibreOffice about 5 % less time a document (measured on the
# seed), and the API still writes the 目录's numbers into it.
LOAD_ARGUMENTS = tuple(property_value(name, value) for name, value in (
    ("Hidden", True), ("ReadOnly", True), ("Silent", True), ("OpenNewView", True), ("Referer", "private:OpenEvent")))


def pipe_name():
    return f"budgetdoc-layout-{os.getpid()}"


def pipe_file(pipe):
    """The socket file LibreOffice makes for a named pipe and leaves behind."""
    return f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}"


def remove_pipe_file(pipe):
    try:
        os.unlink(pipe_file(pipe))
    except OSError:
        pass


def adopt_orphans():
    """Make this helper the parent of LibreOffice's processes whose parent dies before them (end_soffice
    kills its group at once), so that it reaps them and their processor time is counted with the
    build's, as when LibreOffice ends by itself (Linux's PR_SET_CHILD_SUBREAPER; elsewhere nothing)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def reap_orphans(seconds=2):
    """Reap what is left of LibreOffice's processes (adopt_orphans), waiting `seconds` at most."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                time.sleep(0.01)
        except ChildProcessError:
            return


def start_soffice(soffice, profile):
    """LibreOffice, headless, listening on a pipe named after this process; (process, pipe name)."""
    pipe = pipe_name()
    # libreoffice.second_start_socket foresees the socket LibreOffice names after this URL
    command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
               "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=soffice_environment(), start_new_session=True), pipe


def soffice_environment():
    """This environment with the system Python's folder first in PATH. LibreOffice's own Python is the
    system's; with another python3 first in PATH (pyenv's, as the build's may be), its script provider
    failed here with std::bad_alloc."""
    return {**os.environ, "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])}


def install_script(profile):
    """Put this module among the profile's Python scripts, so that LibreOffice can run lay_out_here
    itself (see laid_out)."""
    folder = os.path.join(profile, "user", "Scripts", "python")
    os.makedirs(folder, exist_ok=True)
    shutil.copyfile(os.path.abspath(__file__), os.path.join(folder, SCRIPT))


def connect(pipe, process):
    """The component context of the LibreOffice listening on `pipe` (it takes a second or two to start)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 — not listening yet
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def mark_started(context):
    """Record in the profile that this version of LibreOffice has started on it (ooSetupLastVersion),
    as LibreOffice itself does only when it starts with a window. Without it, each start on a new
    profile is taken for the first after an upgrade, and runs LibreOffice's graphics render tests:
    0.6–0.9 s of processor time, most of a start's (measured on LibreOffice 7.4). Flushed at once, so
    that the start kept for the next profiles has it (libreoffice_profile.keep). A profile that has
    it already, started from the kept one, is left alone; a failure costs only that time."""
    try:
        provider = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", context)
        product = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                       (property_value("nodepath", "/org.openoffice.Setup/Product"),))
        version = product.getByName("ooSetupVersion")
        if version and product.getByName("ooSetupLastVersion") != version:
            product.replaceByName("ooSetupLastVersion", version)
            product.commitChanges()
            provider.flush()
    except Exception:  # noqa: BLE001 — only the next starts' speed depends on it
        pass


def page_of(cursor, text_range):
    """The layout page (1-based, counting pages LibreOffice leaves blank) where `text_range` starts."""
    cursor.gotoRange(text_range.getStart(), False)
    return cursor.getPage()


def numbering_start(doc, cursor):
    """(layout page, printed number) where the page numbering restarts, or (1, 1). budgetdoc's
    documents restart it once, at the first numbered section (docx/sections.py), so the search ends
    at the first block that restarts it."""
    blocks = doc.getText().createEnumeration()
    while blocks.hasMoreElements():
        block = blocks.nextElement()
        offset = block.getPropertyValue("PageNumberOffset")
        if offset is not None:
            return page_of(cursor, block.getAnchor()), offset
    return 1, 1


def printed_pages(context, doc):
    """The printed page number of each 目录 heading, in the order of its bookmark's number."""
    bookmarks = doc.getBookmarks()
    names = sorted((name for name in bookmarks.getElementNames()
                    if name.startswith(TOC_BOOKMARK) and name[len(TOC_BOOKMARK):].isdigit()),
                   key=lambda name: int(name[len(TOC_BOOKMARK):]))
    if not names:
        return []
    lay_out_whole(context, doc)
    cursor = doc.getCurrentController().getViewCursor()
    start_page, start_number = numbering_start(doc, cursor)
    return [str(page_of(cursor, bookmarks.getByName(name).getAnchor()) - start_page + start_number)
            for name in names]


def lay_out_whole(context, doc):
    """Lay the whole document out, as its PDF export does first: Writer does (SwViewShell::CalcLayout)
    when it is asked how many pages it renders on a device new to it. Moving the view cursor lays out
    only what it passes; the rest would wait for LibreOffice's idle work, which does not run while
    its main thread works on the document (in_main_thread)."""
    toolkit = context.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", context)
    doc.getRendererCount(doc, (property_value("RenderDevice", toolkit.createScreenCompatibleDevice(1, 1)),))


def fill_toc(doc, pages):
    """Write each page number at the end of its 目录 line, where the finished .docx has it: only the
    目录 page changes, and the numbered pages keep the layout the numbers were read from."""
    indexes = doc.getDocumentIndexes()
    if not indexes.getCount():
        return
    lines = indexes.getByIndex(0).getAnchor().createEnumeration()
    for page in pages:
        if not lines.hasMoreElements():
            break
        line = lines.nextElement()
        if line.getString().endswith("\t"):        # a line without its number (a draft's)
            line.getText().insertString(line.getEnd(), page, False)


def pdf_filter_data(options):
    """writer_pdf_Export's FilterData from {name: value} (ints as long, booleans as boolean)."""
    values = tuple(property_value(name, value) for name, value in sorted(options.items()))
    return uno.Any("[]com.sun.star.beans.PropertyValue", values)


def lay_out(context, doc, request):
    """The reply to `request` about the loaded `doc`: its 目录's pages; its PDF written. The view is
    locked while the pages are read: moving its cursor from heading to heading would repaint it
    each time (a fifth of the document's cost in LibreOffice); it is unlocked for the export, which
    needs it for the links."""
    pages = []
    if request.get("toc_pages"):
        doc.lockControllers()
        try:
            pages = printed_pages(context, doc)
        finally:
            doc.unlockControllers()
    if request.get("pdf"):
        if pages:
            doc.lockControllers()               # the view is not repainted for each number written (half the cost)
            try:
                fill_toc(doc, pages)
            finally:
                doc.unlockControllers()
        arguments = (property_value("FilterName", "writer_pdf_Export"),
                     property_value("FilterData", pdf_filter_data(request.get("pdf_options", {}))))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(request["pdf"])), arguments)
    return {"pages": pages}


def laid_out_document(context, request):
    """(reply, document) for `request`: its .docx loaded, laid out and exported (lay_out), the document
    left open for the caller to close (None when it did not load). A failure is the reply's "error";
    one that means LibreOffice is gone also asks for a new one ("restart")."""
    started, doc = time.monotonic(), None
    try:
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(request["docx"])), "_blank", 0,
                                           LOAD_ARGUMENTS)
        if doc is None:
            return {"error": "LibreOffice 打不开这个文件"}, None
        loaded = time.monotonic()
        reply = lay_out(context, doc, request)
        reply["seconds"] = {"load": round(loaded - started, 3), "rest": round(time.monotonic() - loaded, 3)}
        reply["main_thread"] = threading.get_native_id() == os.getpid()     # in LibreOffice's process: its main thread did it
        return reply, doc
    except Exception as exc:  # noqa: BLE001 — the document's failure, reported to the build
        reply = {"error": f"{type(exc).__name__}: {exc}"}
        if "Disposed" in type(exc).__name__ or "RuntimeException" in type(exc).__name__:
            reply["restart"] = True             # LibreOffice is gone: the parent starts a new one
        return reply, doc


class MainThreadCall(unohelper.Base, XCallback):
    """A call that LibreOffice's main thread makes (com.sun.star.awt.AsyncCallback), its outcome kept."""

    def __init__(self, call):
        self.call, self.done, self.outcome = call, threading.Event(), None

    def notify(self, _):
        try:
            self.outcome = (True, self.call())
        except BaseException as exc:  # noqa: BLE001 — raised again by the thread that waits for it
            self.outcome = (False, exc)
        finally:
            self.done.set()


def in_main_thread(context, call, wait=True):
    """call() made by LibreOffice's main thread, as `soffice --convert-to` converts: while a document
    is worked on there, LibreOffice's idle work does not run beside it. From any other thread it
    does: the status bar's word count and the collecting of words for autocompletion went through
    the whole document, about 8 % of its instructions (counted with callgrind). Over the pipe as
    well as in LibreOffice's own process: the calls `call` makes while LibreOffice waits for it are
    made by the waiting thread. Its result (or its exception, raised here); with `wait` false, None at once.
    Should LibreOffice end meanwhile, asking it for its service manager raises (over the pipe)."""
    job = MainThreadCall(call)
    context.ServiceManager.createInstanceWithContext("com.sun.star.awt.AsyncCallback", context).addCallback(job, None)
    if not wait:
        return None
    while not job.done.wait(1):
        context.getServiceManager()
    succeeded, value = job.outcome
    if not succeeded:
        raise value
    return value


def answer(context, request):
    """The reply to `request`, worked out in LibreOffice's main thread; the document is closed there
    after the reply is given (while the build goes on)."""
    reply, doc = in_main_thread(context, lambda: laid_out_document(context, request))
    if doc is not None:
        in_main_thread(context, lambda: doc.close(True), wait=False)
    return reply


def lay_out_here(request):
    """answer as LibreOffice runs it in its own process, a script of the profile (install_script):
    the request and the reply are JSON text."""
    return json.dumps(answer(uno.getComponentContext(), json.loads(request)))


def script_of(context):
    """lay_out_here as a script LibreOffice runs, or None when it has no Python script provider
    (Debian libreoffice-script-provider-python)."""
    try:
        factory = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.script.provider.MasterScriptProviderFactory", context)
        return factory.createScriptProvider("").getScript(
            f"vnd.sun.star.script:{SCRIPT}$lay_out_here?language=Python&location=user")
    except Exception:  # noqa: BLE001 — no provider: answer calls LibreOffice over the pipe instead
        return None


def replied(context, script, line):
    """The reply to the request `line`. Worked out by LibreOffice itself where it can (`script`): the
    API's calls then stay in its process, where over the pipe reading the pages and filling the 目录
    cost about 0.17 s of processor time a document (0.02 s in its process)."""
    try:
        if script is None:
            return {**answer(context, json.loads(line)), "in_process": False}
        return {**json.loads(script.invoke((line,), (), ())[0]), "in_process": True}
    except Exception as exc:  # noqa: BLE001 — LibreOffice is gone (or the script with it)
        return {"error": f"{type(exc).__name__}: {exc}", "restart": True}


def serve(context, script):
    """Answer each request, until the end of input or of LibreOffice."""
    for line in sys.stdin:
        reply = replied(context, script, line)
        print(json.dumps(reply, ensure_ascii=False), flush=True)
        if reply.get("restart"):
            return


def socket_files(group, besides):
    """The socket files, other than `besides`, that the processes of LibreOffice's process `group`
    listen on, as /proc tells (None where it does not: not Linux). Besides the helper's pipe (removed
    once connected), LibreOffice listens on one for a second start on its profile
    (/tmp/OSL_PIPE_<uid>_SingleOfficeIPC_…), which it removes only when it ends by itself."""
    if not os.path.isdir("/proc/self/fd"):
        return None
    inodes = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getpgid(int(pid)) == group:
                links = (os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd"))
                inodes |= {link[len("socket:["):-1] for link in links if link.startswith("socket:[")}
        except OSError:                     # ended meanwhile, or not ours to look at
            continue
    try:
        with open("/proc/net/unix") as table:
            rows = [line.split() for line in table][1:]
    except OSError:
        return None
    mine = f"OSL_PIPE_{os.getuid()}_"           # LibreOffice's sockets, in /tmp (or /var/tmp)
    return [row[7] for row in rows
            if len(row) > 7 and row[6] in inodes and os.path.basename(row[7]).startswith(mine) and row[7] != besides]


def end_soffice(process, context, sockets):
    """End LibreOffice at once (SIGKILL to its group) and remove its `sockets`: its profile and its
    temporary files (TMPDIR) go with the folder the helper removes, so an orderly exit, which saves
    the profile's settings and takes down every service (~0.2 s), would be work thrown away. Where
    its sockets are not known (None: no /proc), it is asked to end itself first, removing them."""
    if sockets is None and context is not None:
        try:
            context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context).terminate()
            process.wait(10)
        except Exception:  # noqa: BLE001 — it is killed below
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)           # whatever is left of LibreOffice's group
    except ProcessLookupError:
        pass
    process.wait()
    reap_orphans()
    for path in sockets or ():
        try:
            os.unlink(path)
        except OSError:
            pass


def main(soffice, profile):
    adopt_orphans()
    install_script(profile)
    process, pipe = start_soffice(soffice, profile)
    context = sockets = None
    try:
        context = connect(pipe, process)
        remove_pipe_file(pipe)                  # connected: the socket's name is no longer needed
        sockets = socket_files(process.pid, pipe_file(pipe))     # LibreOffice is up: so is its socket for a second start
        mark_started(context)
        print(json.dumps({"ready": process.pid, "sockets": sockets or []}), flush=True)
        serve(context, script_of(context))
    finally:
        end_soffice(process, context, sockets)
        shutil.rmtree(profile, ignore_errors=True)
        remove_pipe_file(pipe)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
