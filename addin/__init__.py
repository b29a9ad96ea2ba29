"""minga: Python behind the spreadsheets of social and solidarity-economy programmes."""

__version__ = "0.1.0"
