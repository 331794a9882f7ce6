"""MotCua: online administrative procedures for a Vietnamese province."""
