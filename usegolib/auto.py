"""``import usegolib.auto`` installs the ``go.`` import hook (SPEC §6)::

import usegolib.auto
import go.github_com.google.uuid as uuidlib
"""

from __future__ import annotations

from ._hook import install

install()
