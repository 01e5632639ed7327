"""Statistics and reports: quarterly police figures, the dark figure, time to action, outlook, and their rendering.

The pure parts take `CaseFact`s (one per case) and return values; `load.py` reads facts from the store and
`render.py` turns a built `Report` into HTML, PDF, CSV and XLSX."""
