"""A syntax error in the app."""

from tiers import App

app = App("shop"
