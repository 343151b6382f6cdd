"""Streamlit glue: the only part of embedlab that imports streamlit."""
