# gunicorn's own defaults for the benchmarks (bench/storefront.py): nothing set here on purpose.
