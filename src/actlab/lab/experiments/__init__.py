"""The lab's experiments, registered (imported) in the order of the lab's report."""

from . import compare, flow, dead, signal, xor, race, norm, arith  # noqa: F401, I001
