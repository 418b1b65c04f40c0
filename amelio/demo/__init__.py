"""The demo school, built through the services from the scenario data each app keeps in its
`demo/` folder. The top layer: it may import every app, and nothing imports it."""
