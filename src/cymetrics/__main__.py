import sys

from cymetrics._cli import main

sys.exit(main())
