"""`python -m warraq`: the same as the `warraq` command."""

import sys

from .commands import main

if __name__ == "__main__":
    sys.exit(main())
