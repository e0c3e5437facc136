"""Clipping, shrinkage and threshold functions."""

from ..registry import INF, Props, Range, Ref, define  # noqa: F401
