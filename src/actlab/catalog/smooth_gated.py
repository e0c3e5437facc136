"""Smooth gated and smooth rectifier functions (gelu, silu, mish, ...)."""

from ..registry import INF, Props, Range, Ref, define  # noqa: F401
