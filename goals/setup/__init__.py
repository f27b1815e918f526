"""Strategy administration: the pages in which a trust sets up and maintains its strategy."""
