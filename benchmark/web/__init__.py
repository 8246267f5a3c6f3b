"""HTTP layer: blueprints with thin views (parse input, call one service, render)."""
