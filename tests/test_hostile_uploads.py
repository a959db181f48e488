"""Hostile uploads at every upload of the site: the routes are found from the authorisation
matrix (every POST whose page has a file input, with that input's name), and each gets SVG with
script, polyglots (a JPEG, GIF or PDF that is also HTML), a decompression bomb, a truncated
picture, an empty file and a hostile file name. Never a 5xx, nothing hostile in the public media
folder, and where a picture or a scan is expected, a refusal that says what to upload."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from marketplace.extensions import db
from tests.conftest import csrf_token
from tests.portal.conftest import decompression_bomb, picture_bytes
from tests.test_authorisation_matrix import RULES, build_world
from tests.test_hostile_input import Checker, _reaching_role

SCRIPT = b"<script>ocop_upload()</script>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="ocop_upload()">'
    + SCRIPT
    + b"</svg>"
)
HOSTILE_FILES: dict[str, tuple[bytes, str]] = {
    "svg": (SVG, "picture.svg"),
    "svg named jpg": (SVG, "picture.jpg"),
    "html": (b"<!doctype html><html>" + SCRIPT + b"</html>", "picture.png"),
    "jpeg + html": (picture_bytes("JPEG", (40, 30)) + b"<html>" + SCRIPT, "picture.jpg"),
    "gif + javascript": (b"GIF89a/*\x00\x00*/=1;" + SCRIPT, "picture.gif"),
    "pdf + html": (b"%PDF-1.4\n<html>" + SCRIPT + b"</html>\n%%EOF", "scan.pdf"),
    "bomb": (decompression_bomb(), "bomb.png"),
    "truncated png": (picture_bytes("PNG", (300, 200))[:200], "cut.png"),
    "empty": (b"", "empty.jpg"),
    "hostile name": (picture_bytes("PNG", (40, 30)), "../../../etc/pass\x00wd<script>.png"),
}
PICTURE_REFUSALS = (
    "not a picture we can read",
    "Upload a JPEG, PNG or WebP",
    "too many pixels",
    "Choose a picture file",
)
FILE_INPUT = re.compile(r"<input[^>]*type=\"file\"[^>]*>")


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


_DISCOVERED: list[tuple[str, str, str]] = []


def upload_routes(app, world) -> list[tuple[str, str, str]]:
    """(role, form action, file field) for every form with a file input on any page of the site
    (every GET of the authorisation matrix, as a role that reaches it). Read once per test
    session: the second database's world has the same ids (its sequences restart too)."""
    if not _DISCOVERED:
        _DISCOVERED.extend(_discover(app, world))
    return list(_DISCOVERED)


def _discover(app, world) -> list[tuple[str, str, str]]:
    found = set()
    for (endpoint, method), rules in sorted(RULES.items()):
        if method != "GET" or endpoint in ("static", "catalog.media"):
            continue
        for rule in rules:
            role = _reaching_role(rule.expect)
            if role is None:
                continue
            target = rule.url(world)
            response = Checker(app, world).client(role).get(target)
            page = (
                response.get_data().decode("utf-8", "replace") if "html" in (response.mimetype or "") else ""
            )
            response.close()  # a streamed export holds its app context until closed
            for attributes, content in FORM.findall(page):
                action = re.search(r'action="([^"]*)"', attributes)
                for tag in FILE_INPUT.findall(content):
                    name = re.search(r'name="([^"]+)"', tag).group(1)
                    url = html.unescape(action.group(1)) if action and action.group(1) else target
                    found.add((role, url, name))
    return sorted(found)


def _post(web, target: str, field: str, data: bytes, filename: str):
    boundary, body = encode_multipart(
        {"csrf_token": csrf_token(web.client), field: FileStorage(io.BytesIO(data), filename=filename)}
    )
    return web._request("POST", target, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_every_upload_refuses_hostile_files_without_an_error(app) -> None:
    world = build_world(app)
    routes = upload_routes(app, world)
    assert len({url for _, url, _ in routes}) >= 6, routes
    checker = Checker(app, world)
    for role, target, field in routes:
        for name, (data, filename) in HOSTILE_FILES.items():
            response = _post(checker.client(role), target, field, data, filename)
            checker.check(f"{role} POST {target} {field}={name}", response)
    print(f"{len(routes)} upload fields: {routes}")
    assert not checker.problems, "\n".join(checker.problems)
    media = Path(app.config["UPLOAD_DIR"])
    for path in media.rglob("*") if media.exists() else ():
        if path.is_file():
            content = path.read_bytes()
            assert b"<script" not in content and b"<svg" not in content, path


@pytest.mark.parametrize("name", [n for n in HOSTILE_FILES if n not in ("jpeg + html", "hostile name")])
def test_a_hostile_picture_is_refused_with_a_message(app, name) -> None:
    from tests.conftest import FormClient
    from tests.factories import make_producer, make_producer_member, make_product

    producer = make_producer(verification_status="verified")
    owner = make_producer_member(producer)
    product = make_product(producer, status="draft")
    db.session.commit()
    web = FormClient(app.test_client()).sign_in(owner)
    web.client.set_cookie("lang", "en")
    data, filename = HOSTILE_FILES[name]
    response = _post(web, f"/portal/products/{product.id}/pictures", "picture", data, filename)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any(message in page for message in PICTURE_REFUSALS), page[:2000]


def test_a_polyglot_picture_is_stored_re_encoded_without_what_it_carried(app) -> None:
    from tests.conftest import FormClient
    from tests.factories import make_producer, make_producer_member, make_product

    producer = make_producer(verification_status="verified")
    owner = make_producer_member(producer)
    product = make_product(producer, status="draft")
    db.session.commit()
    web = FormClient(app.test_client()).sign_in(owner)
    for name in ("jpeg + html", "hostile name"):
        data, filename = HOSTILE_FILES[name]
        assert (
            _post(web, f"/portal/products/{product.id}/pictures", "picture", data, filename).status_code
            == 302
        )
    stored = [p for p in (Path(app.config["UPLOAD_DIR"]) / "products").rglob("*") if p.is_file()]
    assert stored and all(p.suffix == ".webp" and b"<script" not in p.read_bytes() for p in stored)
    assert all("etc" not in p.parts and "passwd" not in p.name for p in stored)
