import sys

from bastion.interfaces.cli import main

sys.exit(main())
