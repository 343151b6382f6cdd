"""``python -m embedlab``: the command line (see ``embedlab.cli``)."""

import sys

from embedlab.cli import main

if __name__ == "__main__":
    sys.exit(main())
