"""Field types shared by the features' config sections."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from rules.schedule import validate_schedule


def _optional_schedule(value: str) -> str:
    return validate_schedule(value) if value.strip() else ""


# A schedule string ("08:00", "mon,wed,fri 20:00", "cron: 0 8 * * *", "every 10m"), checked when the
# rules file loads, so a typo is a located config error rather than a job that never runs.
Schedule = Annotated[str, AfterValidator(validate_schedule)]
# The same, or "" to turn the job off.
OptionalSchedule = Annotated[str, AfterValidator(_optional_schedule)]
