"""Bulk runs from a spreadsheet: read a CSV, plan every row against the tenant with one
roster read, apply row by row through the tenant's verified writes, journal each
outcome so a rerun resumes without doing anything twice. Headless: the shell and the
app's Import screen both drive it."""
