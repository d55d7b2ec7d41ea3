"""Shipping a Go module to Python users who have no Go: generated projects
(`usegolib package`) and their wheels."""
