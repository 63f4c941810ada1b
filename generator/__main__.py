"""`python -m generator` is the same as the `versus` command."""

from generator.cli import main

raise SystemExit(main())
