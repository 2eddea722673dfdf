from sonnys_tui.cli import main

raise SystemExit(main())
