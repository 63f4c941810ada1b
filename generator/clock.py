"""Today's date for the build, reproducibly.

Whether a figure is stale depends on the day of the build. Builds honour the
reproducible-builds variable SOURCE_DATE_EPOCH (seconds since 1970, UTC), so a build can
be repeated exactly; VERSUS_TODAY=YYYY-MM-DD does the same in words.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """VERSUS_TODAY (YYYY-MM-DD) when set, else SOURCE_DATE_EPOCH's day (UTC) when set to a
    whole number, else the local date."""
    fixed = os.environ.get("VERSUS_TODAY", "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass  # not a date: ignored, like a SOURCE_DATE_EPOCH that is not a number
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
