"""Inside the network: a toy Word2Vec trained step by step, with its weights, vectors, loss and neighbours on screen."""

import streamlit as st

from embedlab.i18n import _
from embedlab.ui import toynet_view as view
from embedlab.ui.feedback import user_errors
from embedlab.ui.frame import page

page("Inside the network")
st.caption(_("Word2Vec is a tiny neural network: a word's vector is the row of weights its one-hot input selects. "
             "Here a toy corpus is trained one example at a time (numpy, checked against gensim on the same pairs), "
             "so you can watch the pair, both weight matrices, the vectors, the loss and the neighbours change."))

with user_errors():
    net = view.network()
    settings, main = st.columns([1, 3])
    with settings:
        view.render_settings(net)
    with main:
        view.render_stepper(view.network())
        view.render_network(view.network())
