"""Drop-in APIs of other libraries, computed by actlab's catalog.

- :mod:`actlab.compat.ztlearn`: ztlearn's ``ActivationFunction`` and its classes.
"""
