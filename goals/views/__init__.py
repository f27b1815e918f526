"""Views, one module per capability: strategy (read-only pages), updates (the quarterly cycle),
dashboard (RAG status pages), metrics (SPC). Each module has its own URL list in goals/urls/."""
