"""``python -m accord.reference.faas --port P``: run the reference host as its own process."""

import sys

from accord.reference.faas.host import main

sys.exit(main())
