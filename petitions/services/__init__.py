"""Writes. Every change to a case goes through a function here: atomic, logged, notified after commit."""
