"""Google Sheets: the gspread backend and the Excel ⇄ Sheets sync (``minga sheets …``).

Every request goes through one ``HTTPClient`` subclass (``sync.http``), where retries,
request counting and the redirection to a local Sheets API server for tests live.
"""
