"""Reading and writing JSON instances by pointer (RFC 6901, the subset our names use)."""

from __future__ import annotations

from typing import Any

_MISSING = object()


def split_pointer(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"A JSON pointer starts with '/': {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def get_at(instance: Any, pointer: str, default: Any = None) -> Any:
    """The value at ``pointer`` in ``instance``, or ``default`` when any step is missing."""
    node = instance
    for token in split_pointer(pointer):
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return default
        if node is _MISSING:
            return default
    return node


def set_at(instance: dict[str, Any], pointer: str, value: Any) -> None:
    """Set ``value`` at ``pointer``, creating objects and arrays on the way.

    A numeric step creates (or extends) a list; missing list slots are filled with ``None`` and
    are the caller's to drop (see :func:`compact`).
    """
    tokens = split_pointer(pointer)
    if not tokens:
        raise ValueError("Cannot set the whole instance by pointer")
    node: Any = instance
    for token, following in zip(tokens, [*tokens[1:], None], strict=False):
        last = following is None
        if isinstance(node, list):
            index = int(token)
            while len(node) <= index:
                node.append(None)
            if last:
                node[index] = value
                return
            if node[index] is None:
                node[index] = [] if following.isdigit() else {}
            node = node[index]
        else:
            if last:
                node[token] = value
                return
            if token not in node or node[token] is None:
                node[token] = [] if following.isdigit() else {}
            node = node[token]


def compact(value: Any) -> Any:
    """Drop ``None`` list slots, empty objects and empty lists, recursively (blank repeat slots)."""
    if isinstance(value, dict):
        out = {k: compact(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != {} and v != []}
    if isinstance(value, list):
        items = [compact(v) for v in value]
        return [v for v in items if v is not None and v != {} and v != []]
    return value
