"""officer_app: offline-first field app for cross-region urban-management enforcement squads."""

__version__ = "0.1.0"
