"""The ``flowgen`` command line (click)."""
