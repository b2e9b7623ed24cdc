"""The dashboard's read model, pure: a conversation's figures (`facts`), the
filters and sorts of the conversation list (`params`, `query`, `textsearch`) and
the overview's snapshot (`snapshot`).
"""
