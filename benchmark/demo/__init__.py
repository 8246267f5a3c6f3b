"""The demo network: a deterministic, fictional network of cities (`benchmark demo seed`).

`planning` decides which cities, rounds, dates and levels (pure); `seeding` writes them in
one transaction; `answers`, `names` and `accounts` generate answers, names and the demo
log-ins; `store` bulk-inserts rows.
"""
