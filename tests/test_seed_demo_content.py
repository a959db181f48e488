"""`flask seed-demo` writes exactly the demo it always has.

The demo's content is pinned by a digest of every row the command writes, ids replaced by the
natural key of the row they point at (a producer's slug, a user's e-mail...), so that moving the
catalogue between files or modules cannot change it unnoticed. A deliberate change to the demo
changes the digest: check the dump the failing test leaves behind, then update the constant.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import Table, select

from marketplace.extensions import db
from marketplace.timeutil import utcnow

# Rows are keyed by these columns when another row points at them.
NATURAL_KEYS = {
    "producers": ("slug",),
    "products": ("slug",),
    "protections": ("kind", "registration_number"),
    "users": ("email",),
    "buyer_organisations": ("tax_code",),
    "certifications": ("certificate_number",),
}
# Random on every run, so only their presence is compared.
VOLATILE_COLUMNS = {("users", "password_hash"), ("users", "session_token")}

# Table -> SHA-256 of its rows, as written by the code before the demo became data files; then
# changed on purpose (issue #15): producers got a short code and a tax code, products an English name.
SEED_DEMO_DIGESTS: dict[str, str] = {
    "buyer_memberships": "b69c85b87434c99a5c59912bc136160294b42bc61a53b9c14e001f997311dd60",
    "buyer_organisations": "a161ca680618bd865df0df990e43de900cf4388edad286d29f3b03f6052455f2",
    "catalog_state": "60fd49800dd9b4b64478a1729783a1d7b744cc407712a0faf3ffdb203c71ab02",  # 0022: changed_at
    "certifications": "9178ad5ffe91aee7a594406576f53598083935b2a22749c0db49fc16befce887",
    "delivery_locations": "59f256f8a291af9a896e9a0a5e8e33ef6b006ba9ccd5f9607e8665177490e389",
    "price_tiers": "1f0fa1a0f0663a21569a2ef9ba13f34abc2e9331912bad1a8899d1fe2216e181",
    "producer_memberships": "8c43803cc743a597d3f5046f1225450dfb3aa40d56d31ea1d4b27ff0ee8bcec7",
    "producers": "44a1ee315cc8b5ae796058353c90b40328d825ae3fa56e328217144660f1df5f",
    "product_images": "806c7a74ef16867c4f86c22bf3235771e8594ea63322f4eee7ae16dba5e8333b",
    # 0016_traceability: products gained gtin, monthly_capacity and season_months (None, None, 4095 in the
    # demo); 0018_english_names: name_en and description_en. Without those columns the rows give the
    # digest pinned before.
    "products": "a690baadb80f914518cbdcf8a4eed1b96ff71dde5a825fe339e5de92c16ae443",
    "protection_rights": "976bb3ead0a22ad825f3e22c08a2a7daec52609ea0309902e26d245358aa569d",
    "protections": "0f2e01597840eecb162bc8aa81f615c794029c68f232c8ecf0f2e8eb776acc75",
    "users": "5e32846e55d1788320440ab0ff1bd24cc18ee799d7a0e5510f02dece8ec6b1ec",
}
SEED_DEMO_GENERATED_DIGESTS: dict[str, str] = {
    "buyer_memberships": "b69c85b87434c99a5c59912bc136160294b42bc61a53b9c14e001f997311dd60",
    "buyer_organisations": "a161ca680618bd865df0df990e43de900cf4388edad286d29f3b03f6052455f2",
    "catalog_state": "e6be85a5bb25eab7b11a136320f2051528be61a4359825fa9d104e7b1b30b11d",  # 0022: changed_at
    "certifications": "8f21b24816acfb0f6d9dc251f6aee3ec9da2bb29bdca6e8a31af6c4e8eac223a",
    "delivery_locations": "59f256f8a291af9a896e9a0a5e8e33ef6b006ba9ccd5f9607e8665177490e389",
    "price_tiers": "6f7abc5986862434fa9f841352749d5ceaeeab5da86173fbe4bc2e6bae5d9e69",
    "producer_memberships": "8c43803cc743a597d3f5046f1225450dfb3aa40d56d31ea1d4b27ff0ee8bcec7",
    "producers": "bc7f61785ac86adea0f54ba80c59ee758a826439289754762c366cb89ed260de",
    "product_images": "806c7a74ef16867c4f86c22bf3235771e8594ea63322f4eee7ae16dba5e8333b",
    "products": "acf34c5795be60c89a400dd21fc08274e98af02c3414ea980f1d5c4a4ec6fc58",  # 0016, 0018: as above
    "protection_rights": "c7ce41d5f7c915927949b7438643f306e749e67e605d6f788db06785dc3af8af",
    "protections": "0f2e01597840eecb162bc8aa81f615c794029c68f232c8ecf0f2e8eb776acc75",
    "users": "5e32846e55d1788320440ab0ff1bd24cc18ee799d7a0e5510f02dece8ec6b1ec",
}


def _plain(value: object, since: datetime) -> object:
    """A JSON-able value; times written by the run itself (defaults to "now") become "<now>"."""
    if isinstance(value, datetime):
        return "<now>" if value >= since else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _canonical(row: dict[str, object]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def demo_content(since: datetime) -> dict[str, list[dict[str, object]]]:
    """Every non-empty table's rows, without ids, sorted, foreign keys as natural keys."""
    tables: list[Table] = list(db.metadata.sorted_tables)
    keys: dict[str, dict[int, object]] = {}
    for table in tables:
        if table.name in NATURAL_KEYS:
            columns = [table.c[name] for name in NATURAL_KEYS[table.name]]
            keys[table.name] = {
                row[0]: "/".join(str(v) for v in row[1:])
                for row in db.session.execute(select(table.c.id, *columns))
            }
    content: dict[str, list[dict[str, object]]] = {}
    for table in tables:
        rows = []
        for row in db.session.execute(select(table)).mappings():
            plain: dict[str, object] = {}
            for column in table.columns:
                value = row[column.name]
                if column.name == "id":
                    continue
                if (table.name, column.name) in VOLATILE_COLUMNS:
                    value = value is not None
                elif column.foreign_keys and value is not None:
                    [foreign_key] = column.foreign_keys
                    target = foreign_key.column.table.name
                    assert target in NATURAL_KEYS, f"{table.name}.{column.name} points at {target}"
                    value = keys[target][value]
                plain[column.name] = _plain(value, since)
            rows.append(plain)
        if rows:
            content[table.name] = sorted(rows, key=_canonical)
    return content


