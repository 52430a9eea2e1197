"""Allow ``python -m generator``."""

import sys

try:
    from generator.cli import main
except KeyboardInterrupt:  # Ctrl-C while the command loads: nothing was read or written yet
    sys.stderr.write("已中断，没有读写任何文件。\n")
    raise SystemExit(130) from None

raise SystemExit(main())
