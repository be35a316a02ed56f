"""Which kind of file a YAML file under units/ is, told from its bytes without parsing them (the
build plans its work this way, before the heavier stages are imported)."""
from __future__ import annotations

import re

UNITS_KEY = re.compile(rb"^units\s*:", re.M)


def is_department_file(data: bytes) -> bool:
    """A department file names its units at the top level (`units:`); a unit file has `unit:`."""
    return UNITS_KEY.search(data) is not None
