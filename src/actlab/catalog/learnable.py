"""Activations with learnable parameters (kind P)."""

from ..registry import INF, Props, Range, Ref, define  # noqa: F401
