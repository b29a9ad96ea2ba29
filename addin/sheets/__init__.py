"""How each sheet of a programme workbook looks: plans of values and formats, per sheet.

Everything here speaks the backend vocabulary (``addin.backends.base``) and imports no
spreadsheet library: ``plans`` holds the shared pieces, ``tables`` the list and form sheets,
``gantt`` the carta Gantt, ``palette`` the colours.  ``addin.actions.build`` puts them together.
"""
