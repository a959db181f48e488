"""The baseline: a hello-world Flask app served with the same gunicorn settings as the shop."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
