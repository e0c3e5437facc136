"""Kernels vs PyTorch (CPU) vs the NumPy reference vs a memory copy.

A thin wrapper over actlab.kernels.bench (also `actlab bench`); see --help.
"""

import sys

from actlab.kernels.bench import main

if __name__ == "__main__":
    sys.exit(main())
