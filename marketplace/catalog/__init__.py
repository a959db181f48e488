"""The catalogue of OCOP products and the public storefront."""
