"""embedlab: train, explore and compare word embeddings.

The package is a plain library (usable from a notebook or ``python -m embedlab``);
only ``embedlab.ui`` imports streamlit.
"""

__version__ = "0.1.0"
