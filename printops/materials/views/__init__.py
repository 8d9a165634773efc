"""Materials pages by resource: filaments and vendors, spools, the shopping list, labels,
reports, CSV and Spoolman imports."""
