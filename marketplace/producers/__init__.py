"""Producers: OCOP producer organisations (chủ thể OCOP) and, later, their portal."""
