"""GET /search/suggest?q=: product names for the search box as the visitor types."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from marketplace import search
from marketplace.search.query import highlight, parse_query

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("/suggest")
def suggest():
    q = request.args.get("q", "")[:100]
    words = {w.folded for w in parse_query(q)}
    suggestions = [
        {
            "name": s.name,
            "html": str(highlight(s.name, words)),
            "url": url_for("catalog.product", slug=s.slug),
        }
        for s in search.suggest(q)
    ]
    response = jsonify(q=q, suggestions=suggestions)
    response.cache_control.max_age = 60
    response.cache_control.public = True
    return response
