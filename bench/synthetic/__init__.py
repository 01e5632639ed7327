"""Synthetic data for the benches and the tests: ad images (`images`), account networks (`network`) and a
quarter of case facts (`report`). Invented handles, numbers and wallets only."""
