"""The producer portal: a producer's listings, pictures, stock, CSV import and export, dashboard."""
