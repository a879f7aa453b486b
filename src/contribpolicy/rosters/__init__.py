"""Rosters in and out: reading files of people, batch assessment, its totals and output."""
