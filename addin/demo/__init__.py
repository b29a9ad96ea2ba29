"""The demo: an Ecomercado workbook with realistic records and deliberate defects.

Only `minga demo`, the tests and the benchmarks use it; the actions never import it.
"""

from addin.demo.workbook import CUTOFF, PROGRAMME, START, Planted, build_demo, demo_data, rut

__all__ = ["CUTOFF", "PROGRAMME", "START", "Planted", "build_demo", "demo_data", "rut"]
