"""Date-times as Verifiable Credentials write them, and the day boundaries of a credential.

A credential's dates are calendar days in Mongolia (UTC+8, no daylight saving since 2017). In a
signed credential, ``validFrom`` is the first moment of the issue day and ``validUntil`` the last
second of the last valid day, both written with the +08:00 offset so the dates read the same as
on the certificate.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

CREDENTIAL_TIMEZONE = timezone(timedelta(hours=8), "Asia/Ulaanbaatar")


def require_aware(moment: datetime, name: str) -> None:
    """Raise ValueError for a naive datetime (it would silently mean local server time)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be time-zone aware: {moment!r}")


def day_starts(day: date) -> datetime:
    """The first moment of ``day`` in Mongolia."""
    return datetime.combine(day, time(0, 0, 0), CREDENTIAL_TIMEZONE)


def day_ends(day: date) -> datetime:
    """The last whole second of ``day`` in Mongolia."""
    return datetime.combine(day, time(23, 59, 59), CREDENTIAL_TIMEZONE)


def format_datetime(moment: datetime) -> str:
    """An XML Schema ``dateTimeStamp`` (whole seconds, offset kept; UTC written as ``Z``)."""
    require_aware(moment, "moment")
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_datetime(text: object) -> datetime:
    """Read a ``dateTimeStamp``; raises ValueError unless it is a string with a time zone."""
    if not isinstance(text, str):
        raise ValueError(f"not a date-time string: {text!r}")
    moment = datetime.fromisoformat(text)
    require_aware(moment, "date-time")
    return moment


def epoch_seconds(moment: datetime) -> int:
    """Seconds since 1970 (a JWT ``NumericDate``)."""
    require_aware(moment, "moment")
    return int((moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
