"""One APIRouter per resource (JSON under /api) and `pages` for the HTML twins."""
