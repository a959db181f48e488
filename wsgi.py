"""Entry point for gunicorn (`gunicorn wsgi:app`) and the CLI (`flask --app wsgi ...`)."""

import gc

from marketplace import create_app

app = create_app()
# What start-up made (modules, mappers, the OpenAPI document and its models: about 300,000
# objects) lives as long as the process: freeze it out of the garbage collector's full passes,
# which otherwise walk all of it whenever a large request (a 500-line order) has left enough new
# objects behind - 50 ms on a quiet machine, over a second on a busy one (bench/api.py).
gc.freeze()
