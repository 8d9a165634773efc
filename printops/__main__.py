import sys

from printops.cli import main

sys.exit(main())
