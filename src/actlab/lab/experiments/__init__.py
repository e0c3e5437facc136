"""The lab's experiments, registered in the order of the report."""

from . import dead, flow, race, signal, xor  # noqa: F401
