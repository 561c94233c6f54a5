"""Exchange of case data with other organisations and countries in the terms of the IOM's Human
Trafficking Case Data Standard (HTCDS 2.0): the mapping (data, `data/htcds-2.0.toml`), export
(`export.py`) and import as concerns (`importing.py`)."""
