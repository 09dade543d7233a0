"""The one exception root of kg. Each kind has a fixed exit status, so scripts can tell
"nothing by that name" from "cannot run as asked" whatever the command:

    1  the command ran and found problems (files that failed, RDF that does not conform)
    2  it could not run as asked: a bad parameter or option, an engine it cannot reach
    4  nothing matched a name it was given: a query, an entity, an article
"""
from __future__ import annotations


class KgError(Exception):
    """Anything kg refuses or cannot do; the message says what to do instead."""

    exit_code = 2


class InputError(KgError, ValueError):
    """A value given to kg is wrong (a parameter out of range, an unknown format, a file that does not parse)."""


class NotFound(KgError, LookupError):
    """A name given to kg matches nothing in the graph or in kg's library."""

    exit_code = 4
