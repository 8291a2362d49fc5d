"""Matching claims against earlier ones: lemmas, figures, a calibrated score. No Django."""
