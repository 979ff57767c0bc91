#!/usr/bin/env python
"""Django's command-line utility; `dxpool` is the friendlier front door."""

import sys

if __name__ == "__main__":
    from dxpool.cli import main

    sys.exit(main(sys.argv[1:], prog="manage.py"))
