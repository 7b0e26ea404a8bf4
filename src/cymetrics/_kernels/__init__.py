"""Compiled kernels. They trust their input: validate in the Python layer first."""
