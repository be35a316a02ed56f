"""A stand-in for generator/libreoffice_uno.py that speaks its protocol without LibreOffice: it
answers every request at once, except for a file whose name contains "hang", on which it hangs,
and one whose name contains "crash", after which it ends as when LibreOffice is gone.
Not a test module itself: tests/test_layout_server.py runs it."""
import json
import os
import sys
import time

print(json.dumps({"ready": os.getpgid(0)}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if "hang" in os.path.basename(request["docx"]):
        time.sleep(3600)
    if "crash" in os.path.basename(request["docx"]):        # LibreOffice went away: answer, then end
        print(json.dumps({"error": "DisposedException: gone", "restart": True}), flush=True)
        sys.exit(0)
    if request.get("pdf"):
        with open(request["pdf"], "wb") as pdf:
            pdf.write(b"%PDF-1.7\n")
    print(json.dumps({"pages": ["1"] if request.get("toc_pages") else []}), flush=True)
