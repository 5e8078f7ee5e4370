#!/usr/bin/env python3
"""Build a book: `python build.py [SOURCE] [--out DIR] [--format epub,pdf]` (see README)."""

import sys

from warraq.cli import main

if __name__ == "__main__":
    sys.exit(main())
