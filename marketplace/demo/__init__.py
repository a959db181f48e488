"""Demo data for the storefront, as data files plus their loader.

`load_demo()` loads the hand-written catalogue of `data/*.csv` (see `marketplace.demo.data`);
`generate_products(n, seed)` adds many plain products for volume; `create_demo_accounts()` and
`prepare_wholesale_demo()` add one account of each kind and the demo supermarket's credit.
`flask seed-demo` runs them in that order. Adding a demo product is a line in `data/products.csv`.
"""

from __future__ import annotations

from marketplace.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from marketplace.demo.catalogue import DemoAlreadyLoaded, load_demo, validate_demo_data
from marketplace.demo.data import DemoDataError
from marketplace.demo.generated import generate_products, plan_generated_catalogue
from marketplace.demo.pictures import encode_renditions, render_product_image
from marketplace.demo.rules import issuing_decision, issuing_level
from marketplace.demo.wholesale import DEMO_CREDIT_LIMIT_VND, prepare_wholesale_demo

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_CREDIT_LIMIT_VND",
    "DEMO_PASSWORD",
    "DemoAlreadyLoaded",
    "DemoDataError",
    "create_demo_accounts",
    "encode_renditions",
    "generate_products",
    "issuing_decision",
    "issuing_level",
    "load_demo",
    "plan_generated_catalogue",
    "prepare_wholesale_demo",
    "render_product_image",
    "validate_demo_data",
]
