"""The aggregator actor: the conversation index the dashboard, the API and
the exports read (`index`, `search`), published as frozen snapshots.
"""
