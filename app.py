"""The server: `streamlit run app.py` finds `app` below and serves OrgKit through it.

The pages are Streamlit's: home.py is the home page, pages/ the rest. What this file adds is the
HTTP edge in orgkit/web.py (the remembered-browser cookie, framing refused, the Host allow-list),
which only Streamlit's Starlette integration can put in front of every response.
"""
import streamlit as st
from starlette.middleware import Middleware

from orgkit.web import EdgeMiddleware

app = st.App("home.py", middleware=[Middleware(EdgeMiddleware)])
