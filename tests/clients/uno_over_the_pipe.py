"""generator/libreoffice_uno.py as on a LibreOffice without its Python script provider: the layout
script is not put into the profile, so the helper calls LibreOffice's API over the pipe.
Not a test module itself: tests/test_layout_server.py runs it."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generator"))
import libreoffice_uno  # noqa: E402 — found through the path above

libreoffice_uno.install_script = lambda profile: None
libreoffice_uno.main(sys.argv[1], sys.argv[2])
