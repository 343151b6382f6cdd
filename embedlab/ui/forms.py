"""Forms generated from the parameter dataclasses, so a new parameter needs no UI code.

The fields' labels, help and choice labels are English msgids (``N_()`` in ``embedlab.config``),
translated here when drawn, so every parameter explanation follows the session's language. Every
input is keyed, so a value the user set survives a change of language.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import streamlit as st

from embedlab.i18n import _


def field_label(cls: type, name: str) -> str:
    """A parameter's label in the current language (its name when it has none)."""
    field = next(f for f in dataclasses.fields(cls) if f.name == name)
    return _(field.metadata.get("label", name))


def field_help(cls: type, name: str) -> str | None:
    """A parameter's help text in the current language (None when it has none)."""
    field = next(f for f in dataclasses.fields(cls) if f.name == name)
    text = field.metadata.get("help")
    return _(text) if text else None


def params_inputs(cls: type, defaults: Any | None = None, key_prefix: str = "", only: tuple[str, ...] | None = None,
                  skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Draw one input per dataclass field (inside the caller's form); returns name -> value.

    The field's metadata gives the label, help tooltip, bounds and choices.
    """
    defaults = defaults if defaults is not None else cls()
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if (only is not None and f.name not in only) or f.name in skip:
            continue
        meta, key, current = f.metadata, f"{key_prefix}{f.name}", getattr(defaults, f.name)
        label = _(meta.get("label", f.name))
        help_text = _(meta["help"]) if meta.get("help") else None
        hint = hints[f.name]
        if "choices" in meta:
            choices = list(meta["choices"])
            shown = meta.get("choice_labels", {})
            values[f.name] = st.selectbox(label, choices, index=choices.index(current), help=help_text, key=key,
                                          format_func=lambda choice, shown=shown: _(shown[choice]) if choice in shown else choice)
        elif hint is bool:
            values[f.name] = st.checkbox(label, value=current, help=help_text, key=key)
        elif hint is int or hint == (int | None):
            values[f.name] = st.number_input(label, min_value=meta.get("min"), max_value=meta.get("max"),
                                             value=current, step=1, help=help_text, key=key,
                                             placeholder=_("no limit") if current is None else None)
            if values[f.name] is not None:
                values[f.name] = int(values[f.name])
        elif hint is float:
            small = abs(current) < 0.01 and current != 0
            values[f.name] = st.number_input(label, min_value=float(meta.get("min", 0.0)), max_value=float(meta.get("max", 1e9)),
                                             value=float(current), help=help_text, key=key,
                                             format="%.0e" if small else "%.4g", step=None)
        else:
            values[f.name] = st.text_input(label, value=str(current), help=help_text, key=key)
    return values
