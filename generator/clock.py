"""Today's date for the build, reproducibly.

Whether a figure is stale depends on the day of the build. Builds honour the
reproducible-builds variable SOURCE_DATE_EPOCH (seconds since 1970, UTC), so a build can
be repeated exactly, and tests can pin the day.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """SOURCE_DATE_EPOCH's day (UTC) when set to a whole number, else the local date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