def digests(content: dict[str, list[dict[str, object]]]) -> dict[str, str]:
    """One digest per table, so that a failure names the tables that changed."""
    return {
        table: hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        for table, rows in content.items()
    }


def _check(content: dict[str, list[dict[str, object]]], expected: dict[str, str], dump: Path) -> None:
    dump.write_text(json.dumps(content, sort_keys=True, ensure_ascii=False, indent=1))
    assert digests(content) == expected, f"demo content changed; rows dumped to {dump}"


def test_seed_demo_writes_the_same_catalogue_and_accounts_as_ever(app: Flask, tmp_path: Path) -> None:
    since = utcnow() - timedelta(minutes=1)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    _check(demo_content(since), SEED_DEMO_DIGESTS, tmp_path / "seed-demo.json")


def test_seed_demo_with_generated_products_is_the_same_for_the_same_seed(app: Flask, tmp_path: Path) -> None:
    """Two runs with one seed: the second continues the numbering of the first."""
    since = utcnow() - timedelta(minutes=1)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--products", "150", "--seed", "7"])
    assert result.exit_code == 0, result.output
    from marketplace import demo

    demo.generate_products(40, seed=7)
    _check(demo_content(since), SEED_DEMO_GENERATED_DIGESTS, tmp_path / "seed-demo-generated.json")
