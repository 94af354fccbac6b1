"""The report and the dashboard pages: HTML with inline SVG charts."""
