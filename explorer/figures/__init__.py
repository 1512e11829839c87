"""Figure builders, apart from the mathematics: each module draws one course module's pictures from
the result objects the maths modules return. ``fastfig`` writes figures as plain dicts (no plotly.py
validation on every step) and encodes them for the live chart component."""
